import { PNG } from 'pngjs';
import { inflateSync } from 'node:zlib';
import { crc32 } from '../crc32';
import { bytesOf } from '../fileAccess';
import type { DecodedImage } from './decodedImage';
import { createPngFastPath } from './pngFastPath';

const fastPath = createPngFastPath({ inflate: (compressed) => bytesOf(inflateSync(compressed)), crc32 });

/** The fast path (8-bit grey/RGB with or without alpha, not interlaced; see pngFastPath.ts), else pngjs. */
export function decodePng(bytes: Uint8Array): DecodedImage {
  // The fast path checks the signature (and throws "not a PNG") before declining what it does not take.
  return fastPath.decode(bytes) ?? decodeWithPngjs(bytes);
}

/** Palette, 16-bit (scaled to 8 bits by pngjs), sub-byte and interlaced PNGs. */
function decodeWithPngjs(bytes: Uint8Array): DecodedImage {
  const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const channels: 1 | 3 = png.color ? 3 : 1;
  const rgba = bytesOf(png.data);
  return { width: png.width, height: png.height, channels, data: fastPath.dropAlpha(rgba, png.width * png.height, 4, channels) };
}
