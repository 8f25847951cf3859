/**
 * Configurations whose metrics are known in closed form. Every coordinate below is a small integer or a
 * power of two, so the float32 features hold them exactly and the expected values are exact.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifierMetrics } from '../../../src/core/metrics';
import { assertClose, assertNoNaN, gaussian, passOne, passTwo, seededRandom, type Dataset } from './helpers';

/**
 * Class means mu_c = a (K e_c - 1) + offset in R^D (D >= K; the remaining coordinates carry the offset
 * only). The centred means m_c = a (K e_c - 1) form a simplex ETF: sum_c m_c = 0, ||m_c||^2 = a^2 K (K-1)
 * and m_c . m_c' = -a^2 K, so cos = -1/(K-1); G = a^2 K^2 (I - 11^T/K) has eigenvalue a^2 K^2 (K-1
 * times) and 0.
 */
function etfMean(K: number, D: number, a: number, c: number): number[] {
  return Array.from({ length: D }, (_, k) => (k < K ? a * ((k === c ? K : 0) - 1) : 0) + 3 + (k % 5));
}

/** n samples per class, each exactly at its class mean. */
function onTheMeans(K: number, D: number, a: number, n: number): Dataset {
  const features = new Float32Array(K * n * D);
  const labels = new Int32Array(K * n);
  for (let i = 0; i < K * n; i++) {
    const c = (i * 7) % K;
    labels[i] = c;
    features.set(etfMean(K, D, a, c), i * D);
  }
  return { numClasses: K, dim: D, count: K * n, features, labels };
}

/**
 * Each class c gets the 2D samples mu_c +- s e_k (k = 1..D). The class mean is exactly mu_c, and the
 * within-class scatter is sum_k 2 s^2 e_k e_k^T = 2 s^2 I per class, so over N = 2 D K samples
 * Sigma_W = (K 2 s^2 / N) I = (s^2 / D) I: isotropic noise of variance sigma^2 = s^2 / D per coordinate.
 */
function isotropicAroundEtf(K: number, D: number, a: number, s: number): Dataset {
  const count = 2 * D * K;
  const features = new Float32Array(count * D);
  const labels = new Int32Array(count);
  let i = 0;
  for (let k = 0; k < D; k++) {
    for (const sign of [1, -1]) {
      for (let c = 0; c < K; c++) {
        const h = etfMean(K, D, a, c);
        h[k] += sign * s;
        features.set(h, i * D);
        labels[i++] = c;
      }
    }
  }
  return { numClasses: K, dim: D, count, features, labels };
}

test('samples exactly on a simplex ETF: NC1 = 0, NC2 numbers = 0, NCC accuracy 1, CDNV 0', () => {
  for (const [K, D] of [
    [2, 2],
    [3, 5],
    [10, 16],
  ]) {
    const data = onTheMeans(K, D, 2, 4);
    const stats = passOne(data, 5);
    const { metrics } = passTwo(data, stats, stats, 3);
    assertNoNaN(metrics);
    // Exactly 0 in exact arithmetic; the products h.m_c then minus lambda_j v_j[y] leave rounding of
    // relative size 2^-52 per direction, squared.
    assert.ok((metrics.nc1 as number) >= 0 && (metrics.nc1 as number) < 1e-28, `K=${K}: NC1 = ${metrics.nc1}`);
    assert.equal(metrics.nc1Rank, K - 1);
    for (const key of ['equinorm', 'equiangularity', 'maxAngle', 'etfDistance'] as const) {
      assert.ok(Math.abs(metrics[key] as number) < 1e-14, `K=${K}: ${key} = ${metrics[key]}`);
    }
    assert.equal(metrics.nccAccuracy, 1);
    assert.equal(metrics.cdnv, 0);
    for (let c = 0; c < K; c++) {
      assertClose(metrics.meanNorms?.[c], 2 * Math.sqrt(K * (K - 1)), 1e-14, `||m_${c}||`);
      for (let c2 = 0; c2 < K; c2++) {
        assertClose(metrics.meanCosines?.[c][c2], c === c2 ? 1 : -1 / (K - 1), 1e-14, `cos(m_${c}, m_${c2})`);
      }
    }
  }
});

