import { decode } from 'jpeg-js';
import { isJpeg, type DecodedImage } from './decodedImage';

/** Size and colour components from the JPEG frame header (SOFn), or null if none is found. */
export function jpegFrame(bytes: Uint8Array): { width: number; height: number; components: number } | null {
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return null;
    const marker = bytes[at + 1]!;
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01 || marker === 0xff) {
      at += marker === 0xff ? 1 : 2;
      continue;
    }
    const length = (bytes[at + 2]! << 8) | bytes[at + 3]!;
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) {
      if (at + 9 >= bytes.length) return null;
      return { height: (bytes[at + 5]! << 8) | bytes[at + 6]!, width: (bytes[at + 7]! << 8) | bytes[at + 8]!, components: bytes[at + 9]! };
    }
    if (marker === 0xda) return null;
    at += 2 + length;
  }
  return null;
}

/**
 * jpeg-js, with tolerant decoding off so a truncated file is an error rather than a half-grey picture.
 * Its IDCT can differ from libjpeg's (PIL, OpenCV) by one grey level in places.
 */
export function decodeJpeg(bytes: Uint8Array): DecodedImage {
  if (!isJpeg(bytes)) throw new Error('not a JPEG (bad signature)');
  const image = decode(bytes, { useTArray: true, formatAsRGBA: false, tolerantDecoding: false, maxMemoryUsageInMB: 1024 });
  const { width, height } = image;
  const rgb = image.data;
  if (rgb.length < width * height * 3) throw new Error('truncated JPEG data');
  if (jpegFrame(bytes)?.components === 1) {
    const grey = new Uint8Array(width * height);
    for (let i = 0; i < grey.length; i++) grey[i] = rgb[i * 3]!;
    return { width, height, channels: 1, data: grey };
  }
  return { width, height, channels: 3, data: rgb };
}
