import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { cifarVariantByName, openCifarSource } from './cifar/cifarSource';
import { describeFsError } from './fileAccess';
import { chooseSplit, planFolder, planSplits, type FolderPlan, type SplitName } from './folderPlan';
import { openIdxSource } from './idx/idxSource';
import { ImageFolderSource } from './images/imageFolderSource';
import { findLabelsFile, npzSplits, openNpySource, openNpzSource } from './numpySource';
import { openNpz } from './numpy/npz';
import { sniffFile, SUPPORTED_FORMATS } from './sniff';
import type { DatasetSource, DatasetSpec } from './types';

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch (err) {
    throw describeFsError(path, err);
  }
}

/** Opens a dataset, detecting its format from the content of the file or folder at spec.path. */
export async function openDataset(spec: DatasetSpec): Promise<DatasetSource> {
  if (await isDirectory(spec.path)) return openFolder(spec);
  return openFile(spec);
}

async function openFile(spec: DatasetSpec): Promise<DatasetSource> {
  const path = spec.path;
  const sniffed = await sniffFile(path);
  switch (sniffed.kind) {
    case 'npz':
      return openNpzSource(spec);
    case 'npy':
      return openNpySource(spec);
    case 'idx':
      if (sniffed.dims.length < 2) {
        throw new Error(`${path}: this IDX file holds labels (one dimension); give the images file as the dataset path`);
      }
      return openIdxSource(path, await findLabelsFile(path, spec.labelsPath));
    case 'cifar10':
    case 'cifar100':
      return openCifarSource(path, [path], sniffed.kind, spec.labelKind);
    case 'png':
    case 'jpeg':
      throw new Error(`${path}: a single image; give the folder that holds one sub-folder of images per class`);
    case 'gzip':
      throw new Error(`${path}: a gzip file whose content is not IDX; unsupported (expected ${SUPPORTED_FORMATS})`);
    case 'unknown': {
      const byName = cifarVariantByName(basename(path));
      if (byName) return openCifarSource(path, [path], byName, spec.labelKind);
      throw new Error(
        `${path}: unrecognised format (${sniffed.size} bytes, starting ${sniffed.head || '(empty)'}); expected ${SUPPORTED_FORMATS}`,
      );
    }
  }
}

function onlyFile(source: string, files: string[], what: string): string {
  if (files.length === 1) return files[0]!;
  throw new Error(`${source}: several ${what} files (${files.map((f) => basename(f)).join(', ')}); give one of them as the dataset path`);
}

async function openFolder(spec: DatasetSpec): Promise<DatasetSource> {
  const dir = spec.path;
  const plan = await planFolder(dir);
  const split = chooseSplit(dir, planSplits(plan), spec.split);
  const details = split ? { split } : {};
  switch (plan.kind) {
    case 'split-root': {
      const sub = await openDataset({ ...spec, path: plan.dirs[split!]!, split: undefined });
      return withDetails(sub, { root: dir, split });
    }
    case 'image-folder':
      return ImageFolderSource.open(dir, spec.strict ?? false, details, undefined, spec.imageDecoder ?? 'auto');
    case 'idx': {
      const images = onlyFile(dir, filesOf(plan, split), `IDX images${split ? ` (${split})` : ''}`);
      return openIdxSource(images, await findLabelsFile(images, spec.labelsPath), details);
    }
    case 'cifar':
      return openCifarSource(dir, filesOf(plan, split), plan.variant, spec.labelKind, details);
    case 'npz':
      return openNpzSource({ ...spec, path: onlyFile(dir, filesOf(plan, split), '.npz') });
    case 'npy':
      return openNpySource({ ...spec, path: onlyFile(dir, filesOf(plan, split), 'samples .npy') });
  }
}

function filesOf(plan: Exclude<FolderPlan, { kind: 'split-root' | 'image-folder' }>, split: SplitName | null): string[] {
  return (split ? plan.files[split] : plan.files.all) ?? [];
}

/** A source whose describe() also says which root and split it came from. */
function withDetails(source: DatasetSource, details: Record<string, unknown>): DatasetSource {
  const conformImages = source.conformImages?.bind(source);
  return {
    source: source.source,
    format: source.format,
    size: source.size,
    // Read through: an image folder's shape changes when conformImages sets it.
    get sampleShape() {
      return source.sampleShape;
    },
    get sampleLayout() {
      return source.sampleLayout;
    },
    dtype: source.dtype,
    classNames: source.classNames,
    labels: () => source.labels(),
    read: (indices) => source.read(indices),
    ...(source.sampleName ? { sampleName: (index: number) => source.sampleName!(index) } : {}),
    describe: () => ({ ...source.describe(), ...details }),
    ...(conformImages ? { conformImages } : {}),
    // Forwarded like every optional part: a split root's .npz must be CRC-checked too.
    ...(source.verify ? { verify: () => source.verify!() } : {}),
    close: () => source.close(),
  };
}

/**
 * The splits a dataset path offers: ['train', 'test'] for a root with train/ and test/ folders, an IDX or
 * CIFAR folder with both kinds of files, or an .npz with x_train/x_test; [] for a single-split dataset.
 */
export async function listSplits(root: string): Promise<SplitName[]> {
  if (await isDirectory(root)) return planSplits(await planFolder(root));
  const sniffed = await sniffFile(root);
  if (sniffed.kind !== 'npz') return [];
  const npz = await openNpz(root);
  try {
    return npzSplits(npz);
  } finally {
    await npz.close();
  }
}
