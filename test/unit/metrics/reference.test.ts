/**
 * The two-pass accumulators against the plain D x D computation of brute-force.ts, on random clustered
 * data: K from 2 to 20, D from 1 to 300, balanced and imbalanced classes, a held-out split scored
 * against the training means, and a random classifier.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifierMetrics } from '../../../src/core/metrics';
import { bruteForceSplit, classMeans, etfReference, logitsOf, nc3Reference, nc4Reference } from './brute-force';
import { assertClose, assertNoNaN, clusteredData, passOne, passTwo, randomClassifier, seededRandom } from './helpers';

const TOLERANCE = 1e-9;

interface Case {
  K: number;
  D: number;
  balanced: boolean;
  seed: number;
  /** Post-ReLU-like features: a large common offset, tight classes (NC1 ~ 1e-4). */
  offset?: number;
}

const CASES: Case[] = [
  { K: 2, D: 1, balanced: true, seed: 1 },
  { K: 2, D: 5, balanced: false, seed: 2 },
  { K: 3, D: 2, balanced: false, seed: 3 },
  { K: 5, D: 3, balanced: false, seed: 4 },
  { K: 7, D: 19, balanced: true, seed: 5 },
  { K: 10, D: 64, balanced: false, seed: 6 },
  { K: 20, D: 8, balanced: true, seed: 7 },
  { K: 20, D: 40, balanced: false, seed: 8 },
  { K: 4, D: 300, balanced: true, seed: 9 },
  { K: 12, D: 120, balanced: false, seed: 10 },
  { K: 6, D: 50, balanced: false, seed: 11, offset: 1000 },
];

function classCounts(K: number, balanced: boolean, seed: number, base: number): number[] {
  const random = seededRandom(seed * 31 + 7);
  return Array.from({ length: K }, () => (balanced ? base : 2 + Math.floor(random() * 3 * base)));
}

for (const { K, D, balanced, seed, offset } of CASES) {
  const shape = offset === undefined ? '' : `, offset ${offset} with tight classes`;
  test(`K=${K}, D=${D}, ${balanced ? 'balanced' : 'imbalanced'}${shape}: every metric matches the D x D reference to 1e-9`, () => {
    const perClass = D >= 200 ? 20 : 12;
    const spread = offset === undefined ? 1.5 : 0.01;
    const separation = offset === undefined ? 3 : 1;
    const train = clusteredData({ numClasses: K, dim: D, counts: classCounts(K, balanced, seed, perClass), seed, spread, separation, offset });
    const heldOut = clusteredData({
      numClasses: K,
      dim: D,
      counts: classCounts(K, balanced, seed + 100, perClass),
      seed: seed + 1000,
      spread,
      separation,
      offset,
      centres: train.centres,
    });
    const classifier = randomClassifier(K, D, seed + 5);

    const trainStats = passOne(train, 7);
    const testStats = passOne(heldOut, 11);
    const trainRun = passTwo(train, trainStats, trainStats, 5, { classifier });
    const testRun = passTwo(heldOut, testStats, trainStats, 13, { classifier });
    assertNoNaN(trainRun);
    assertNoNaN(testRun);

    const trainMeans = classMeans(train).means;
    const expectedTrain = bruteForceSplit(train, trainMeans);
    const expectedTest = bruteForceSplit(heldOut, trainMeans);
    for (const [name, got, expected] of [
      ['train', trainRun.metrics, expectedTrain],
      ['test', testRun.metrics, expectedTest],
    ] as const) {
      assert.equal(got.nc1Rank, expected.rank, `${name} rank`);
      assertClose(got.nc1, expected.nc1, TOLERANCE, `${name} NC1`);
      assertClose(got.equinorm, expected.equinorm, TOLERANCE, `${name} equinorm`, 1e-4);
      assertClose(got.equiangularity, expected.equiangularity, TOLERANCE, `${name} equiangularity`, 1e-4);
      assertClose(got.maxAngle, expected.maxAngle, TOLERANCE, `${name} max-angle`, 1e-4);
      assertClose(got.etfDistance, expected.etfDistance, TOLERANCE, `${name} ETF distance`, 1e-4);
      assertClose(got.cdnv, expected.cdnv, TOLERANCE, `${name} CDNV`);
      assertClose(got.nccAccuracy, expected.nccAccuracy, 0, `${name} NCC accuracy`);
      for (let c = 0; c < K; c++) {
        assertClose(got.classVariability?.[c], expected.variability[c], TOLERANCE, `${name} Var_${c}`);
        for (let c2 = 0; c2 < K; c2++) {
          assertClose(got.cdnvMatrix?.[c][c2], expected.cdnvMatrix[c][c2], TOLERANCE, `${name} CDNV(${c}, ${c2})`);
        }
      }
    }

    // NC4 with the classifier computed inside pass 2, and with float32 logits passed per batch.
    for (const [name, data, stats, expected] of [
      ['train', train, trainStats, expectedTrain],
      ['test', heldOut, testStats, expectedTest],
    ] as const) {
      const logits64 = logitsOf(data, classifier.W, classifier.b);
      const fromClassifier = name === 'train' ? trainRun.network : testRun.network;
      const reference64 = nc4Reference(logits64, expected.nearest, K);
      assertClose(fromClassifier.nc4, reference64.nc4, 0, `${name} NC4 (classifier)`);
      assertClose(fromClassifier.accuracy, reference64.accuracy(data.labels), 0, `${name} accuracy (classifier)`);
      const logits32 = Float32Array.from(logits64);
      const passed = passTwo(data, stats, trainStats, 9, { logits: logits32 }).network;
      const reference32 = nc4Reference(logits32, expected.nearest, K);
      assertClose(passed.nc4, reference32.nc4, 0, `${name} NC4 (logits)`);
      assertClose(passed.accuracy, reference32.accuracy(data.labels), 0, `${name} accuracy (logits)`);
    }

    const classifierResult = classifierMetrics(classifier.W, classifier.b, trainStats);
    assertNoNaN(classifierResult);
    assertClose(classifierResult.nc3, nc3Reference(classifier.W, trainMeans), TOLERANCE, 'NC3');
    const rows = Array.from({ length: K }, (_, c) => Array.from(classifier.W.subarray(c * D, (c + 1) * D)));
    const weights = etfReference(rows);
    assertClose(classifierResult.weights.equinorm, weights.equinorm, TOLERANCE, 'W equinorm', 1e-4);
    assertClose(classifierResult.weights.equiangularity, weights.equiangularity, TOLERANCE, 'W equiangularity', 1e-4);
    assertClose(classifierResult.weights.maxAngle, weights.maxAngle, TOLERANCE, 'W max-angle', 1e-4);
    assertClose(classifierResult.weights.etfDistance, weights.etfDistance, TOLERANCE, 'W ETF distance', 1e-4);
  });
}
