import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { cifarVariantByName, type CifarVariant } from './cifar/cifarSource';
import { describeFsError, exists } from './fileAccess';
import { listSubfolders } from './images/listing';
import { labelFileCandidates, splitOfFileName, TEST_FOLDER_NAMES } from './naming';
import { sniffFile, SUPPORTED_FORMATS } from './sniff';

export type SplitName = 'train' | 'test';
/** Files of a split; 'all' holds files whose names name no split. */
type SplitFiles = Partial<Record<SplitName | 'all', string[]>>;

/** What a folder holds, worked out from its sub-folders and the content of its files. */
export type FolderPlan =
  | { kind: 'split-root'; dirs: Partial<Record<SplitName, string>> }
  | { kind: 'idx'; files: SplitFiles }
  | { kind: 'cifar'; variant: CifarVariant; files: SplitFiles }
  | { kind: 'npz'; files: SplitFiles }
  | { kind: 'npy'; files: SplitFiles }
  | { kind: 'image-folder' };

// Sniffing every file of a huge flat folder would be slow; dataset folders hold a handful of files.
const MAX_SNIFFED_FILES = 256;

function addTo(files: SplitFiles, path: string): void {
  const split = splitOfFileName(basename(path)) ?? 'all';
  (files[split] ??= []).push(path);
}


function batchNumber(path: string): number {
  const m = /(\d+)\D*$/.exec(basename(path));
  return m ? Number(m[1]) : 0;
}

export async function planFolder(dir: string): Promise<FolderPlan> {
  const subfolders = await listSubfolders(dir);
  const train = subfolders.includes('train') ? join(dir, 'train') : undefined;
  const testName = TEST_FOLDER_NAMES.find((n) => subfolders.includes(n));
  const test = testName ? join(dir, testName) : undefined;
  const onlySplits = subfolders.every((n) => n === 'train' || n === testName);
  if ((train && test) || ((train || test) && onlySplits)) {
    return { kind: 'split-root', dirs: { ...(train ? { train } : {}), ...(test ? { test } : {}) } };
  }

  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    throw describeFsError(dir, err);
  }
  const paths = entries
    .filter((e) => e.isFile() && !e.name.startsWith('.'))
    .map((e) => join(dir, e.name))
    .sort()
    .slice(0, MAX_SNIFFED_FILES);
  const idx: SplitFiles = {};
  const cifar: Record<CifarVariant, SplitFiles> = { cifar10: {}, cifar100: {} };
  const npz: SplitFiles = {};
  const npy: SplitFiles = {};
  for (const path of paths) {
    const sniffed = await sniffFile(path);
    if (sniffed.kind === 'idx' && sniffed.dims.length >= 2) addTo(idx, path);
    else if (sniffed.kind === 'cifar10' || sniffed.kind === 'cifar100') addTo(cifar[sniffed.kind], path);
    else if (sniffed.kind === 'unknown' && cifarVariantByName(basename(path))) {
      // Named like a CIFAR batch but not shaped like one (truncated?): keep it so opening reports why.
      addTo(cifar[cifarVariantByName(basename(path))!], path);
    } else if (sniffed.kind === 'npz') addTo(npz, path);
    else if (sniffed.kind === 'npy') {
      // A samples array is one whose labels file exists by naming (x_train.npy -> y_train.npy).
      for (const candidate of labelFileCandidates(path)) {
        if (candidate !== path && (await exists(candidate))) {
          addTo(npy, path);
          break;
        }
      }
    }
  }
  const nonEmpty = (files: SplitFiles): boolean => Object.keys(files).length > 0;
  if (nonEmpty(idx)) return { kind: 'idx', files: idx };
  for (const variant of ['cifar10', 'cifar100'] as const) {
    const files = cifar[variant];
    if (nonEmpty(files)) {
      for (const list of Object.values(files)) list.sort((a, b) => batchNumber(a) - batchNumber(b));
      return { kind: 'cifar', variant, files };
    }
  }
  if (nonEmpty(npz)) return { kind: 'npz', files: npz };
  if (nonEmpty(npy)) return { kind: 'npy', files: npy };
  if (subfolders.length > 0) return { kind: 'image-folder' };
  throw new Error(`${dir}: no dataset found in this folder (expected ${SUPPORTED_FORMATS})`);
}

/** The splits a plan offers; [] when the folder is a single split. */
export function planSplits(plan: FolderPlan): SplitName[] {
  switch (plan.kind) {
    case 'split-root':
      return (['train', 'test'] as const).filter((s) => plan.dirs[s]);
    case 'image-folder':
      return [];
    default: {
      const files = plan.files;
      return files.train || files.test ? (['train', 'test'] as const).filter((s) => files[s]) : [];
    }
  }
}

/**
 * The split to open: the requested one, or the only one there is. A dataset without splits ignores the
 * request; a dataset with several needs one.
 */
export function chooseSplit(source: string, available: SplitName[], requested: SplitName | undefined): SplitName | null {
  if (available.length === 0) return null;
  if (requested) {
    if (!available.includes(requested)) throw new Error(`${source}: has no '${requested}' split (it has: ${available.join(', ')})`);
    return requested;
  }
  if (available.length === 1) return available[0]!;
  throw new Error(`${source}: holds the splits ${available.join(' and ')}; choose one (split: 'train' | 'test')`);
}
