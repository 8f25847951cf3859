import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';

function streamInto(hash: Hash, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve());
  });
}

/** Streams the file through sha256 so a large checkpoint never blocks the host's thread or its memory. */
export function sha256File(path: string): Promise<string> {
  return sha256Files([path]);
}

/** sha256 of the files' bytes one after another (a checkpoint and its weight files), streamed. */
export async function sha256Files(paths: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const path of paths) await streamInto(hash, path);
  return hash.digest('hex');
}

/** sha256 of a text's UTF-8 bytes (a shard file's body, checked when it is read back). */
export function sha256Text(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
