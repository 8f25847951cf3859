/**
 * `collapse-lens metrics` on features as users dump them: Fortran-order arrays (np.savez of a transposed
 * or pooled torch array), float64 features of any magnitude, and label sets that leave classes out.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { analyzeFeatures } from '../../../src/engine/analyze/features';
import type { AnalysisResult } from '../../../src/core/result';
import { silentHooks } from './helpers/analyze';
import { assertDeepClose } from './helpers/deepClose';
import { rejection } from '../helpers/rejection';
import { withTempDir, writeNpz } from '../dataset/helpers/writers';

const K = 3;
const N = 90;
const DIM = 6;

/** A small, well-separated three-class problem: features (N x DIM, C order), labels, and a classifier W (K x DIM), b. */
function problem(): { features: Float64Array; labels: BigInt64Array; W: Float64Array; b: Float64Array } {
  const features = new Float64Array(N * DIM);
  const labels = new BigInt64Array(N);
  for (let i = 0; i < N; i++) {
    const c = i % K;
    labels[i] = BigInt(c);
    // Dyadic values (multiples of 1/64): they stay exact under power-of-two scales and a 1e9 offset.
    for (let d = 0; d < DIM; d++) features[i * DIM + d] = (d % K === c ? 3 : 0) + Math.round(Math.sin(i * 7.1 + d * 1.3) * 64) / 64;
  }
  const W = Float64Array.from({ length: K * DIM }, (_, j) => (j % DIM) % K === Math.floor(j / DIM) ? 1 : -0.25);
  const b = new Float64Array(K);
  return { features, labels, W, b };
}

/** The result with what differs between two files of the same numbers (paths, checksums, times) removed. */
function numbersOf(result: AnalysisResult): unknown {
  const { layers, classifier, splits, effectiveDepth, classes, warnings } = result;
  return { layers, classifier, splits, effectiveDepth, classes, warnings };
}

test('metrics reads Fortran-order layers, W and labels (stored and deflated) with the numbers of C order', async () => {
  await withTempDir('features-fortran', async (dir) => {
    const { features, labels, W, b } = problem();
    const arrays = (fortran: boolean) => ({
      labels: { data: labels, shape: [N], fortran },
      penultimate: { data: Float32Array.from(features), shape: [N, DIM], fortran },
      // A pooled map as a torch hook gives it (N x C x H x W), flattened per sample by the reader.
      pooled: { data: Float32Array.from(features), shape: [N, 3, 2, 1], fortran },
      W: { data: Float32Array.from(W), shape: [K, DIM], fortran },
      b: { data: Float32Array.from(b), shape: [K], fortran },
    });
    const cPath = writeNpz(join(dir, 'c.npz'), arrays(false));
    const c = await analyzeFeatures({ features: cPath, test: cPath, epsilon: 0.01 }, silentHooks);
    assert.ok(c.layers[0]!.metrics.train.nc1 !== null && c.classifier !== null, 'the C-order run computes NC1 and the classifier section');
    for (const compressed of [false, true]) {
      const path = writeNpz(join(dir, `f${compressed}.npz`), arrays(true), compressed);
      const f = await analyzeFeatures({ features: path, test: path, epsilon: 0.01 }, silentHooks);
      assert.deepEqual(numbersOf(f), numbersOf(c));
    }
  });
});

test('metrics refuses training features that leave a class of W without a sample, naming the file and the class', async () => {
  await withTempDir('features-missing-class', async (dir) => {
    const { features, labels, W, b } = problem();
    // Class 2 relabelled 0: W still has 3 rows, so K = 3 and class 2 has no sample.
    const twoClasses = labels.map((y) => (y === 2n ? 0n : y));
    const path = writeNpz(join(dir, 'train.npz'), { labels: { data: twoClasses, shape: [N] }, h: { data: features, shape: [N, DIM] }, W: { data: W, shape: [K, DIM] }, b: { data: b, shape: [K] } });
    const message = await rejection(() => analyzeFeatures({ features: path, epsilon: 0.01 }, silentHooks));
    assert.match(message, /train\.npz: class 2 has no samples \(2 of the 3 classes have some\)/);
    assert.match(message, /K = 3 is the 3 rows of W/);
  });
});

