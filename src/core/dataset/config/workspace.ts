import { dirname, isAbsolute, resolve } from 'node:path';
import { listSplits } from '../open';
import type { DatasetSpec } from '../types';
import { readDatasetConfig } from './load';
import { refToSpec } from './schema';

/** A dataset named in collapse-lens.json, with absolute paths, ready for openDataset. */
export interface WorkspaceDataset {
  name: string;
  description?: string;
  /** The file that named it. */
  configPath: string;
  train: DatasetSpec;
  test?: DatasetSpec;
}

function absolute(spec: DatasetSpec, base: string): DatasetSpec {
  const at = (p: string): string => (isAbsolute(p) ? p : resolve(base, p));
  return { ...spec, path: at(spec.path), ...(spec.labelsPath ? { labelsPath: at(spec.labelsPath) } : {}) };
}

/**
 * The named datasets of one collapse-lens.json (for the quick pick), paths resolved against the file's
 * folder. An entry with `path` (a root holding both splits) gives train and, when the root has one, test.
 */
export async function describeWorkspaceDatasets(configPath: string): Promise<WorkspaceDataset[]> {
  const config = await readDatasetConfig(configPath);
  const base = dirname(configPath);
  const out: WorkspaceDataset[] = [];
  for (const entry of config.datasets ?? []) {
    let train: DatasetSpec;
    let test: DatasetSpec | undefined;
    if (entry.train !== undefined) {
      train = absolute(refToSpec(entry.train), base);
      if (entry.test !== undefined) test = absolute(refToSpec(entry.test), base);
    } else {
      const root = absolute({ path: entry.path! }, base).path;
      let splits: string[] = [];
      try {
        splits = await listSplits(root);
      } catch {
        // A missing folder is reported when the dataset is opened; the pick list still shows the entry.
      }
      train = splits.length ? { path: root, split: 'train' } : { path: root };
      if (splits.includes('test')) test = { path: root, split: 'test' };
    }
    out.push({ name: entry.name, ...(entry.description ? { description: entry.description } : {}), configPath, train, ...(test ? { test } : {}) });
  }
  return out;
}
