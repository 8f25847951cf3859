/**
 * The accumulators' entry points for batches reduced elsewhere (onnxruntime's in-graph nodes): class sums
 * and scatters in pass 1, products in pass 2. Fed what the runtime computes (here in float64 from the
 * features), they give add()'s numbers, since everything after the sums and products is add()'s code.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClassStatsAccumulator, NonFiniteReduction, ProjectionAccumulator, type ClassStats } from '../../../src/core/metrics';
import { assertSameNumbers, clusteredData, passOne, passTwo, randomClassifier, slice } from './helpers';

const K = 4;
const D = 12;
const BATCH = 7;
const train = clusteredData({ numClasses: K, dim: D, counts: [9, 11, 8, 10], seed: 3 });
const held = clusteredData({ numClasses: K, dim: D, counts: [6, 5, 7, 4], seed: 4, centres: train.centres });

/** What pass 1's graph outputs for one batch: K x D class sums, and each sample's scatter around its class's batch mean. */
function classSums(features: Float32Array, labels: Int32Array): { sums: Float64Array; scatter: Float64Array } {
  const sums = new Float64Array(K * D);
  const n = new Float64Array(K);
  labels.forEach((y, i) => {
    n[y]++;
    for (let k = 0; k < D; k++) sums[y * D + k] += features[i * D + k];
  });
  const scatter = Float64Array.from(labels, (y, i) => {
    let s = 0;
    for (let k = 0; k < D; k++) s += (features[i * D + k] - sums[y * D + k] / n[y]) ** 2;
    return s;
  });
  return { sums, scatter };
}

/** What pass 2's graph outputs: (h_i - centre) . row_r for every sample and row. */
function products(acc: ProjectionAccumulator, features: Float32Array, count: number): Float64Array {
  const { centre, rows, rowCount } = acc.productRows();
  const out = new Float64Array(count * rowCount);
  for (let i = 0; i < count; i++) for (let r = 0; r < rowCount; r++) {
    let s = 0;
    for (let k = 0; k < D; k++) s += (features[i * D + k] - centre[k]) * rows[r * D + k];
    out[i * rowCount + r] = s;
  }
  return out;
}

function passOneFromSums(data: typeof train): ClassStats {
  const acc = new ClassStatsAccumulator('layer', K, D);
  for (let from = 0; from < data.count; from += BATCH) {
    const batch = slice(data, from, Math.min(data.count, from + BATCH));
    const { sums, scatter } = classSums(batch.features, batch.labels);
    acc.addClassSums(sums, scatter, batch.labels);
  }
  return acc.finish();
}

test('pass 1 from class sums and scatters gives the class statistics of add()', () => {
  const fromSums = passOneFromSums(train);
  const fromFeatures = passOne(train, BATCH);
  assertSameNumbers(Array.from(fromSums.means), Array.from(fromFeatures.means), 1e-13);
  assertSameNumbers(fromSums.variability, fromFeatures.variability, 1e-12);
  assertSameNumbers(fromSums.cdnvMatrix, fromFeatures.cdnvMatrix, 1e-12);
});

test('pass 2 from products gives every metric of add(), on the training and a held-out split, with a classifier', () => {
  const classifier = randomClassifier(K, D, 5);
  const trainStats = passOne(train, BATCH);
  const heldStats = passOne(held, BATCH);
  for (const [data, own] of [[train, trainStats], [held, heldStats]] as const) {
    const acc = new ProjectionAccumulator(own, trainStats, { classifier });
    for (let from = 0; from < data.count; from += BATCH) {
      const batch = slice(data, from, Math.min(data.count, from + BATCH));
      acc.addProducts(products(acc, batch.features, batch.labels.length), batch.labels, { firstIndex: from });
    }
    const expected = passTwo(data, own, trainStats, BATCH, { classifier });
    assertSameNumbers(acc.finish(), expected.metrics, 1e-12);
    assertSameNumbers(acc.finishNetwork(), expected.network, 1e-12);
  }
});

test('a non-finite class sum or product throws NonFiniteReduction naming the layer; a bad label names the sample', () => {
  const batch = slice(train, 0, BATCH);
  const { sums, scatter } = classSums(batch.features, batch.labels);
  sums[3] = Number.NaN;
  const acc = new ClassStatsAccumulator('conv1', K, D);
  assert.throws(() => acc.addClassSums(sums, scatter, batch.labels), (e: unknown) => e instanceof NonFiniteReduction && e.layer === 'conv1');
  const badLabels = Int32Array.from(batch.labels);
  badLabels[2] = K;
  assert.throws(() => new ClassStatsAccumulator('conv1', K, D).addClassSums(classSums(batch.features, batch.labels).sums, scatter, badLabels, { firstIndex: 40 }), /label 4 of sample 42 is outside 0\.\.3/);

  const stats = passOne(train, BATCH);
  const acc2 = new ProjectionAccumulator(stats, stats);
  const p = products(acc2, batch.features, BATCH);
  p[5] = Number.POSITIVE_INFINITY;
  assert.throws(() => acc2.addProducts(p, batch.labels), NonFiniteReduction);
  assert.throws(() => acc2.addProducts(new Float64Array(3), batch.labels), /in-graph pass 2 gave 3 products for 7 samples; expected 7 x 3/);
});
