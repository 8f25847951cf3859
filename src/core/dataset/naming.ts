import { basename, dirname, join } from 'node:path';

/**
 * Where the labels of an images file usually live: the same name with the "images" part swapped for the
 * "labels" part (train-images-idx3-ubyte -> train-labels-idx1-ubyte, x_train.npy -> y_train.npy,
 * test_images.npy -> test_labels.npy). Returns candidate paths, most likely first.
 */
export function labelFileCandidates(imagesPath: string): string[] {
  const dir = dirname(imagesPath);
  const name = basename(imagesPath);
  const swaps: [RegExp, string][] = [
    [/images/g, 'labels'],
    [/Images/g, 'Labels'],
    [/image/g, 'label'],
    [/imgs/g, 'labels'],
    [/(^|[-_.])x(?=[-_.]|$)/g, '$1y'],
    [/(^|[-_.])X(?=[-_.]|$)/g, '$1y'],
    [/(^|[-_.])X(?=[-_.]|$)/g, '$1Y'],
    [/(^|[-_.])x(?=[-_.]|$)/g, '$1Y'],
    [/(^|[-_.])data(?=[-_.]|$)/g, '$1labels'],
    [/(^|[-_.])features(?=[-_.]|$)/g, '$1labels'],
    [/(^|[-_.])inputs(?=[-_.]|$)/g, '$1targets'],
    [/(^|[-_.])inputs(?=[-_.]|$)/g, '$1labels'],
  ];
  const names = new Set<string>();
  for (const [pattern, replacement] of swaps) {
    if (!pattern.test(name)) continue;
    pattern.lastIndex = 0;
    // IDX images are idx3 (or idx4 for colour); their labels are idx1.
    const swapped = name.replace(pattern, replacement).replace(/idx[34]/, 'idx1');
    if (swapped === name) continue;
    names.add(swapped);
    if (swapped.endsWith('.gz')) names.add(swapped.slice(0, -3));
    else if (/idx\d/.test(swapped)) names.add(`${swapped}.gz`);
  }
  return [...names].map((n) => join(dir, n));
}

/** 'train' / 'test' from a file name (t10k is MNIST's test prefix, data_batch CIFAR's train), or null. */
export function splitOfFileName(name: string): 'train' | 'test' | null {
  const lower = name.toLowerCase();
  if (/(^|[^a-z])(t10k|test)([^a-z]|$)/.test(lower)) return 'test';
  if (/(^|[^a-z])train([^a-z]|$)/.test(lower) || lower.startsWith('data_batch')) return 'train';
  return null;
}

/** Folder names that hold a held-out split, in the order they are tried for split 'test'. */
export const TEST_FOLDER_NAMES = ['test', 'val', 'validation', 'valid'];
