import type { DecodedImage } from './decodedImage';
import { readImageHeader } from './imageHeader';

/**
 * sharp (libvips with libjpeg-turbo and libspng, prebuilt per platform) decodes JPEGs 10-30x faster than
 * jpeg-js and off the main thread. It is an optional native dependency: where it does not install or load
 * (another platform, a .vsix without it), the pure-JavaScript decoders run instead, and the result says
 * which ran. The core stays usable without any native module: sharp is required lazily, here only.
 */
// The package's types resolve to its ESM declaration (a default export); require() returns that function itself.
type Sharp = typeof import('sharp').default;

export type ImageDecoderName = 'sharp' | 'javascript';

/** Which decoder reads a folder's images, with sharp's libvips version, or why sharp is not used. */
export interface ImageDecoderInfo {
  name: ImageDecoderName;
  /** sharp's and libvips's versions when sharp runs, e.g. "sharp 0.35.5, libvips 8.18.7". */
  version?: string;
  /** Why the JavaScript decoders run: sharp failed to load (with its error), or they were asked for. */
  reason?: string;
}

let loaded: { sharp: Sharp | null; info: ImageDecoderInfo } | undefined;

/** sharp from `load` (require, or a test's stand-in); null with the reason where it throws. */
export function sharpFrom(load: () => unknown): { sharp: Sharp | null; info: ImageDecoderInfo } {
  try {
    const sharp = load() as Sharp;
    return { sharp, info: { name: 'sharp', version: `sharp ${sharp.versions.sharp ?? '?'}, libvips ${sharp.versions.vips}` } };
  } catch (err) {
    // A missing native binary's message runs to a dozen lines of install advice: its first line says what.
    const message = (err instanceof Error ? err.message : String(err)).split('\n')[0];
    return { sharp: null, info: { name: 'javascript', reason: `sharp did not load (${message})` } };
  }
}

/** sharp, loaded once; null (with the reason in `info`) where it cannot load. */
export function loadSharp(): { sharp: Sharp | null; info: ImageDecoderInfo } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= sharpFrom(() => require('sharp'));
  return loaded;
}

/**
 * Decodes a PNG or JPEG with sharp to 8-bit pixels, as the JavaScript decoders would give them: grey
 * stays one channel, RGB three; no EXIF rotation and no colour-profile conversion (PIL, and so
 * torchvision's ImageFolder, applies neither). An image with an alpha channel is refused here (the caller
 * decodes it in JavaScript, which drops alpha and says whether any pixel was transparent). 16-bit PNGs are
 * brought to 8 bits by libvips (rounded), where pngjs truncates: they may differ by one level.
 */
export async function decodeWithSharp(sharp: Sharp, bytes: Uint8Array): Promise<DecodedImage & { alpha?: true }> {
  // sharp turns grey into sRGB on output unless asked to keep it; the header says which the file holds.
  const grey = readImageHeader(bytes)?.channels === 1;
  // failOn 'error' (truncated data included) rather than sharp's default 'warning': libjpeg warns on
  // files PIL opens without a word (extraneous bytes before a marker, found in real ImageNet files).
  // The pixel limit was checked on the header already (MAX_IMAGE_PIXELS), so libvips's own is off.
  const pipeline = sharp(bytes, { ignoreIcc: true, failOn: 'error', limitInputPixels: false });
  const { data, info } = await (grey ? pipeline.toColourspace('b-w') : pipeline)
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  const { width, height, channels } = info;
  const pixels = new Uint8Array(data.buffer, data.byteOffset, data.length);
  if (channels === 3) return { width, height, channels: 3, data: pixels };
  if (channels === 1) return { width, height, channels: 1, data: pixels };
  return { width, height, channels: 3, data: pixels, alpha: true };
}
