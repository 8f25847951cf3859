import { PNG } from 'pngjs';
import { inflateSync } from 'node:zlib';
import { crc32 } from '../crc32';
import { bytesOf } from '../fileAccess';
import type { DecodedImage } from './decodedImage';
import { createPngFastPath } from './pngFastPath';

const fastPath = createPngFastPath({ inflate: (compressed) => bytesOf(inflateSync(compressed)), crc32 });

/** Size and channels from the IHDR (CRC checked), before any decoding; null without one. */
export const pngHeader = (bytes: Uint8Array): ReturnType<typeof fastPath.header> => fastPath.header(bytes);

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
  const count = png.width * png.height;
  const image: DecodedImage = { width: png.width, height: png.height, channels, data: fastPath.dropAlpha(rgba, count, 4, channels) };
  // pngjs always hands back RGBA: a palette's tRNS entries and 16-bit alpha show up here.
  if (fastPath.hasTransparency(rgba, count, 4)) image.droppedAlpha = true;
  return image;
}
