/**
 * `collapse-lens metrics --reduce`: token arrays dumped as N x T x D (a transformer's hidden states) read at
 * their class token (cls) or their token mean (mean), checked against the same features reduced here and
 * dumped as plain N x D arrays: the metrics must be the very same numbers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { analyzeFeatures } from '../../../src/engine/analyze/features';
import { silentHooks } from './helpers/analyze';
import { withTempDir, writeNpz } from '../dataset/helpers/writers';
import { seededRandom } from '../../../src/core/dataset/sampling';

const N = 120;
const K = 3;
const T = 5;
const D = 4;

/** N x T x D tokens: token 0 carries the class (a shifted mean), the others mostly noise. */
function tokenArrays(float64: boolean): { tokens: Float32Array | Float64Array; labels: BigInt64Array } {
  const random = seededRandom(7);
  const tokens = float64 ? new Float64Array(N * T * D) : new Float32Array(N * T * D);
  const labels = new BigInt64Array(N);
  for (let i = 0; i < N; i++) {
    const c = i % K;
    labels[i] = BigInt(c);
    for (let t = 0; t < T; t++) {
      for (let d = 0; d < D; d++) tokens[(i * T + t) * D + d] = (t === 0 && d === c ? 3 : 0) + (t === 1 ? 0.5 * c : 0) + random() - 0.5;
    }
  }
  return { tokens, labels };
}

/** Token 0 and the token mean of every sample, computed here (float64 sums over tokens, stored in the input's type). */
function reducedHere(tokens: Float32Array | Float64Array): { cls: Float32Array | Float64Array; mean: Float32Array | Float64Array } {
  const make = (n: number) => (tokens instanceof Float64Array ? new Float64Array(n) : new Float32Array(n));
  const cls = make(N * D);
  const mean = make(N * D);
  for (let i = 0; i < N; i++) {
    for (let d = 0; d < D; d++) {
      cls[i * D + d] = tokens[i * T * D + d];
      let sum = 0;
      for (let t = 0; t < T; t++) sum += tokens[(i * T + t) * D + d];
      mean[i * D + d] = sum / T;
    }
  }
  return { cls, mean };
}

for (const float64 of [false, true]) {
  test(`metrics --reduce cls / mean on N x T x D ${float64 ? 'float64' : 'float32'} tokens gives the numbers of the same features dumped reduced`, async () => {
    await withTempDir('features-reduce', async (dir) => {
      const { tokens, labels } = tokenArrays(float64);
      const { cls, mean } = reducedHere(tokens);
      const dumped = writeNpz(join(dir, 'tokens.npz'), { labels: { data: labels, shape: [N] }, hidden: { data: tokens, shape: [N, T, D] } });
      const reduced = writeNpz(join(dir, 'reduced.npz'), { labels: { data: labels, shape: [N] }, cls: { data: cls, shape: [N, D] }, mean: { data: mean, shape: [N, D] } });
      const reference = await analyzeFeatures({ features: reduced, epsilon: 0.01 }, silentHooks);
      for (const reduction of ['cls', 'mean'] as const) {
        const result = await analyzeFeatures({ features: dumped, test: dumped, epsilon: 0.01, reduction: { all: reduction } }, silentHooks);
        const layer = result.layers[0]!;
        assert.deepEqual([layer.name, layer.reduction, layer.tensorShape, layer.shape, layer.dim], ['hidden', reduction, [T, D], [D], D]);
        const expected = reference.layers.find((l) => l.name === reduction)!;
        assert.deepEqual(layer.metrics.train, expected.metrics.train, `${reduction}: training metrics`);
        assert.ok(layer.metrics.train.nc1 !== null && layer.metrics.train.nc1 > 0, `${reduction}: NC1 ${layer.metrics.train.nc1}`);
        assert.equal(result.settings?.reduction, reduction);
      }
      // Without --reduce the array is flattened as stored (T x D = 20 values), as before.
      const flat = await analyzeFeatures({ features: dumped, epsilon: 0.01 }, silentHooks);
      assert.deepEqual([flat.layers[0]!.dim, flat.layers[0]!.reduction, flat.settings?.reduction], [T * D, undefined, undefined]);
    });
  });
}

test('metrics --reduce: W of the reduced width makes the reduced array the classifier input; a reduction that does not fit is refused naming the layer', async () => {
  await withTempDir('features-reduce-refusals', async (dir) => {
    const { tokens, labels } = tokenArrays(false);
    const W = new Float32Array(K * D).map((_, i) => (i % (D + 1) === 0 ? 1 : 0));
    const path = writeNpz(join(dir, 'tokens.npz'), {
      labels: { data: labels, shape: [N] },
      hidden: { data: tokens, shape: [N, T, D] },
      W: { data: W, shape: [K, D] },
      b: { data: new Float32Array(K), shape: [K] },
    });
    const result = await analyzeFeatures({ features: path, epsilon: 0.01, reduction: { all: 'cls' } }, silentHooks);
    assert.equal(result.classifier?.input, 'hidden');
    await assert.rejects(
      analyzeFeatures({ features: path, epsilon: 0.01, reduction: { all: 'auto', layers: { hidden: 'gap' } } }, silentHooks),
      /tokens\.npz: layer "hidden": gap needs a C x H x W map, and this tensor is \[5, 4\]/,
    );
    await assert.rejects(
      analyzeFeatures({ features: path, epsilon: 0.01, reduction: { all: 'auto', layers: { hiden: 'cls' } } }, silentHooks),
      /a reduction was given for "hiden", which is not probed/,
    );
    // Same width, other token layout in the held-out file: read at "token 0" it would be another feature.
    const swapped = writeNpz(join(dir, 'swapped.npz'), { labels: { data: labels, shape: [N] }, hidden: { data: tokens, shape: [N, D, T] } });
    await assert.rejects(
      analyzeFeatures({ features: path, test: swapped, epsilon: 0.01, reduction: { all: 'cls' } }, silentHooks),
      /swapped\.npz: reduced layers must have the training file's per-sample shape: hidden is \[4, 5\] there, \[5, 4\] in .*tokens\.npz/,
    );
  });
});
