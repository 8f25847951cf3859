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
