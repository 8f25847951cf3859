import type { DatasetSourceInfo } from '../../core/result';
import type { DatasetSource, DatasetSpec } from '../../core/dataset/types';
import { checkLabels, openDataset, selectIndices } from '../../core/dataset';

/** One split, opened, its labels checked and its balanced subsample chosen. */
export interface PreparedSplit {
  name: 'train' | 'test';
  source: DatasetSource;
  indices: Int32Array;
  /** Chosen samples per class. */
  classCounts: number[];
  info: DatasetSourceInfo;
}

export async function prepareSplit(name: 'train' | 'test', spec: DatasetSpec, numClasses: number, perClass: number | null, seed: number): Promise<PreparedSplit> {
  const source = await openDataset(spec);
  try {
    const labels = await source.labels();
    // A held-out split may lack a class (checkSplitsAgree warns); the training split may not.
    checkLabels(labels, numClasses, source.source, source.classNames, { allowEmpty: name === 'test' });
    const indices = selectIndices(labels, numClasses, perClass, seed);
    const classCounts = new Array<number>(numClasses).fill(0);
    for (const i of indices) classCounts[labels[i]]++;
    // describe() carries the source's own fingerprint of the files it reads: a comparison checks it.
    const info: DatasetSourceInfo = { ...source.describe(), source: spec.path, format: source.format, available: source.size };
    return { name, source, indices, classCounts, info };
  } catch (err) {
    // The caller never receives the source, so it cannot close it.
    await source.close();
    throw err;
  }
}
