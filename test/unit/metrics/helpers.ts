/** Shared test helpers for the metrics: seeded data, running both passes, numeric comparisons. */
import assert from 'node:assert/strict';
import {
  ClassStatsAccumulator,
  ProjectionAccumulator,
  type ClassStats,
  type ComputedSplitMetrics,
  type LinearClassifier,
  type NetworkMetrics,
} from '../../../src/core/metrics';
import { seededRandom } from '../../../src/core/dataset/sampling';

// The tests' data generator is the core's seeded mulberry32 (re-exported: the tests import it from here).
export { seededRandom };

export function gaussian(random: () => number): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export interface Dataset {
  numClasses: number;
  dim: number;
  count: number;
  features: Float32Array;
  labels: Int32Array;
}

/**
 * Gaussian clusters: class centres at `separation` x N(0, I), a shared offset (so mu_G != 0), noise of
 * std `spread`; samples in shuffled class order. `centres` can be passed to draw a second split of the
 * same classes.
 */
export function clusteredData(options: {
  numClasses: number;
  dim: number;
  counts: number[];
  seed: number;
  spread?: number;
  separation?: number;
  offset?: number;
  centres?: Float64Array;
}): Dataset & { centres: Float64Array } {
  const { numClasses: K, dim: D, counts, seed } = options;
  const random = seededRandom(seed);
  const spread = options.spread ?? 1;
  const separation = options.separation ?? 3;
  const offset = options.offset ?? 2;
  let centres = options.centres;
  if (centres === undefined) {
    centres = new Float64Array(K * D);
    for (let i = 0; i < K * D; i++) centres[i] = separation * gaussian(random) + offset;
  }
  const labelList: number[] = [];
  counts.forEach((n, c) => {
    for (let j = 0; j < n; j++) labelList.push(c);
  });
  for (let i = labelList.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [labelList[i], labelList[j]] = [labelList[j], labelList[i]];
  }
  const count = labelList.length;
  const features = new Float32Array(count * D);
  const labels = Int32Array.from(labelList);
  for (let i = 0; i < count; i++) {
    const c = labels[i];
    for (let k = 0; k < D; k++) features[i * D + k] = centres[c * D + k] + spread * gaussian(random);
  }
  return { numClasses: K, dim: D, count, features, labels, centres };
}

export function randomClassifier(K: number, D: number, seed: number): LinearClassifier {
  const random = seededRandom(seed);
  const W = new Float64Array(K * D);
  const b = new Float64Array(K);
  for (let i = 0; i < W.length; i++) W[i] = gaussian(random);
  for (let c = 0; c < K; c++) b[c] = gaussian(random);
  return { W, b };
}

/** The samples [from, to) of a dataset, as one batch. */
export function slice(data: Dataset, from: number, to: number): { features: Float32Array; labels: Int32Array } {
  return { features: data.features.subarray(from * data.dim, to * data.dim), labels: data.labels.subarray(from, to) };
}

export function passOne(data: Dataset, batchSize: number, layer = 'layer'): ClassStats {
  const acc = new ClassStatsAccumulator(layer, data.numClasses, data.dim);
  for (let from = 0; from < data.count; from += batchSize) {
    const to = Math.min(data.count, from + batchSize);
    const batch = slice(data, from, to);
    acc.add(batch.features, batch.labels);
  }
  return acc.finish();
}

export function passTwo(
  data: Dataset,
  own: ClassStats,
  reference: ClassStats,
  batchSize: number,
  options: { classifier?: LinearClassifier; logits?: Float32Array } = {},
): { metrics: ComputedSplitMetrics; network: NetworkMetrics } {
  const acc = new ProjectionAccumulator(own, reference, { classifier: options.classifier });
  for (let from = 0; from < data.count; from += batchSize) {
    const to = Math.min(data.count, from + batchSize);
    const batch = slice(data, from, to);
    const logits = options.logits?.subarray(from * data.numClasses, to * data.numClasses);
    acc.add(batch.features, batch.labels, { logits });
  }
  return { metrics: acc.finish(), network: acc.finishNetwork() };
}

/** |actual - expected| <= tolerance * max(|expected|, floor). */
export function assertClose(actual: number | null | undefined, expected: number, tolerance: number, what: string, floor = 1e-300): void {
  assert.equal(typeof actual, 'number', `${what}: expected a number, got ${String(actual)}`);
  const a = actual as number;
  const scale = Math.max(Math.abs(expected), floor);
  assert.ok(Math.abs(a - expected) <= tolerance * scale, `${what}: ${a} vs expected ${expected} (relative error ${Math.abs(a - expected) / scale})`);
}

/** Walks any JSON-like value and fails on the first NaN or infinity, naming its path. */
export function assertNoNaN(value: unknown, path = 'result'): void {
  if (typeof value === 'number') {
    assert.ok(Number.isFinite(value), `${path} is ${value}`);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  if (ArrayBuffer.isView(value)) {
    const view = value as unknown as ArrayLike<number>;
    for (let i = 0; i < view.length; i++) assert.ok(Number.isFinite(view[i]), `${path}[${i}] is ${view[i]}`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => assertNoNaN(v, `${path}[${i}]`));
    return;
  }
  for (const [key, v] of Object.entries(value)) assertNoNaN(v, `${path}.${key}`);
}

/**
 * Deep comparison of two results: same shape, same nulls, numbers within `tolerance` relative to
 * max(|a|, |b|, floor) (floor covers numbers that are zero up to rounding).
 */
export function assertSameNumbers(actual: unknown, expected: unknown, tolerance: number, path = 'result', floor = 1e-12): void {
  if (typeof expected === 'number') {
    assert.equal(typeof actual, 'number', `${path}: ${String(actual)} vs ${expected}`);
    const a = actual as number;
    const scale = Math.max(Math.abs(a), Math.abs(expected), floor);
    assert.ok(Math.abs(a - expected) <= tolerance * scale, `${path}: ${a} vs ${expected}`);
    return;
  }
  if (expected === null || typeof expected !== 'object') {
    assert.deepEqual(actual, expected, path);
    return;
  }
  assert.ok(actual !== null && typeof actual === 'object', `${path}: ${String(actual)} is not an object`);
  if (Array.isArray(expected) || ArrayBuffer.isView(expected)) {
    const e = expected as unknown as ArrayLike<unknown>;
    const a = actual as unknown as ArrayLike<unknown>;
    assert.equal(a.length, e.length, `${path}: length`);
    for (let i = 0; i < e.length; i++) assertSameNumbers(a[i], e[i], tolerance, `${path}[${i}]`, floor);
    return;
  }
  const a = actual as Record<string, unknown>;
  const e = expected as Record<string, unknown>;
  assert.deepEqual(Object.keys(a).sort(), Object.keys(e).sort(), `${path}: keys`);
  for (const key of Object.keys(e)) assertSameNumbers(a[key], e[key], tolerance, `${path}.${key}`, floor);
}
