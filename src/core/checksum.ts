import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** Streams the file through sha256 so a large checkpoint never blocks the host's thread or its memory. */
export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}
