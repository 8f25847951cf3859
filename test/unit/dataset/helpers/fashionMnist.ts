/**
 * The same Fashion-MNIST images written as IDX, .npz and a PNG image folder, for tests that check that
 * every reader hands the model the same input. Debian's dataset-fashion-mnist package provides the data.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { writeIdx, writeNpz, writePng } from './writers';

export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';
export const FASHION_TEST_IMAGES = join(FASHION_MNIST_DIR, 't10k-images-idx3-ubyte.gz');
export const FASHION_TEST_LABELS = join(FASHION_MNIST_DIR, 't10k-labels-idx1-ubyte.gz');
/** Folder names that sort in label order, so ImageFolder's labels equal the IDX labels. */
export const FASHION_FOLDERS = ['0_tshirt', '1_trouser', '2_pullover', '3_dress', '4_coat', '5_sandal', '6_shirt', '7_sneaker', '8_bag', '9_boot'];

export function fashionMnistMissing(): string | false {
  return existsSync(FASHION_TEST_IMAGES) && existsSync(FASHION_TEST_LABELS)
    ? false
    : `${FASHION_MNIST_DIR} is missing (apt-get install dataset-fashion-mnist; scripts/install-system.sh does it)`;
}

export interface FashionVariants {
  count: number;
  /** The first `count` test images and labels, as read from the Debian files by plain zlib. */
  pixels: Uint8Array;
  labels: Int32Array;
  idxImages: string;
  npzStored: string;
  npzCompressed: string;
  pngFolder: string;
  /** Image-folder row -> original index (the folder lists by class, then by file name). */
  folderOrder: Int32Array;
}

export function writeFashionVariants(dir: string, count: number): FashionVariants {
  const imagesFile = gunzipSync(readFileSync(FASHION_TEST_IMAGES));
  const labelsFile = gunzipSync(readFileSync(FASHION_TEST_LABELS));
  const pixels = new Uint8Array(imagesFile.subarray(16, 16 + count * 784));
  const labels = Int32Array.from(labelsFile.subarray(8, 8 + count));
  const idxImages = writeIdx(join(dir, 'idx', 'fashion-images-idx3-ubyte.gz'), 'uint8', [count, 28, 28], pixels, true);
  writeIdx(join(dir, 'idx', 'fashion-labels-idx1-ubyte.gz'), 'uint8', [count], labels, true);
  const arrays = { x: { data: pixels, shape: [count, 28, 28] }, y: { data: BigInt64Array.from(labels, BigInt), shape: [count] } };
  const npzStored = writeNpz(join(dir, 'stored.npz'), arrays, false);
  const npzCompressed = writeNpz(join(dir, 'compressed.npz'), arrays, true);
  const pngFolder = join(dir, 'png');
  for (let i = 0; i < count; i++) {
    writePng(join(pngFolder, FASHION_FOLDERS[labels[i]!]!, `${String(i).padStart(5, '0')}.png`), 28, 28, 1, pixels.subarray(i * 784, (i + 1) * 784));
  }
  const folderOrder = Int32Array.from({ length: count }, (_, i) => i).sort((a, b) => labels[a]! - labels[b]! || a - b);
  return { count, pixels, labels, idxImages, npzStored, npzCompressed, pngFolder, folderOrder };
}
