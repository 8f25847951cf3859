/**
 * Writing `--out` safely. The result replaces the file atomically (a temp file beside it, then a
 * rename), so a crash or a full disk never leaves a torn JSON. Three things the plain version got wrong:
 * a symlink was replaced by a file (now the write goes through to the link's target, in the target's
 * folder); a device, FIFO or directory at that path was replaced too (as root, `--out /dev/full` turned
 * the device node into a JSON file; now anything that is not a regular file is refused); and a missing
 * or read-only folder was found only after the analysis (now checked before it starts).
 */
import { lstat, open, readlink, stat, unlink } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { errorCode, fsErrorReason } from '../../core/dataset/fileAccess';
import { uniqueTempPath, writeFileAtomic, type TextWriter } from '../../core/atomicWrite';
import { UserError } from '../errors';

/** Where the bytes land: the path itself, or the final target of the symlink(s) at it. */
export interface OutputTarget {
  path: string;
  /** The permission bits of the file being replaced, kept by the new one (a private result stays private). */
  mode: number | null;
}

/** Linux's own limit on links followed in a row; past it the chain is a loop. */
const MAX_LINKS = 40;

function kindOf(s: Stats): string {
  if (s.isDirectory()) return 'a directory';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  if (s.isFIFO()) return 'a FIFO (named pipe)';
  if (s.isSocket()) return 'a socket';
  return 'not a regular file';
}

async function statOrNull(path: string, follow: boolean): Promise<Stats | null> {
  try {
    return follow ? await stat(path) : await lstat(path);
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return null;
    throw err;
  }
}

/** Follows the symlinks at `path` one by one (a dangling link's target may not exist yet: it is where to write). */
async function followLinks(out: string): Promise<string> {
  let path = resolve(out);
  for (let hops = 0; hops <= MAX_LINKS; hops++) {
    const s = await statOrNull(path, false);
    if (!s?.isSymbolicLink()) return path;
    path = resolve(dirname(path), await readlink(path));
  }
  throw new UserError(`--out ${out}: too many symbolic links (a loop?)`);
}


/**
 * Checks that `out` can be written, before any work: the path (through its symlinks) is a regular file
 * or nothing yet, and its folder exists and takes a new file (tried for real with a probe file, which
 * also catches a read-only file system and root's writes that permission bits would not stop).
 */
export async function checkOutputTarget(out: string): Promise<OutputTarget> {
  let path: string;
  let existing: Stats | null;
  try {
    path = await followLinks(out);
    existing = await statOrNull(path, true);
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(`--out ${out}: cannot check the path (${fsErrorReason(err)})`);
  }
  const via = path === resolve(out) ? '' : ` (the link's target ${path})`;
  if (existing && !existing.isFile()) {
    throw new UserError(`--out ${out}${via}: is ${kindOf(existing)}, not a regular file; refusing to replace it (leave out --out to write the JSON to stdout)`);
  }
  const folder = dirname(path);
  const folderStats = await statOrNull(folder, true).catch(() => null);
  if (!folderStats) throw new UserError(`--out ${out}${via}: the folder ${folder} does not exist`);
  if (!folderStats.isDirectory()) throw new UserError(`--out ${out}${via}: ${folder} is not a folder`);
  const probe = uniqueTempPath(path);
  try {
    await (await open(probe, 'wx')).close();
    await unlink(probe);
  } catch (err) {
    await unlink(probe).catch(() => undefined);
    throw new UserError(`--out ${out}${via}: cannot write in the folder ${folder} (${fsErrorReason(err)})`);
  }
  return { path, mode: existing ? existing.mode & 0o7777 : null };
}

/**
 * Replaces `out` (or its symlink's target) with `text` atomically (core/atomicWrite.ts). The path is
 * checked again (it may have changed during a long analysis); on any failure `out` is left as it was.
 */
export async function writeFileAtomically(out: string, text: string, write?: TextWriter): Promise<void> {
  const target = await checkOutputTarget(out);
  try {
    await writeFileAtomic(target.path, text, { mode: target.mode, ...(write ? { write } : {}) });
  } catch (err) {
    throw new UserError(`--out ${out}: cannot write the result (${fsErrorReason(err)}); the file was left as it was`);
  }
}

/** The JSON to `out` (atomically, as above) or, without it, to stdout. */
export async function writeJsonOutput(value: unknown, out: string | undefined): Promise<void> {
  const text = JSON.stringify(value, null, 2) + '\n';
  if (out) await writeFileAtomically(out, text);
  else process.stdout.write(text);
}
