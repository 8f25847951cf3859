import { isJpeg, isPng } from './decodedImage';
import { jpegFrame } from './decodeJpeg';
import { pngHeader } from './decodePng';

/**
 * The most pixels one image may have: 50 megapixels (e.g. 7071x7071), far above any classifier's input
 * and above the photos of most cameras. A larger image is refused, not decoded: a 30000x30000 grey PNG of
 * 875 KB on disk took minutes and 4.7 GB to decode, only to be shrunk to the model's few hundred pixels.
 */
export const MAX_IMAGE_PIXELS = 50_000_000;

/** What a PNG's IHDR or a JPEG's frame header (SOFn) says, read before any pixel is decoded. */
export interface ImageHeader {
  width: number;
  height: number;
  channels: 1 | 3;
}

/** An image whose header claims more than MAX_IMAGE_PIXELS: a refusal of the run, not a skipped sample. */
export class ImageTooLargeError extends Error {
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    super(tooLargeReason(width, height));
    this.name = 'ImageTooLargeError';
  }
}

/** The one line a too-large image gets (the caller puts the file's path before it). */
export function tooLargeReason(width: number, height: number): string {
  const megapixels = (width * height) / 1e6;
  return (
    `the image is ${width}x${height} (${megapixels.toFixed(1)} megapixels), over the limit of ${MAX_IMAGE_PIXELS / 1e6} megapixels ` +
    'per image: decoding it would take minutes and gigabytes of memory. Shrink it or move it out of the dataset'
  );
}

/**
 * Width, height and channels from the header alone, or null when the bytes hold no readable header (the
 * decoder then says what is wrong). A PNG's IHDR counts only when its CRC holds, so a damaged header is
 * a corrupt file, not a huge one.
 */
export function readImageHeader(bytes: Uint8Array): ImageHeader | null {
  if (isPng(bytes)) return pngHeader(bytes);
  if (isJpeg(bytes)) {
    const frame = jpegFrame(bytes);
    return frame ? { width: frame.width, height: frame.height, channels: frame.components === 1 ? 1 : 3 } : null;
  }
  return null;
}

/** Throws ImageTooLargeError when the header claims more than MAX_IMAGE_PIXELS. */
export function checkPixelLimit(header: ImageHeader | null): void {
  if (header && header.width * header.height > MAX_IMAGE_PIXELS) throw new ImageTooLargeError(header.width, header.height);
}
