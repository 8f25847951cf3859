/**
 * The pass-2 product kernels (WebAssembly SIMD and plain JavaScript) against a plain triple loop, on
 * shapes that exercise every remainder: odd D, sample counts and row counts not multiples of three,
 * fewer rows used than held, batches that grow.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createProductKernel, type KernelChoice } from '../../../src/core/metrics/product-kernel';
import { ClassStatsAccumulator, ProjectionAccumulator } from '../../../src/core/metrics';
import { classMeans } from './brute-force';
import { assertClose, assertSameNumbers, clusteredData, gaussian, passOne, randomClassifier, seededRandom, slice } from './helpers';

function plainProducts(features: Float32Array, count: number, dim: number, centre: Float64Array, rows: Float64Array, rowCount: number): Float64Array {
  const out = new Float64Array(count * rowCount);
  for (let i = 0; i < count; i++) {
    for (let r = 0; r < rowCount; r++) {
      let s = 0;
      for (let k = 0; k < dim; k++) s += (features[i * dim + k] - centre[k]) * rows[r * dim + k];
      out[i * rowCount + r] = s;
    }
  }
  return out;
}

test('WebAssembly SIMD is available in this Node (so the fast kernel is what runs)', () => {
  const kernel = createProductKernel(new Float64Array(4), 1, new Float64Array(4), 4);
  assert.equal(kernel.kind, 'wasm-simd');
});

for (const choice of ['wasm-simd', 'javascript'] as KernelChoice[]) {
  test(`${choice} kernel equals the plain triple loop on every remainder shape`, () => {
    const random = seededRandom(5);
    for (const [dim, rowCount] of [
      [1, 1],
      [2, 2],
      [7, 4],
      [33, 9],
      [64, 3],
      [129, 10],
      [1500, 5],
      [2049, 7],
    ]) {
      const rows = Float64Array.from({ length: rowCount * dim }, () => gaussian(random));
      const centre = Float64Array.from({ length: dim }, () => 3 + gaussian(random));
      const kernel = createProductKernel(rows, rowCount, centre, dim, choice);
      assert.equal(kernel.kind, choice);
      for (const count of [1, 2, 3, 4, 8, 17]) {
        const features = Float32Array.from({ length: count * dim }, () => 3 + gaussian(random));
        for (const used of new Set([rowCount, Math.max(1, rowCount - 2)])) {
          const out = new Float64Array(count * used + 5).fill(Number.NaN);
          kernel.project(features, count, used, out);
          const expected = plainProducts(features, count, dim, centre, rows, used);
          assertSameNumbers(Array.from(out.subarray(0, count * used)), Array.from(expected), 1e-12, `D=${dim} R=${used} B=${count}`, 1e-9);
        }
      }
    }
  });
}

test('whole pass 2 gives the same metrics with either kernel', () => {
  const K = 7;
  const D = 45;
  const train = clusteredData({ numClasses: K, dim: D, counts: [20, 9, 14, 30, 11, 8, 16], seed: 31, spread: 2 });
  const heldOut = clusteredData({ numClasses: K, dim: D, counts: [5, 7, 6, 9, 4, 8, 3], seed: 32, spread: 2, centres: train.centres });
  const classifier = randomClassifier(K, D, 33);
  const trainStats = passOne(train, 16);
  const testStats = passOne(heldOut, 16);
  const run = (kernel: KernelChoice) =>
    [
      [train, trainStats],
      [heldOut, testStats],
    ].map(([data, stats]) => {
      const d = data as typeof train;
      const acc = new ProjectionAccumulator(stats as typeof trainStats, trainStats, { classifier, kernel });
      assert.equal(acc.kernelKind, kernel);
      for (let from = 0; from < d.count; from += 10) {
        const batch = slice(d, from, Math.min(d.count, from + 10));
        acc.add(batch.features, batch.labels);
      }
      return { metrics: acc.finish(), network: acc.finishNetwork() };
    });
  assertSameNumbers(run('wasm-simd'), run('javascript'), 1e-12);
});

test('pass 1 gives the same class statistics with either kernel, and both match plain sums', () => {
  for (const [K, D] of [
    [3, 1],
    [4, 7],
    [5, 2050],
  ]) {
    // Class sizes 1..9 per batch exercise every short group of the four-row sweeps.
    const counts = Array.from({ length: K }, (_, c) => 1 + ((c * 5) % 9) * 3);
    const data = clusteredData({ numClasses: K, dim: D, counts, seed: 40 + D, spread: 2 });
    const run = (kernel: KernelChoice) => {
      const acc = new ClassStatsAccumulator('layer', K, D, { kernel });
      assert.equal(acc.kernelKind, kernel);
      for (let from = 0; from < data.count; from += 9) {
        const batch = slice(data, from, Math.min(data.count, from + 9));
        acc.add(batch.features, batch.labels);
      }
      const stats = acc.finish();
      return { counts: stats.counts, means: stats.means, scatter: stats.scatter, cdnv: stats.cdnvMatrix, nc2: stats.nc2 };
    };
    const wasm = run('wasm-simd');
    assertSameNumbers(wasm, run('javascript'), 1e-12, `K=${K} D=${D}`);
    const { means } = classMeans(data);
    for (let c = 0; c < K; c++) {
      let scatter = 0;
      for (let i = 0; i < data.count; i++) {
        if (data.labels[i] !== c) continue;
        for (let k = 0; k < D; k++) scatter += (data.features[i * D + k] - means[c][k]) ** 2;
      }
      assertClose(wasm.scatter[c], scatter, 1e-12, `K=${K} D=${D} scatter of class ${c}`);
      for (let k = 0; k < D; k += Math.max(1, Math.floor(D / 7))) assertClose(wasm.means[c * D + k], means[c][k], 1e-13, `mean ${c},${k}`);
    }
  }
});
