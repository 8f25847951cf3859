/**
 * The one way Collapse Lens replaces a file: a temporary beside it, written whole and synced, then
 * renamed over it. A crash, a full disk or a power cut leaves the previous version or the new one,
 * never a torn or empty file. Used by the run store and by the CLI's --out (outputFile.ts, which first
 * resolves symlinks and refuses what is not a regular file).
 */
import { randomBytes } from 'node:crypto';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

let written = 0;

/**
 * A hidden temporary name beside `target`, unique to this process and this write: two writes of the same
 * file at once (two saves, two VS Code windows on one run store) each rename their own complete file
 * instead of one renaming the other's away (ENOENT) or half of each.
 */
export function uniqueTempPath(target: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}.${++written}.${randomBytes(4).toString('hex')}.tmp`);
}

/** Writes the whole text to an open file; an option so a test can make it fail midway (a full disk). */
export type TextWriter = (file: FileHandle, text: string) => Promise<void>;

const writeWhole: TextWriter = (file, text) => file.writeFile(text);

export interface AtomicWriteOptions {
  /** Permission bits for the new file (those of the file it replaces: a private result stays private). */
  mode?: number | null;
  write?: TextWriter;
}

/** Replaces `target` with `text`, whole or not at all; on any failure the temporary is removed and the error rethrown. */
export async function writeFileAtomic(target: string, text: string, options: AtomicWriteOptions = {}): Promise<void> {
  const tmp = uniqueTempPath(target);
  let file: FileHandle | undefined;
  try {
    file = await open(tmp, 'wx');
    if (options.mode !== undefined && options.mode !== null) await file.chmod(options.mode);
    await (options.write ?? writeWhole)(file, text);
    // On disk before the rename: a power cut must leave the old file or the new one, not an empty one.
    await file.sync();
    await file.close();
    file = undefined;
    await rename(tmp, target);
  } catch (error) {
    await file?.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    throw error;
  }
}
