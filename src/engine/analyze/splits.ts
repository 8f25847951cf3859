import { join } from 'node:path';
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
    return { name, source, indices, classCounts, info: describeSplit(source, spec.path) };
  } catch (err) {
    // The caller never receives the source, so it cannot close it.
    await source.close();
    throw err;
  }
}

/**
 * The split's dataset info for the result. describe() carries the source's own fingerprint of the files
 * it reads (a comparison checks it) and, for image folders, what the reads so far skipped, resized and
 * converted: call it again after the passes, so the result says what actually happened.
 */
export function describeSplit(source: DatasetSource, path: string): DatasetSourceInfo {
  return { ...source.describe(), source: path, format: source.format, available: source.size };
}

/**
 * Refuses a split in which a class that had selected samples kept none (every one of its images was
 * skipped as corrupt): metrics over K-1 classes under K labels would be numbers that look right and
 * are not. `read` holds the samples per class that reached the model.
 */
export function checkNoClassEmptied(
  split: Pick<PreparedSplit, 'name' | 'classCounts' | 'info'> & { source: Pick<DatasetSource, 'format' | 'source' | 'classNames'> },
  read: readonly number[],
): void {
  const emptied = split.classCounts.flatMap((selected, c) => (selected > 0 && (read[c] ?? 0) === 0 ? [c] : []));
  if (emptied.length === 0) return;
  const c = emptied[0]!;
  const source = split.source;
  const name = source.classNames?.[c];
  const folder = source.format === 'image-folder' && name !== undefined ? ` (folder ${join(source.source, name)})` : '';
  const skipped = split.info.skipped;
  const examples = skipped && skipped.examples.length > 0 ? `; skipped files include ${skipped.examples.slice(0, 3).join(', ')}` : '';
  const more = emptied.length > 1 ? ` (and ${emptied.length - 1} more class(es): ${emptied.slice(1, 4).map((k) => source.classNames?.[k] ?? k).join(', ')})` : '';
  throw new Error(
    `${split.name} split: class ${c}${name !== undefined ? ` ("${name}")` : ''}${folder} has no usable sample: all ${split.classCounts[c]} selected sample(s) were skipped as corrupt${more}${examples}. ` +
      'Metrics over the remaining classes would be reported under the full class list; fix or remove the files, or remove the class',
  );
}
