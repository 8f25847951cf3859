import type { DatasetSpec, PreprocessingOptions } from '../types';
import { transformProblem } from '../images/imageTransform';

/** Preprocessing and sampling settings as they may appear in flags, collapse-lens.json or VS Code settings. */
export interface PreprocessingSettings extends PreprocessingOptions {
  /** Balanced subsample size per class; null = every sample. */
  perClass?: number | null;
  seed?: number;
}

/** A dataset location in collapse-lens.json: a path, or a path with reader options. */
export interface DatasetRef {
  path: string;
  labels?: string;
  arrays?: { x?: string; y?: string };
  split?: 'train' | 'test';
  labelKind?: 'fine' | 'coarse';
}

export interface DatasetEntry {
  name: string;
  /** A root holding both splits (train/ + test/, an IDX or CIFAR folder, an .npz with x_train/x_test). */
  path?: string;
  train?: string | DatasetRef;
  test?: string | DatasetRef;
  description?: string;
}

/** The collapse-lens.json file. */
export interface DatasetConfig {
  $schema?: string;
  /** Names of the classes by label index, for data that do not carry them (IDX, .npz, CIFAR without meta). */
  classNames?: string[];
  datasets?: DatasetEntry[];
  preprocessing?: PreprocessingSettings;
}

type Check = (value: unknown) => string | null;

const isNumberArray = (v: unknown): v is number[] => Array.isArray(v) && v.length > 0 && v.every((n) => typeof n === 'number' && Number.isFinite(n));

const SETTING_CHECKS: Record<keyof PreprocessingSettings, Check> = {
  scale: (v) => (typeof v === 'number' && v > 0 && Number.isFinite(v) ? null : 'a positive number'),
  mean: (v) => (isNumberArray(v) ? null : 'an array of numbers (1 or one per channel)'),
  std: (v) => (isNumberArray(v) && v.every((n) => n !== 0) ? null : 'an array of non-zero numbers (1 or one per channel)'),
  channelOrder: (v) => (v === 'rgb' || v === 'bgr' ? null : '"rgb" or "bgr"'),
  resize: (v) => (typeof v === 'boolean' ? null : 'true or false'),
  normalizeFloats: (v) => (typeof v === 'boolean' ? null : 'true or false'),
  layout: (v) => (v === 'nchw' || v === 'nhwc' || v === 'flat' ? null : '"nchw", "nhwc" or "flat"'),
  perClass: (v) => (v === null || (typeof v === 'number' && Number.isInteger(v) && v > 0) ? null : 'a positive integer or null'),
  seed: (v) => (typeof v === 'number' && Number.isInteger(v) ? null : 'an integer'),
  transform: (v) => (v === null ? null : transformProblem(v)),
};

export const SETTING_KEYS = Object.keys(SETTING_CHECKS) as (keyof PreprocessingSettings)[];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks a settings object (from any origin); `where` names it in errors, e.g. the file and key path. */
export function validateSettings(value: unknown, where: string): PreprocessingSettings {
  if (!isObject(value)) throw new Error(`${where}: expected an object of preprocessing settings`);
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    const check = SETTING_CHECKS[key as keyof PreprocessingSettings];
    if (!check) throw new Error(`${where}: unknown key "${key}" (known: ${SETTING_KEYS.join(', ')})`);
    const expected = check(v);
    if (expected) throw new Error(`${where}.${key}: must be ${expected}, got ${JSON.stringify(v)}`);
  }
  return value as PreprocessingSettings;
}

const REF_KEYS = new Set(['path', 'labels', 'arrays', 'split', 'labelKind']);
const ENTRY_KEYS = new Set(['name', 'path', 'train', 'test', 'description']);

