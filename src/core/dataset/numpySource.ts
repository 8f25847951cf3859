import { exists } from './fileAccess';
import { ArrayDatasetSource, type RawData } from './arraySource';
import { fingerprintFiles } from './fingerprint';
import { readLabelArray, readLabelsFile } from './labelsFile';
import { inferSampleLayout } from './layout';
import { labelFileCandidates } from './naming';
import type { NpyArrayReader } from './numpy/arrayReader';
import type { NpyDType } from './numpy/dtype';
import { openNpy } from './numpy/npy';
import { openNpz, type NpzFile } from './numpy/npz';
import type { DatasetSource, DatasetSpec } from './types';

/** Array names tried, in order, when the spec names none. */
const NPZ_PAIRS: [string, string][] = [
  ['x', 'y'],
  ['images', 'labels'],
  ['X', 'y'],
  ['X', 'Y'],
  ['data', 'labels'],
  ['features', 'labels'],
  ['inputs', 'targets'],
];

function sampleDType(dtype: NpyDType, source: string): DatasetSource['dtype'] {
  if (dtype === 'uint8' || dtype === 'float32' || dtype === 'float64') return dtype;
  if (dtype === 'float16') return 'float32';
  throw new Error(`${source}: samples of dtype ${dtype} are not supported (uint8, float16, float32, float64 are)`);
}

function sampleDecoder(reader: NpyArrayReader): (bytes: Uint8Array) => RawData {
  if (reader.dtype === 'uint8') return (bytes) => bytes;
  return (bytes) => reader.decode(bytes) as Float32Array | Float64Array;
}

/** Which arrays of an .npz hold samples and labels, honouring spec.arrays and spec.split (x_train / x_test). */
export function chooseNpzArrays(npz: NpzFile, spec: DatasetSpec): { x: string; y: string; split?: string } {
  const names = npz.members.map((m) => m.name);
  if (spec.arrays?.x || spec.arrays?.y) {
    // One name given: its partner is the usual one of a known pair that the archive has.
    const given = spec.arrays;
    const x = given.x ?? NPZ_PAIRS.find(([px, py]) => py === given.y && npz.has(px))?.[0] ?? 'x';
    const y = given.y ?? NPZ_PAIRS.find(([px, py]) => px === x && npz.has(py))?.[1] ?? 'y';
    for (const name of [x, y]) npz.array(name);
    return { x, y };
  }
  const splits = npzSplits(npz);
  if (splits.length > 0) {
    const split = spec.split ?? (splits.length === 1 ? splits[0] : undefined);
    if (!split || !splits.includes(split)) {
      throw new Error(`${npz.path}: holds the splits ${splits.join(' and ')}; choose one (split: ${splits.map((s) => `'${s}'`).join(' | ')})`);
    }
    return { x: `x_${split}`, y: `y_${split}`, split };
  }
  for (const [x, y] of NPZ_PAIRS) if (npz.has(x) && npz.has(y)) return { x, y };
  throw new Error(
    `${npz.path}: cannot tell which arrays hold samples and labels (it has: ${names.join(', ')}); ` +
      `name them (arrays: {x, y}) or use x/y, images/labels or x_train/y_train`,
  );
}

/** The splits an .npz holds as x_train/y_train and x_test/y_test (Keras' mnist.npz layout). */
export function npzSplits(npz: NpzFile): ('train' | 'test')[] {
  return (['train', 'test'] as const).filter((s) => npz.has(`x_${s}`) && npz.has(`y_${s}`));
}

function checkSampleArray(reader: NpyArrayReader): void {
  if (reader.shape.length < 1) throw new Error(`${reader.source}: samples must have a first (sample) dimension, this array is a scalar`);
}

export async function openNpzSource(spec: DatasetSpec): Promise<DatasetSource> {
  const npz = await openNpz(spec.path);
  try {
    const { x, y, split } = chooseNpzArrays(npz, spec);
    const samples = npz.array(x);
    const labelsArray = npz.array(y);
    checkSampleArray(samples);
    const labels = await readLabelArray(labelsArray);
    if (labels.length !== samples.rows) {
      throw new Error(`${spec.path}: array '${x}' holds ${samples.rows} samples but '${y}' holds ${labels.length} labels`);
    }
    const sampleShape = samples.shape.slice(1);
    const member = npz.members.find((m) => m.name === x)!;
    return new ArrayDatasetSource({
      source: spec.path,
      format: 'npz',
      store: samples.store,
      decode: sampleDecoder(samples),
      dtype: sampleDType(samples.dtype, samples.source),
      sampleShape,
      sampleLayout: inferSampleLayout(sampleShape),
      classNames: null,
      loadLabels: () => Promise.resolve(labels),
      fingerprint: await fingerprintFiles([spec.path]),
      files: [spec.path],
      details: { arrays: { x, y }, ...(split ? { split } : {}), compressed: member.compressed, storedDType: samples.dtype },
      verify: () => samples.verify(),
      close: () => npz.close(),
    });
  } catch (err) {
    await npz.close();
    throw err;
  }
}


/** The labels file of an images file: spec.labelsPath, or the first existing name from labelFileCandidates. */
export async function findLabelsFile(imagesPath: string, labelsPath: string | undefined): Promise<string> {
  if (labelsPath) return labelsPath;
  const candidates = labelFileCandidates(imagesPath);
  for (const candidate of candidates) if (await exists(candidate)) return candidate;
  throw new Error(
    `${imagesPath}: no labels file found` +
      (candidates.length ? ` (looked for ${candidates.join(', ')})` : ' (its name has no images/x part to swap for labels/y)') +
      '; give the labels file explicitly (labelsPath)',
  );
}

export async function openNpySource(spec: DatasetSpec): Promise<DatasetSource> {
  const npy = await openNpy(spec.path);
  try {
    const samples = npy.array;
    checkSampleArray(samples);
    if (samples.shape.length === 1) {
      throw new Error(`${spec.path}: this .npy is one-dimensional (labels?); give the samples array as the dataset path`);
    }
    const labelsPath = await findLabelsFile(spec.path, spec.labelsPath);
    const labels = await readLabelsFile(labelsPath);
    if (labels.length !== samples.rows) {
      throw new Error(`${spec.path} holds ${samples.rows} samples but ${labelsPath} holds ${labels.length} labels`);
    }
    const sampleShape = samples.shape.slice(1);
    return new ArrayDatasetSource({
      source: spec.path,
      format: 'npy',
      store: samples.store,
      decode: sampleDecoder(samples),
      dtype: sampleDType(samples.dtype, spec.path),
      sampleShape,
      sampleLayout: inferSampleLayout(sampleShape),
      classNames: null,
      loadLabels: () => Promise.resolve(labels),
      fingerprint: await fingerprintFiles([spec.path, labelsPath]),
      files: [spec.path, labelsPath],
      details: { labels: labelsPath, storedDType: samples.dtype },
      close: () => npy.close(),
    });
  } catch (err) {
    await npy.close();
    throw err;
  }
}
