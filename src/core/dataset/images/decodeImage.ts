import { isJpeg, isPng, type DecodedImage } from './decodedImage';
import { decodeJpeg } from './decodeJpeg';
import { decodePng } from './decodePng';

/** Decodes by content (magic bytes), whatever the extension says. */
export function decodeImage(bytes: Uint8Array): DecodedImage {
  if (isPng(bytes)) return decodePng(bytes);
  if (isJpeg(bytes)) return decodeJpeg(bytes);
  throw new Error(bytes.length === 0 ? 'empty file' : 'neither PNG nor JPEG content');
}
