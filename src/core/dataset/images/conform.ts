import { resizeUint8 } from '../preprocess/bilinear';
import { LUMA } from '../color';
import type { DecodedImage } from './decodedImage';

export interface Conformed {
  data: Uint8Array;
  resized: boolean;
  /** The channel conversion done, if any. */
  conversion: 'grey-to-rgb' | 'rgb-to-grey' | null;
}

/**
 * Brings a decoded image to the folder's sample shape (see ImageFolderSource): grey <-> RGB, then size.
 * A folder of uniform images that fit the model never takes these paths; others are counted in describe().
 */
export function conformImage(image: DecodedImage, h: number, w: number, c: 1 | 3): Conformed {
  let data = image.data;
  let conversion: Conformed['conversion'] = null;
  if (image.channels !== c) {
    conversion = c === 3 ? 'grey-to-rgb' : 'rgb-to-grey';
    const pixels = image.width * image.height;
    const out = new Uint8Array(pixels * c);
    if (c === 3) {
      for (let i = 0; i < pixels; i++) out[3 * i] = out[3 * i + 1] = out[3 * i + 2] = data[i]!;
    } else {
      for (let i = 0; i < pixels; i++) {
        out[i] = Math.round(LUMA[0] * data[3 * i]! + LUMA[1] * data[3 * i + 1]! + LUMA[2] * data[3 * i + 2]!);
      }
    }
    data = out;
  }
  const resized = image.height !== h || image.width !== w;
  if (resized) data = resizeUint8(data, image.height, image.width, c, h, w);
  return { data, resized, conversion };
}
