import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describeFsError, pathKind } from '../fileAccess';
import { validateDatasetConfig, type DatasetConfig } from './schema';

export const CONFIG_FILE_NAME = 'collapse-lens.json';

export interface LoadedDatasetConfig {
  /** The file it came from. */
  path: string;
  config: DatasetConfig;
}

/** Reads and validates one collapse-lens.json; errors name the file. */
export async function readDatasetConfig(file: string): Promise<DatasetConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw describeFsError(file, err);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${(err as Error).message})`);
  }
  return validateDatasetConfig(parsed, file);
}

/** Folders searched, in order: the data folder itself, the folder beside it, then the checkpoint's folder. */
export async function configSearchPath(dataPath: string | null, checkpointPath: string | null): Promise<string[]> {
  const folders: string[] = [];
  if (dataPath) {
    if ((await pathKind(dataPath)) === 'dir') folders.push(dataPath);
    folders.push(dirname(dataPath));
  }
  if (checkpointPath) folders.push(dirname(checkpointPath));
  return [...new Set(folders)].map((f) => join(f, CONFIG_FILE_NAME));
}

/**
 * The collapse-lens.json next to the data (or, failing that, next to the checkpoint), parsed and
 * validated; null when there is none. The first one found wins; they are not merged.
 */
export async function loadDatasetConfig(dataPath: string | null, checkpointPath: string | null): Promise<LoadedDatasetConfig | null> {
  for (const candidate of await configSearchPath(dataPath, checkpointPath)) {
    if ((await pathKind(candidate)) === 'file') return { path: candidate, config: await readDatasetConfig(candidate) };
  }
  return null;
}