test('metrics refuses sparse labels (0 and 1000 only), naming the first empty classes and where K came from', async () => {
  await withTempDir('features-sparse', async (dir) => {
    const { features, labels } = problem();
    const sparse = labels.map((y) => (y === 0n ? 0n : 1000n));
    const path = writeNpz(join(dir, 'sparse.npz'), { labels: { data: sparse, shape: [N] }, h: { data: features, shape: [N, DIM] } });
    const message = await rejection(() => analyzeFeatures({ features: path, epsilon: 0.01 }, silentHooks));
    assert.match(message, /sparse\.npz: classes 1, 2, 3, 4, 5, 6, 7, 8 and 991 more have no samples \(2 of the 1001 classes have some\)/);
    assert.match(message, /K = 1001 is the largest label \+ 1 \(number the classes 0\.\.K-1\)/);
  });
});

test('a held-out file lacking a class is a warning: its all-class metrics are null with the reason, NCC accuracy is over what it has', async () => {
  await withTempDir('features-heldout-missing', async (dir) => {
    const { features, labels, W, b } = problem();
    const train = writeNpz(join(dir, 'train.npz'), { labels: { data: labels, shape: [N] }, h: { data: features, shape: [N, DIM] }, W: { data: W, shape: [K, DIM] }, b: { data: b, shape: [K] } });
    // The held-out file keeps classes 0 and 1 only.
    const keep = Array.from({ length: N }, (_, i) => i).filter((i) => labels[i] !== 2n);
    const heldLabels = BigInt64Array.from(keep, (i) => labels[i]!);
    const heldFeatures = Float64Array.from(keep.flatMap((i) => Array.from(features.subarray(i * DIM, (i + 1) * DIM))));
    const test = writeNpz(join(dir, 'test.npz'), { labels: { data: heldLabels, shape: [keep.length] }, h: { data: heldFeatures, shape: [keep.length, DIM] } });
    const result = await analyzeFeatures({ features: train, test, epsilon: 0.01 }, silentHooks);
    assert.ok(result.warnings?.some((w) => /test\.npz: no test samples for class\(es\) 2: the held-out metrics that need every class are null/.test(w)), `warnings: ${JSON.stringify(result.warnings)}`);
    const layer = result.layers[0]!;
    assert.equal(typeof layer.metrics.train.nc1, 'number');
    const held = layer.metrics.test!;
    assert.equal(held.nc1, null);
    assert.match(held.unavailable?.nc1 ?? '', /class 2 has no sample in this split/);
    // Well-separated classes: every held-out sample present is classified right by the training means.
    assert.equal(held.nccAccuracy, 1);
    assert.deepEqual(result.splits.test?.classCounts, [30, 30, 0]);
  });
});

/** The metrics that neither a shift nor a positive scale of the features changes. */
const SCALE_FREE = ['nc1', 'nc1Rank', 'equinorm', 'equiangularity', 'maxAngle', 'etfDistance', 'cdnv', 'nccAccuracy', 'cdnvMatrix', 'meanCosines'] as const;

function scaleFree(result: AnalysisResult): unknown {
  return {
    layers: result.layers.map((l) => Object.fromEntries(SCALE_FREE.map((k) => [k, l.metrics.train[k]]))),
    test: result.layers.map((l) => Object.fromEntries(SCALE_FREE.map((k) => [k, l.metrics.test?.[k]]))),
    nc3: result.classifier?.nc3,
    nc4: result.classifier?.nc4,
  };
}

