import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..', '..', '..');
export const MODELS_DIR = join(REPO_ROOT, 'test', 'fixtures', 'models');
/** The committed Fashion-MNIST slice: 2,000 train (200 per class) and 1,000 test images, IDX gz. */
export const FASHION_SLICE = join(REPO_ROOT, 'test', 'fixtures', 'fashion');
/** That slice padded to 32x32 (grey, uint8 x/y .npz): 1,000 train (100 per class) and 500 test images, for the 3-channel models. */
export const FASHION32 = join(REPO_ROOT, 'test', 'fixtures', 'fashion32');

export const modelPath = (name: string): string => join(MODELS_DIR, `${name}.onnx`);
export const expectedPath = (name: string): string => join(MODELS_DIR, `${name}.expected.json`);
