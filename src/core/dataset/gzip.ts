import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { constants as zlibConstants, gunzip, gunzipSync } from 'node:zlib';
import { bytesOf, describeFsError } from './fileAccess';

const gunzipAsync = promisify(gunzip);

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** The first bytes a gzip stream inflates to, from a prefix of it (for detection by content). */
export function gunzipPrefix(prefix: Uint8Array): Uint8Array {
  try {
    return bytesOf(gunzipSync(prefix, { finishFlush: zlibConstants.Z_SYNC_FLUSH }));
  } catch {
    return new Uint8Array(0);
  }
}

/**
 * A whole gzip file inflated into memory. gzip cannot be read at an offset, and decompressing once costs
 * the uncompressed size in memory (Fashion-MNIST train images: 47 MB) but keeps every later read a copy.
 */
export async function gunzipFile(path: string): Promise<Uint8Array> {
  let compressed: Buffer;
  try {
    compressed = await readFile(path);
  } catch (err) {
    throw describeFsError(path, err);
  }
  try {
    return bytesOf(await gunzipAsync(bytesOf(compressed)));
  } catch (err) {
    const reason = (err as Error).message;
    const hint = /unexpected end/i.test(reason) ? 'truncated gzip file' : 'corrupt gzip data';
    throw new Error(`${path}: cannot decompress (${hint}: ${reason})`);
  }
}
