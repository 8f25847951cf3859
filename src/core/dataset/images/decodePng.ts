import { PNG } from 'pngjs';
import { inflateSync } from 'node:zlib';
import { crc32 } from '../crc32';
import { bytesOf } from '../fileAccess';
import { isPng, type DecodedImage } from './decodedImage';
import { createPngFastPath } from './pngFastPath';

const fastPath = createPngFastPath({ inflate: (compressed) => bytesOf(inflateSync(compressed)), crc32 });

/** Keeps grey or RGB samples, dropping alpha. */
function dropAlpha(pixels: Uint8Array, count: number, samples: number, keep: 1 | 3): Uint8Array {
  if (samples === keep) return pixels;
  const out = new Uint8Array(count * keep);
  for (let i = 0; i < count; i++) for (let k = 0; k < keep; k++) out[i * keep + k] = pixels[i * samples + k]!;
  return out;
}

/** The fast path (8-bit grey/RGB with or without alpha, not interlaced; see pngFastPath.ts), else pngjs. */
export function decodePng(bytes: Uint8Array): DecodedImage {
  if (!isPng(bytes)) throw new Error('not a PNG (bad signature)');
  return fastPath.decode(bytes) ?? decodeWithPngjs(bytes);
}

/** Palette, 16-bit (scaled to 8 bits by pngjs), sub-byte and interlaced PNGs. */
function decodeWithPngjs(bytes: Uint8Array): DecodedImage {
  const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const channels: 1 | 3 = png.color ? 3 : 1;
  const rgba = bytesOf(png.data);
  return { width: png.width, height: png.height, channels, data: dropAlpha(rgba, png.width * png.height, 4, channels) };
}
