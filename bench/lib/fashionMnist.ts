/**
 * The 10,000 Fashion-MNIST test images from Debian's dataset-fashion-mnist package, read here with plain
 * zlib (not the engine's IDX reader) for the bare runtime loops, which must not share the engine's code.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { selectIndices } from '../../src/core/dataset/sampling';
import { FASHION_TEST_IMAGES, FASHION_TEST_LABELS } from '../../test/unit/dataset/helpers/fashionMnist';

// Where Debian puts the files, and the check that they are there: the dataset tests' own.
export { FASHION_MNIST_DIR, FASHION_TEST_IMAGES, FASHION_TEST_LABELS, fashionMnistMissing } from '../../test/unit/dataset/helpers/fashionMnist';

export interface LoadedImages {
  count: number;
  /** count x 28 x 28 values in [0, 1] (pixels / 255): NCHW with one channel, or NHWC, the same bytes. */
  input: Float32Array;
  labels: Int32Array;
}

function readIdx(path: string, magic: number): { dims: number[]; body: Buffer } {
  const bytes = gunzipSync(readFileSync(path));
  if (bytes.readUInt32BE(0) !== magic) throw new Error(`${path}: not an IDX file with magic 0x${magic.toString(16)}`);
  const rank = magic & 0xff;
  const dims = Array.from({ length: rank }, (_, i) => bytes.readUInt32BE(4 + 4 * i));
  return { dims, body: bytes.subarray(4 + 4 * rank) };
}

/** All test images scaled by 1/255, loaded once, as the bare loops feed them. */
export function loadFashionTest(): LoadedImages {
  const images = readIdx(FASHION_TEST_IMAGES, 0x00000803);
  const labels = readIdx(FASHION_TEST_LABELS, 0x00000801);
  const [count, h, w] = images.dims as [number, number, number];
  if (h !== 28 || w !== 28 || labels.dims[0] !== count) throw new Error(`${FASHION_TEST_IMAGES}: unexpected dims [${images.dims.join(', ')}]`);
  const input = new Float32Array(count * h * w);
  for (let i = 0; i < input.length; i++) input[i] = images.body[i]! / 255;
  return { count, input, labels: Int32Array.from(labels.body.subarray(0, count)) };
}

/**
 * The images a sampled analysis reads (`perClass` of each class, seed 0, by the engine's own sampling rule),
 * in the order it reads them: the bare loop then runs the same inferences, and the two accuracies must agree.
 * All images when `perClass` is null.
 */
export function sampledImages(images: LoadedImages, perClass: number | null): LoadedImages {
  if (perClass === null) return images;
  const indices = selectIndices(images.labels, 10, perClass, 0);
  const size = images.input.length / images.count;
  const input = new Float32Array(indices.length * size);
  indices.forEach((index, i) => input.set(images.input.subarray(index * size, (index + 1) * size), i * size));
  return { count: indices.length, input, labels: Int32Array.from(indices, (index) => images.labels[index]!) };
}
