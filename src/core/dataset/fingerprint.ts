import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';

/**
 * A hash of the files a source reads (path, size, modification time): cheap to compute, and enough to
 * refuse comparing two results made from different data. Content is not hashed (gigabytes).
 */
export async function fingerprintFiles(files: string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const file of [...files].sort()) {
    const info = await stat(file);
    hash.update(`${file}\0${info.size}\0${Math.round(info.mtimeMs)}\n`);
  }
  return `sha256:${hash.digest('hex').slice(0, 32)}`;
}