test('float64 features stay float64: 1e-200 and 1e200 scales and a 1e9 offset give the unscaled NC1, NCC and the rest to 1e-9', async () => {
  await withTempDir('features-float64', async (dir) => {
    const { features, labels, W, b } = problem();
    const write = (name: string, transform: (v: number) => number) => {
      const h = features.map(transform);
      return writeNpz(join(dir, `${name}.npz`), { labels: { data: labels, shape: [N] }, h: { data: h, shape: [N, DIM] }, W: { data: W, shape: [K, DIM] }, b: { data: b, shape: [K] } });
    };
    const run = async (path: string) => analyzeFeatures({ features: path, test: path, epsilon: 0.01 }, silentHooks);
    const plain = await run(write('plain', (v) => v));
    const reference = scaleFree(plain);
    const train = plain.layers[0]!.metrics.train;
    assert.ok(typeof train.nc1 === 'number' && train.nc1 > 0 && train.nccAccuracy === 1, `reference NC1 ${train.nc1}, NCC ${train.nccAccuracy}`);
    for (const [name, transform, scale] of [
      ['tiny', (v: number) => v * 1e-200, 1e-200],
      ['huge', (v: number) => v * 1e200, 1e200],
      ['offset', (v: number) => v + 1e9, 1],
    ] as const) {
      const result = await run(write(name, transform));
      // Before, these gave "class means coincide", an "Infinity feature", and a lost signal.
      assert.equal(result.warnings?.length, 0, `${name}: ${JSON.stringify(result.warnings)}`);
      const compared = assertDeepClose(scaleFree(result), reference, 1e-9);
      assert.ok(compared > 50, `${name}: ${compared} numbers compared`);
      // The metrics that carry the scale come back in the features' own units, or null with the reason.
      const got = result.layers[0]!.metrics.train;
      assertDeepClose(got.meanNorms, train.meanNorms!.map((v) => (v as number) * scale), 1e-9);
      if (name === 'offset') assertDeepClose(got.classVariability, train.classVariability, 1e-9);
      else {
        assert.deepEqual(got.classVariability, [null, null, null], `${name}: variances of 1e+-400 do not exist in float64`);
        assert.match(got.unavailable?.classVariability ?? '', /outside float64's range at the features' own scale/);
      }
    }
  });
});

test('the classifier of a shifted float64 layer still predicts like the original (NC4 of a 1e9 offset)', async () => {
  await withTempDir('features-float64-nc4', async (dir) => {
    const { features, labels, W } = problem();
    // A bias that matters: it moves the decision boundaries, so a frame that forgot W*origin would show.
    const b = Float64Array.from([0.5, -2, 1]);
    const arrays = (h: Float64Array) => ({ labels: { data: labels, shape: [N] }, h: { data: h, shape: [N, DIM] }, W: { data: W, shape: [K, DIM] }, b: { data: b, shape: [K] } });
    const plain = await analyzeFeatures({ features: writeNpz(join(dir, 'p.npz'), arrays(features)), epsilon: 0.01 }, silentHooks);
    // The same network seen at an offset: h + o with b - W o gives the same logits.
    const o = 1e9;
    const shiftedB = Float64Array.from(b, (bias, c) => bias - W.subarray(c * DIM, (c + 1) * DIM).reduce((a, w) => a + w * o, 0));
    const shifted = writeNpz(join(dir, 's.npz'), { ...arrays(features.map((v) => v + o)), b: { data: shiftedB, shape: [K] } });
    const moved = await analyzeFeatures({ features: shifted, epsilon: 0.01 }, silentHooks);
    assert.equal(typeof plain.classifier?.nc4.train, 'number');
    assert.equal(moved.classifier?.nc4.train, plain.classifier?.nc4.train);
  });
});

test('features where every class mean coincides give null metrics with a warning, never a silent all-null result', async () => {
  await withTempDir('features-all-null', async (dir) => {
    const { labels } = problem();
    const constant = new Float32Array(N * DIM).fill(0.5);
    const path = writeNpz(join(dir, 'flat.npz'), { labels: { data: labels, shape: [N] }, h: { data: constant, shape: [N, DIM] } });
    const result = await analyzeFeatures({ features: path, epsilon: 0.01 }, silentHooks);
    assert.equal(result.layers[0]!.metrics.train.nc1, null);
    assert.ok(result.warnings?.some((w) => /no layer of .*flat\.npz gave NC1 or NCC accuracy \(h: all class means coincide/.test(w)), JSON.stringify(result.warnings));
  });
});

test('metrics refuses a held-out file whose layer has another dtype (float64 vs float32): the two would be compared in different frames', async () => {
  await withTempDir('features-mixed-dtype', async (dir) => {
    const { features, labels } = problem();
    const train = writeNpz(join(dir, 'train.npz'), { labels: { data: labels, shape: [N] }, h: { data: Float64Array.from(features), shape: [N, DIM] } });
    const test32 = writeNpz(join(dir, 'test.npz'), { labels: { data: labels, shape: [N] }, h: { data: Float32Array.from(features), shape: [N, DIM] } });
    const message = await rejection(() => analyzeFeatures({ features: train, test: test32, epsilon: 0.01 }, silentHooks));
    assert.match(message, /test\.npz: layer\(s\) h are float64 in one of .*train\.npz and .*test\.npz and float32 in the other; save both with the same dtype/);
  });
});