test('isotropic within-class noise around an ETF gives the analytic NC1, Var_c and CDNV', () => {
  // NC1 = (1/K) tr(Sigma_W pinv(Sigma_B)) with Sigma_W = sigma^2 I and pinv(Sigma_B) = K pinv(M~ M~^T):
  // tr(pinv(M~ M~^T)) = sum of 1/eigenvalue over the nonzero spectrum of G = (K-1) / (a^2 K^2), so
  // NC1 = sigma^2 (K-1) / (a^2 K^2) with sigma^2 = s^2 / D.
  // Var_c = (1/2D) sum ||+-s e_k||^2 = s^2; ||mu_c - mu_c'||^2 = 2 a^2 K^2, so CDNV = s^2 / (2 a^2 K^2).
  for (const [K, D, a, s] of [
    [2, 3, 1, 0.5],
    [4, 6, 2, 1.5],
    [10, 12, 0.5, 0.25],
  ]) {
    const data = isotropicAroundEtf(K, D, a, s);
    const stats = passOne(data, 8);
    const { metrics } = passTwo(data, stats, stats, 8);
    assertNoNaN(metrics);
    const sigma2 = (s * s) / D;
    assertClose(metrics.nc1, (sigma2 * (K - 1)) / (a * a * K * K), 1e-12, `K=${K}: NC1`);
    for (let c = 0; c < K; c++) assertClose(metrics.classVariability?.[c], s * s, 1e-12, `Var_${c}`);
    assertClose(metrics.cdnv, (s * s) / (2 * a * a * K * K), 1e-12, `K=${K}: CDNV`);
    assert.equal(metrics.nccAccuracy, 1, 'noise smaller than the half-distance between means');
  }
});

test('Gaussian isotropic noise: NC1 approaches sigma^2 (K-1) / (a^2 K^2) for large N', () => {
  const K = 5;
  const D = 8;
  const a = 1;
  const sigma = 0.3;
  const n = 4000;
  const random = seededRandom(42);
  const features = new Float32Array(K * n * D);
  const labels = new Int32Array(K * n);
  for (let i = 0; i < K * n; i++) {
    const c = i % K;
    labels[i] = c;
    const mu = etfMean(K, D, a, c);
    for (let k = 0; k < D; k++) features[i * D + k] = mu[k] + sigma * gaussian(random);
  }
  const data: Dataset = { numClasses: K, dim: D, count: K * n, features, labels };
  const stats = passOne(data, 256);
  const { metrics } = passTwo(data, stats, stats, 256);
  // The empirical Sigma_W fluctuates by O(1/sqrt(N)) = 0.7%; 5% leaves room without hiding a wrong formula.
  assertClose(metrics.nc1, (sigma * sigma * (K - 1)) / (a * a * K * K), 0.05, 'NC1');
});

test('a classifier equal to the centred means gives NC3 = 0, an ETF classifier gives zero ETF numbers, and the NCC-equivalent classifier gives NC4 = 0', () => {
  const K = 6;
  const D = 9;
  const data = isotropicAroundEtf(K, D, 2, 0.5);
  const stats = passOne(data, 10);
  const centred = stats.centredMeans as Float64Array;
  const zeroBias = new Float64Array(K);
  for (const scale of [1, 3.5]) {
    const W = centred.map((v) => v * scale);
    const result = classifierMetrics(W, zeroBias, stats);
    assertNoNaN(result);
    assert.ok(Math.abs(result.nc3 as number) < 1e-15, `NC3 with W = ${scale} M~^T: ${result.nc3}`);
    for (const key of ['equinorm', 'equiangularity', 'maxAngle', 'etfDistance'] as const) {
      assert.ok(Math.abs(result.weights[key] as number) < 1e-14, `${key} of ETF rows = ${result.weights[key]}`);
    }
  }
  // W = -M~^T points every row the wrong way: NC3 = || -2 M~/||M~|| ||^2 = 4.
  assertClose(classifierMetrics(centred.map((v) => -v), zeroBias, stats).nc3, 4, 1e-14, 'NC3 of W = -M~^T');

  // logits_c = mu_c . h - ||mu_c||^2 / 2 = -||h - mu_c||^2 / 2 + ||h||^2 / 2: argmax logits = argmin distance.
  const W = stats.means.slice();
  const b = new Float64Array(K);
  for (let c = 0; c < K; c++) {
    let sq = 0;
    for (let k = 0; k < D; k++) sq += W[c * D + k] ** 2;
    b[c] = -sq / 2;
  }
  const { network } = passTwo(data, stats, stats, 7, { classifier: { W, b } });
  assert.equal(network.nc4, 0);
  assert.equal(network.accuracy, 1);
  assert.equal(network.samples, data.count);
});
