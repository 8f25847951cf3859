/**
 * The edge cases of docs/metrics.md: each gives a number, or null with a reason, or an error naming the
 * layer and the sample, never NaN.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClassStatsAccumulator, ProjectionAccumulator, classifierMetrics } from '../../../src/core/metrics';
import { bruteForceSplit, classMeans } from './brute-force';
import { assertClose, assertNoNaN, clusteredData, passOne, passTwo, randomClassifier, type Dataset } from './helpers';

function datasetOf(K: number, D: number, rows: { label: number; h: number[] }[]): Dataset {
  const features = new Float32Array(rows.length * D);
  rows.forEach((r, i) => features.set(r.h, i * D));
  return { numClasses: K, dim: D, count: rows.length, features, labels: Int32Array.from(rows.map((r) => r.label)) };
}

test('K = 1: every class-structure metric is null with a reason; Var_c is still given', () => {
  const data = clusteredData({ numClasses: 1, dim: 4, counts: [10], seed: 1 });
  const stats = passOne(data, 3);
  const { metrics, network } = passTwo(data, stats, stats, 4, { classifier: randomClassifier(1, 4, 2) });
  assertNoNaN({ metrics, network });
  for (const key of ['nc1', 'nc1Rank', 'equinorm', 'equiangularity', 'maxAngle', 'etfDistance', 'cdnv', 'nccAccuracy', 'cdnvMatrix', 'projection'] as const) {
    assert.equal(metrics[key], null, `${key} should be null`);
  }
  for (const key of ['nc1', 'equinorm', 'cdnv', 'nccAccuracy']) assert.match(metrics.unavailable?.[key] ?? '', /at least 2 classes/, key);
  assert.equal(metrics.classVariability?.length, 1);
  assert.equal(typeof metrics.classVariability?.[0], 'number');
  assert.equal(network.nc4, null);
  assert.equal(network.accuracy, 1, 'one logit: the network always predicts class 0');
});

test('a class with no sample in the held-out split: own-mean metrics null with the class named, NCC still against the training means', () => {
  const K = 4;
  const D = 6;
  const train = clusteredData({ numClasses: K, dim: D, counts: [10, 12, 9, 11], seed: 3 });
  const heldOut = clusteredData({ numClasses: K, dim: D, counts: [5, 6, 0, 7], seed: 4, centres: train.centres });
  const trainStats = passOne(train, 5);
  const testStats = passOne(heldOut, 5);
  assert.deepEqual(testStats.missingClasses, [2]);
  const classifier = randomClassifier(K, D, 5);
  const { metrics, network } = passTwo(heldOut, testStats, trainStats, 5, { classifier });
  assertNoNaN({ metrics, network });
  for (const key of ['nc1', 'equinorm', 'equiangularity', 'maxAngle', 'etfDistance', 'cdnv', 'projection'] as const) {
    assert.equal(metrics[key], null, key);
    assert.match(metrics.unavailable?.[key] ?? '', /class 2 has no sample/, key);
  }
  assert.equal(metrics.classVariability?.[2], null);
  assert.match(metrics.unavailable?.classVariability ?? '', /class 2/);
  assert.equal(metrics.cdnvMatrix?.[2][0], null);
  assert.equal(metrics.cdnvMatrix?.[0][2], null);
  assert.equal(typeof metrics.cdnvMatrix?.[0][1], 'number');
  // NCC uses the training means, which exist for every class: the brute force agrees.
  const expected = bruteForceSplit({ ...heldOut }, classMeans(train).means);
  assertClose(metrics.nccAccuracy, expected.nccAccuracy, 0, 'NCC accuracy');
  assert.equal(typeof network.nc4, 'number');
});

test('a class with no sample in the training split: NCC and NC4 are null on both splits, naming the class', () => {
  const K = 3;
  const D = 4;
  const train = clusteredData({ numClasses: K, dim: D, counts: [8, 0, 9], seed: 6 });
  const heldOut = clusteredData({ numClasses: K, dim: D, counts: [4, 3, 5], seed: 7, centres: train.centres });
  const trainStats = passOne(train, 4);
  const testStats = passOne(heldOut, 4);
  const classifier = randomClassifier(K, D, 8);
  for (const run of [passTwo(train, trainStats, trainStats, 4, { classifier }), passTwo(heldOut, testStats, trainStats, 4, { classifier })]) {
    assertNoNaN(run);
    assert.equal(run.metrics.nccAccuracy, null);
    assert.match(run.metrics.unavailable?.nccAccuracy ?? '', /reference split has no sample of class 1/);
    assert.equal(run.network.nc4, null);
    assert.equal(typeof run.network.accuracy, 'number');
  }
  const result = classifierMetrics(classifier.W, classifier.b, trainStats);
  assert.equal(result.nc3, null);
  assert.match(result.unavailable.nc3, /class 1/);
});

test('D < K-1: the rank used is D, and NC1 matches the brute force', () => {
  const K = 7;
  const D = 3;
  const data = clusteredData({ numClasses: K, dim: D, counts: [5, 6, 7, 8, 9, 10, 11], seed: 9 });
  const stats = passOne(data, 6);
  const { metrics } = passTwo(data, stats, stats, 6);
  assertNoNaN(metrics);
  assert.equal(metrics.nc1Rank, D);
  assertClose(metrics.nc1, bruteForceSplit(data, classMeans(data).means).nc1, 1e-9, 'NC1');
});

test('two classes with the same mean: rank K-2, that CDNV pair null, the CDNV mean null with the pair named', () => {
  const K = 4;
  const D = 5;
  const base = clusteredData({ numClasses: K, dim: D, counts: [6, 6, 6, 6], seed: 10 });
  // Class 3 gets exactly the samples of class 1.
  const rows: { label: number; h: number[] }[] = [];
  for (let i = 0; i < base.count; i++) {
    const h = Array.from(base.features.subarray(i * D, (i + 1) * D));
    if (base.labels[i] === 3) continue;
    rows.push({ label: base.labels[i], h });
    if (base.labels[i] === 1) rows.push({ label: 3, h });
  }
  const data = datasetOf(K, D, rows);
  const stats = passOne(data, 5);
  const { metrics } = passTwo(data, stats, stats, 5);
  assertNoNaN(metrics);
  assert.equal(metrics.nc1Rank, K - 2);
  assertClose(metrics.nc1, bruteForceSplit(data, classMeans(data).means).nc1, 1e-9, 'NC1 over the rank that exists');
  assert.equal(metrics.cdnvMatrix?.[1][3], null);
  assert.equal(metrics.cdnvMatrix?.[3][1], null);
  assert.equal(typeof metrics.cdnvMatrix?.[0][1], 'number');
  assert.equal(metrics.cdnv, null);
  assert.match(metrics.unavailable?.cdnv ?? '', /1 and 3 coincide/);
  assert.equal(typeof metrics.nccAccuracy, 'number');
});

test('all class means coincide: rank 0, NC1 / NC2 / NCC null with reasons', () => {
  const D = 3;
  const rows = [];
  for (let i = 0; i < 12; i++) rows.push({ label: i % 3, h: [1 + (i % 4), 2 - (i % 4), 5] });
  const data = datasetOf(3, D, rows);
  const stats = passOne(data, 5);
  assert.equal(stats.rank, 0);
  const { metrics } = passTwo(data, stats, stats, 5);
  assertNoNaN(metrics);
  assert.equal(metrics.nc1Rank, 0);
  for (const key of ['nc1', 'equinorm', 'equiangularity', 'etfDistance', 'cdnv', 'nccAccuracy', 'projection'] as const) {
    assert.equal(metrics[key], null, key);
    assert.ok((metrics.unavailable?.[key] ?? '').length > 0, `${key} has a reason`);
  }
});

test('a class mean at the global mean: equinorm defined, angles null naming the class', () => {
  // Means -1, 0, +1 on a line (times a direction): class 1's centred mean is zero.
  const rows = [];
  for (const [label, x] of [
    [0, -1],
    [1, 0],
    [2, 1],
  ] as const) {
    for (const noise of [-0.25, 0.25]) rows.push({ label, h: [x * 2 + 7, x + noise, 3] });
  }
  const data = datasetOf(3, 3, rows);
  const stats = passOne(data, 2);
  const { metrics } = passTwo(data, stats, stats, 2);
  assertNoNaN(metrics);
  assert.equal(metrics.nc1Rank, 1);
  // Norms sqrt(5), 0, sqrt(5): mean 2 sqrt(5)/3, population std sqrt(5) sqrt(2)/3, ratio 1/sqrt(2).
  assertClose(metrics.equinorm, Math.SQRT1_2, 1e-14, 'equinorm');
  assert.equal(metrics.equiangularity, null);
  assert.match(metrics.unavailable?.equiangularity ?? '', /class 1 is zero/);
  assert.equal(metrics.meanCosines?.[1][0], null);
  assertClose(metrics.meanCosines?.[0][2], -1, 1e-14, 'cos(m_0, m_2)');
});

test('NaN or infinite features: the error names the layer and the first bad sample (pass 1 and pass 2)', () => {
  const D = 4;
  const acc = new ClassStatsAccumulator('block3/relu', 2, D);
  const good = new Float32Array(3 * D).fill(1);
  acc.add(good, Int32Array.from([0, 1, 0]));
  const bad = new Float32Array(3 * D).fill(1);
  bad[1 * D + 2] = Number.NaN;
  bad[2 * D + 0] = Number.POSITIVE_INFINITY;
  assert.throws(() => acc.add(bad, Int32Array.from([1, 0, 1])), /layer "block3\/relu": sample 4 has a non-finite feature \(NaN at feature index 2 of 4\)/);
  const inf = new Float32Array(2 * D).fill(1);
  inf[D + 3] = Number.NEGATIVE_INFINITY;
  assert.throws(() => acc.add(inf, Int32Array.from([0, 0]), { sampleIndices: [100, 205] }), /sample 205 has a non-finite feature \(-Infinity/);

  const data = clusteredData({ numClasses: 2, dim: D, counts: [3, 3], seed: 12 });
  const stats = passOne(data, 6);
  const pass2 = new ProjectionAccumulator(stats, stats);
  const poisoned = data.features.slice();
  poisoned[5 * D + 1] = Number.NaN;
  assert.throws(() => pass2.add(poisoned, data.labels, { firstIndex: 1000 }), /layer "layer": sample 1005 has a non-finite feature/);
});

test('labels outside 0..K-1 and mis-shaped batches are errors naming label, sample and shapes', () => {
  const acc = new ClassStatsAccumulator('fc1', 3, 2);
  assert.throws(() => acc.add(new Float32Array(4), Int32Array.from([0, 3]), { firstIndex: 40 }), /layer "fc1": label 3 of sample 41 is outside 0\.\.2/);
  assert.throws(() => acc.add(new Float32Array(4), Int32Array.from([-1, 0])), /label -1 of sample 0/);
  assert.throws(() => acc.add(new Float32Array(5), Int32Array.from([0, 1])), /5 feature values for 2 labels; expected 2 x 2/);
  assert.throws(() => new ClassStatsAccumulator('fc1', 0, 2), /number of classes 0/);
});

test('pass 2 must see the samples pass 1 saw, logits must fit, classifier shapes must fit', () => {
  const data = clusteredData({ numClasses: 3, dim: 4, counts: [4, 4, 4], seed: 13 });
  const stats = passOne(data, 12);
  const half = new ProjectionAccumulator(stats, stats);
  half.add(data.features.subarray(0, 6 * 4), data.labels.subarray(0, 6));
  assert.throws(() => half.finish(), /pass 2 saw 6 samples but pass 1 saw 12/);
  const pass2 = new ProjectionAccumulator(stats, stats);
  assert.throws(() => pass2.add(data.features, data.labels, { logits: new Float32Array(5) }), /logits have 5 values for 12 samples; expected 12 x 3/);
  assert.throws(() => new ProjectionAccumulator(stats, stats, { classifier: { W: new Float64Array(5), b: new Float64Array(3) } }), /expected 3 x 4 and 3/);
  assert.throws(() => classifierMetrics(new Float64Array(12), new Float64Array(2), stats), /expected 3 x 4 and 3/);
  const other = passOne(clusteredData({ numClasses: 3, dim: 5, counts: [2, 2, 2], seed: 1 }), 6);
  assert.throws(() => new ProjectionAccumulator(stats, other), /do not match/);
});

test('NC4 without logits, or with logits for only some batches, is null with the reason', () => {
  const data = clusteredData({ numClasses: 3, dim: 4, counts: [4, 4, 4], seed: 14 });
  const stats = passOne(data, 12);
  const none = passTwo(data, stats, stats, 12).network;
  assert.equal(none.nc4, null);
  assert.match(none.unavailable.nc4, /no logits/);
  const partial = new ProjectionAccumulator(stats, stats);
  partial.add(data.features.subarray(0, 24), data.labels.subarray(0, 6), { logits: new Float32Array(18) });
  partial.add(data.features.subarray(24), data.labels.subarray(6));
  const result = partial.finishNetwork();
  assert.equal(result.nc4, null);
  assert.match(result.unavailable.nc4, /6 of 12 samples/);
});

test('an all-zero classifier: NC3 and its ETF numbers are null with reasons, no NaN', () => {
  const data = clusteredData({ numClasses: 3, dim: 4, counts: [4, 4, 4], seed: 15 });
  const stats = passOne(data, 12);
  const result = classifierMetrics(new Float64Array(12), new Float64Array(3), stats);
  assertNoNaN(result);
  assert.equal(result.nc3, null);
  assert.equal(result.weights.equinorm, null);
  assert.match(result.unavailable.equinorm, /every centred classifier row is zero/);
});
