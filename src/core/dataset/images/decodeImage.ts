import { isJpeg, isPng, type DecodedImage } from './decodedImage';
import { decodeJpeg } from './decodeJpeg';
import { decodePng } from './decodePng';
import { checkPixelLimit, readImageHeader } from './imageHeader';

/**
 * Decodes by content (magic bytes), whatever the extension says. The header is read first: an image over
 * MAX_IMAGE_PIXELS throws ImageTooLargeError before a pixel is inflated.
 */
export function decodeImage(bytes: Uint8Array): DecodedImage {
  checkPixelLimit(readImageHeader(bytes));
  if (isPng(bytes)) return decodePng(bytes);
  if (isJpeg(bytes)) return decodeJpeg(bytes);
  throw new Error(bytes.length === 0 ? 'empty file' : 'neither PNG nor JPEG content');
}
