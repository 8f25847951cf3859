import { randomBytes } from 'node:crypto';
import { promises as fs, renameSync, rmSync, writeFileSync } from 'node:fs';

let written = 0;

/**
 * A temporary name beside `target`, unique to this process and this write: two writes of the same
 * file at once (two saves, two VS Code windows on one run store) each rename their own complete
 * file instead of one renaming the other's away (ENOENT) or half of each.
 */
export function uniqueTempPath(target: string): string {
  return `${target}.${process.pid}.${++written}.${randomBytes(4).toString('hex')}.tmp`;
}

/** Writes a file whole or not at all: a crash mid-write leaves the previous version, never a torn one. */
export async function writeFileAtomic(target: string, text: string): Promise<void> {
  const tmp = uniqueTempPath(target);
  try {
    await fs.writeFile(tmp, text);
    await fs.rename(tmp, target);
  } catch (error) {
    await fs.rm(tmp, { force: true });
    throw error;
  }
}

/** writeFileAtomic for the CLI's synchronous output. */
export function writeFileAtomicSync(target: string, text: string): void {
  const tmp = uniqueTempPath(target);
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, target);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}
