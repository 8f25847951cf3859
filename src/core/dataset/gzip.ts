import { createReadStream } from 'node:fs';
import { constants as zlibConstants, createGunzip, gunzipSync } from 'node:zlib';
import { bytesOf, describeFsError, errorCode } from './fileAccess';

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

export interface Gunzipped {
  /** The inflated bytes, at most the size the header announced. */
  bytes: Uint8Array;
  /** How many bytes the file really inflates to (may differ from bytes.length when the file is wrong). */
  total: number;
}

/**
 * Inflates a gzip file into one buffer sized from its own header (`sizeFromHead` reads the first
 * `headBytes` inflated bytes). gzip cannot be read at an offset, so the file is inflated once and held
 * (Fashion-MNIST train images: 47 MB); streaming into a buffer of the final size keeps the peak at that,
 * instead of compressed + chunks + concatenated copy.
 */
export async function gunzipFile(path: string, headBytes: number, sizeFromHead: (head: Uint8Array) => number): Promise<Gunzipped> {
  const input = createReadStream(path, { highWaterMark: 1 << 20 });
  const gunzip = createGunzip({ chunkSize: 1 << 20 });
  let openError: unknown = null;
  input.on('error', (err) => {
    openError = err;
    gunzip.destroy(err);
  });
  input.pipe(gunzip);
  let head: Uint8Array = new Uint8Array(0);
  let bytes: Uint8Array | null = null;
  let total = 0;
  const place = (chunk: Uint8Array): void => {
    if (bytes && total < bytes.length) bytes.set(chunk.subarray(0, bytes.length - total), total);
    total += chunk.length;
  };
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      const data = bytesOf(chunk);
      if (bytes) {
        place(data);
        continue;
      }
      const joined = new Uint8Array(head.length + data.length);
      joined.set(head);
      joined.set(data, head.length);
      head = joined;
      if (head.length >= headBytes) {
        bytes = new Uint8Array(sizeFromHead(head));
        place(head);
      }
    }
  } catch (err) {
    if (openError) throw describeFsError(path, openError);
    if (!errorCode(err).startsWith('Z_')) throw err;
    const reason = (err as Error).message;
    const hint = /unexpected end/i.test(reason) ? 'truncated gzip file' : 'corrupt gzip data';
    throw new Error(`${path}: cannot decompress (${hint}: ${reason})`);
  } finally {
    // Stops reading when the loop left early (a bad header); a no-op after a normal end.
    input.destroy();
    gunzip.destroy();
  }
  if (!bytes) {
    bytes = new Uint8Array(sizeFromHead(head));
    place(head);
  }
  return { bytes: bytes.subarray(0, Math.min(total, bytes.length)), total };
}