function validateRef(value: unknown, where: string): string | DatasetRef {
  if (typeof value === 'string' && value.length > 0) return value;
  if (!isObject(value)) throw new Error(`${where}: must be a path or {"path": ..., ...}`);
  for (const key of Object.keys(value)) if (!REF_KEYS.has(key)) throw new Error(`${where}: unknown key "${key}" (known: ${[...REF_KEYS].join(', ')})`);
  if (typeof value.path !== 'string' || !value.path) throw new Error(`${where}.path: must be a non-empty string`);
  if (value.labels !== undefined && typeof value.labels !== 'string') throw new Error(`${where}.labels: must be a path`);
  if (value.split !== undefined && value.split !== 'train' && value.split !== 'test') throw new Error(`${where}.split: must be "train" or "test"`);
  if (value.labelKind !== undefined && value.labelKind !== 'fine' && value.labelKind !== 'coarse') throw new Error(`${where}.labelKind: must be "fine" or "coarse"`);
  if (value.arrays !== undefined) {
    const arrays = value.arrays;
    if (!isObject(arrays) || Object.entries(arrays).some(([k, v]) => (k !== 'x' && k !== 'y') || typeof v !== 'string')) {
      throw new Error(`${where}.arrays: must be {"x": "<array name>", "y": "<array name>"}`);
    }
  }
  return value as unknown as DatasetRef;
}

/** Validates a parsed collapse-lens.json; `file` names it in every message. */
export function validateDatasetConfig(value: unknown, file: string): DatasetConfig {
  if (!isObject(value)) throw new Error(`${file}: expected a JSON object`);
  for (const key of Object.keys(value)) {
    if (!['$schema', 'datasets', 'preprocessing', 'classNames'].includes(key)) throw new Error(`${file}: unknown key "${key}" (known: datasets, preprocessing, classNames)`);
  }
  const config: DatasetConfig = {};
  if (value.classNames !== undefined) {
    const names = value.classNames;
    if (!Array.isArray(names) || names.length < 2 || !names.every((n) => typeof n === 'string' && n.length > 0)) throw new Error(`${file}: "classNames" must be an array of at least two non-empty strings`);
    config.classNames = names as string[];
  }
  if (value.preprocessing !== undefined) config.preprocessing = validateSettings(value.preprocessing, `${file}: preprocessing`);
  if (value.datasets !== undefined) {
    if (!Array.isArray(value.datasets)) throw new Error(`${file}: "datasets" must be an array`);
    const names = new Set<string>();
    config.datasets = value.datasets.map((entry: unknown, i: number) => {
      const where = `${file}: datasets[${i}]`;
      if (!isObject(entry)) throw new Error(`${where}: must be an object`);
      for (const key of Object.keys(entry)) if (!ENTRY_KEYS.has(key)) throw new Error(`${where}: unknown key "${key}" (known: ${[...ENTRY_KEYS].join(', ')})`);
      if (typeof entry.name !== 'string' || !entry.name) throw new Error(`${where}.name: must be a non-empty string`);
      if (names.has(entry.name)) throw new Error(`${where}.name: "${entry.name}" is used twice`);
      names.add(entry.name);
      if (entry.path === undefined && entry.train === undefined) throw new Error(`${where}: needs "path" (a root with both splits) or "train"`);
      if (entry.path !== undefined && (typeof entry.path !== 'string' || !entry.path)) throw new Error(`${where}.path: must be a non-empty string`);
      if (entry.description !== undefined && typeof entry.description !== 'string') throw new Error(`${where}.description: must be a string`);
      return {
        name: entry.name,
        ...(entry.path !== undefined ? { path: entry.path as string } : {}),
        ...(entry.train !== undefined ? { train: validateRef(entry.train, `${where}.train`) } : {}),
        ...(entry.test !== undefined ? { test: validateRef(entry.test, `${where}.test`) } : {}),
        ...(entry.description !== undefined ? { description: entry.description as string } : {}),
      };
    });
  }
  return config;
}

/** A DatasetRef as the reader's spec (paths still as written; see workspace.ts for resolution). */
export function refToSpec(ref: string | DatasetRef): DatasetSpec {
  if (typeof ref === 'string') return { path: ref };
  return {
    path: ref.path,
    ...(ref.labels ? { labelsPath: ref.labels } : {}),
    ...(ref.arrays ? { arrays: ref.arrays } : {}),
    ...(ref.split ? { split: ref.split } : {}),
    ...(ref.labelKind ? { labelKind: ref.labelKind } : {}),
  };
}
