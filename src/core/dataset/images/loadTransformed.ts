import { readFile } from 'node:fs/promises';
import { describeFsError } from '../fileAccess';
import { resizeCropAntialiased } from './antialiasResize';
import type { DecodedImage } from './decodedImage';
import { decodeImage } from './decodeImage';
import { checkPixelLimit, ImageTooLargeError, readImageHeader } from './imageHeader';
import { planTransform, type ImageTransform } from './imageTransform';
import type { ImageOutcome } from './loadImages';
import { decodeWithSharp, type loadSharp } from './sharpDecoder';
import { messageOf } from '../../messageOf';

type Sharp = NonNullable<ReturnType<typeof loadSharp>['sharp']>;

/**
 * Decodes in flight at once with sharp: enough to keep libvips's threads busy while this thread resizes,
 * few enough that a batch of 12-megapixel photos does not hold them all decoded at once.
 */
const SHARP_IN_FLIGHT = 8;

const nextTick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** What went wrong with a file that is not a refusal of the run: the sample is skipped (or, strict, fails). */
const failure = (err: unknown, path: string): ImageOutcome => {
  if (err instanceof ImageTooLargeError) return { ok: false, reason: err.message, tooLarge: true };
  return { ok: false, reason: messageOf(err).replace(`${path}: `, '') };
};

/**
 * Decodes one file with sharp (or the JavaScript decoders: sharp null, or an image with an alpha channel,
 * whose drop the JavaScript decoders count), then resizes and crops it in JavaScript. Both decoders hand
 * the same transform the pixels: the resize is Pillow's, byte for byte, whichever decoder ran (sharp's own
 * resize kernels differ from PIL's, see docs/datasets.md). A crop larger than the image throws, naming it.
 */
async function loadOne(path: string, transform: ImageTransform, sharp: Sharp | null): Promise<ImageOutcome> {
  let bytes: Uint8Array;
  try {
    // Asynchronous: several images are in flight for sharp at once, and a blocking read would serialise them.
    bytes = await readFile(path);
  } catch (err) {
    return failure(describeFsError(path, err), path);
  }
  let image: DecodedImage;
  try {
    checkPixelLimit(readImageHeader(bytes));
    if (sharp) {
      const decoded = await decodeWithSharp(sharp, bytes);
      image = decoded.alpha ? decodeImage(bytes) : decoded;
    } else {
      image = decodeImage(bytes);
    }
  } catch (err) {
    return failure(err, path);
  }
  const plan = planTransform(image.width, image.height, transform, path);
  const data = resizeCropAntialiased(image.data, image.height, image.width, image.channels, plan.resizedHeight, plan.resizedWidth, plan.crop);
  const out: DecodedImage = { width: plan.crop.width, height: plan.crop.height, channels: image.channels, data };
  if (image.droppedAlpha) out.droppedAlpha = true;
  return { ok: true, image: out };
}

/**
 * Reads, decodes and transforms `paths`, in order. With sharp, up to SHARP_IN_FLIGHT files decode at once
 * on libvips's threads; without it, one at a time on this thread, returning to the event loop between
 * files (a JavaScript JPEG decode of a photo takes tens of milliseconds).
 */
export async function loadTransformedImages(paths: string[], transform: ImageTransform, sharp: Sharp | null): Promise<ImageOutcome[]> {
  const outcomes = new Array<ImageOutcome>(paths.length);
  if (!sharp) {
    for (let i = 0; i < paths.length; i++) {
      if (i > 0) await nextTick();
      outcomes[i] = await loadOne(paths[i]!, transform, null);
    }
    return outcomes;
  }
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < paths.length) {
      const i = next++;
      outcomes[i] = await loadOne(paths[i]!, transform, sharp);
    }
  };
  await Promise.all(Array.from({ length: Math.min(SHARP_IN_FLIGHT, paths.length) }, worker));
  return outcomes;
}
