/**
 * Bring-your-own-features: `collapse-lens metrics` on the MLP's own features dumped by PyTorch
 * (mlp_features.npz: 500 training samples, five layers, W, b and logits), against the NumPy reference
 * computed from the very same float32 arrays, so only float64 summation order may differ.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { analyzeFeatures } from '../../../src/engine/analyze/features';
import { assertMatchesExpected } from './helpers/compareFixture';
import { readExpected } from './helpers/expected';
import { MODELS_DIR } from './helpers/paths';
import { silentHooks } from './helpers/analyze';
import { assertDeepClose } from './helpers/deepClose';
import { withTempDir, writeNpz } from '../dataset/helpers/writers';
import { formatLayerTable } from '../../../src/engine/cli/table';
import { seededRandom } from '../../../src/core/dataset/sampling';

const FEATURES = join(MODELS_DIR, 'mlp_features.npz');

/** Every number in a JSON-like value, in walk order. */
const numbersIn = (value: unknown): number[] =>
  typeof value === 'number' ? [value] : typeof value === 'object' && value !== null ? Object.values(value).flatMap(numbersIn) : [];

test('analyzeFeatures on mlp_features.npz matches the NumPy reference to 1e-9 relative', async () => {
  const result = await analyzeFeatures({ features: FEATURES, epsilon: 0.01 }, silentHooks);
  assert.equal(result.checkpoint.format, 'features-npz');
  assertMatchesExpected(result, readExpected(join(MODELS_DIR, 'mlp_features.expected.json')), {
    // Same float32 inputs on both sides: the float64 metrics may differ only by summation order.
    tolerance: { relative: 1e-9, absolute: 1e-12 },
    checkOps: false,
  });
});

test('metrics --test: a held-out file is analysed against the training means (the same file gives the training numbers back)', async () => {
  const train = await analyzeFeatures({ features: FEATURES, epsilon: 0.01 }, silentHooks);
  const both = await analyzeFeatures({ features: FEATURES, test: FEATURES, epsilon: 0.01 }, silentHooks);
  assert.equal(both.dataset.test?.source, FEATURES);
  assert.deepEqual(both.splits.test, both.splits.train, 'sample count, accuracy and class counts of the held-out split');
  assert.ok(typeof both.splits.test?.accuracy === 'number' && both.splits.test.accuracy > 0.9, `held-out accuracy ${both.splits.test?.accuracy}`);
  for (const [i, layer] of both.layers.entries()) {
    // Its own means are the training means, so every held-out number is the training number.
    assert.deepEqual(layer.metrics.test, layer.metrics.train, `layer ${layer.name}: held-out metrics`);
    assert.deepEqual(layer.metrics.train, train.layers[i]!.metrics.train, `layer ${layer.name}: adding --test changed the training metrics`);
  }
  assert.deepEqual(both.classifier?.nc4, { train: train.classifier?.nc4.train, test: train.classifier?.nc4.train });
});

test('a wide layer is read in fewer rows per step, with the same numbers: zero columns appended change no metric', async () => {
  await withTempDir('wide-features', async (dir) => {
    // 300 samples of 3 classes in 64 dimensions, and the same features padded with zeros to 16,384
    // (64 KB a row: 256 rows per step, so the wide layer takes two steps where the narrow one takes one).
    const N = 300;
    const narrowDim = 64;
    const wideDim = 16384;
    const narrow = new Float32Array(N * narrowDim);
    const wide = new Float32Array(N * wideDim);
    const labels = new BigInt64Array(N);
    for (let i = 0; i < N; i++) {
      const c = i % 3;
      labels[i] = BigInt(c);
      for (let d = 0; d < narrowDim; d++) {
        const value = (d % 3 === c ? 2 : 0) + Math.sin(i * 7.1 + d * 1.3) * 0.5;
        narrow[i * narrowDim + d] = value;
        wide[i * wideDim + d] = value;
      }
    }
    const path = writeNpz(join(dir, 'features.npz'), {
      narrow: { data: narrow, shape: [N, narrowDim] },
      wide: { data: wide, shape: [N, wideDim] },
      labels: { data: labels, shape: [N] },
    });
    const result = await analyzeFeatures({ features: path, test: path, epsilon: 0.01 }, silentHooks);
    const [narrowLayer, wideLayer] = result.layers;
    assert.equal(narrowLayer?.name, 'narrow');
    assert.equal(wideLayer?.name, 'wide');
    assert.equal(wideLayer.dim, wideDim);
    // Only the float64 summation order differs (the wide layer's rows come in two steps). The 2-D
    // projection's coordinates include some near zero on the plot's scale: compared against that scale.
    const compared = assertDeepClose(wideLayer.metrics, narrowLayer.metrics, 1e-9, ['$.*.projection']);
    assert.ok(compared > 20, `${compared} numbers compared`);
    for (const split of ['train', 'test'] as const) {
      const wideNumbers = numbersIn(wideLayer.metrics[split]?.projection);
      const narrowNumbers = numbersIn(narrowLayer.metrics[split]?.projection);
      assert.equal(wideNumbers.length, narrowNumbers.length, `${split} projection size`);
      assert.ok(wideNumbers.length > 0, `${split} projection is empty`);
      const scale = Math.max(...narrowNumbers.map(Math.abs));
      for (const [i, v] of wideNumbers.entries()) assert.ok(Math.abs(v - narrowNumbers[i]!) <= 1e-9 * scale, `${split} projection value ${i}: ${v} vs ${narrowNumbers[i]}`);
    }
    assert.ok((narrowLayer.metrics.train.nccAccuracy ?? 0) > 0.9, 'the classes separate');
  });
});

test('a layer narrower than K−1 is flagged in the result JSON, warned about, and marked in the printed table', async () => {
  await withTempDir('low-rank-features', async (dir) => {
    // K = 10 classes; "narrow" is 4 wide (Σ_B rank ≤ 4 < 9) with tight classes, so its NC1 is tiny although
    // ten means in four dimensions cannot form a simplex; "wide" is 16 wide, full rank.
    const K = 10;
    const N = 400;
    const layers = { narrow: 4, wide: 16 };
    const arrays: Record<string, { data: Float32Array | BigInt64Array; shape: number[] }> = {};
    const labels = new BigInt64Array(N);
    for (let i = 0; i < N; i++) labels[i] = BigInt(i % K);
    const random = seededRandom(12);
    for (const [name, D] of Object.entries(layers)) {
      const means = Array.from({ length: K * D }, () => 6 * random() - 3);
      const data = new Float32Array(N * D);
      for (let i = 0; i < N; i++) {
        for (let d = 0; d < D; d++) data[i * D + d] = means[(i % K) * D + d]! + (random() - 0.5) * (D === 4 ? 0.01 : 1);
      }
      arrays[name] = { data, shape: [N, D] };
    }
    arrays.labels = { data: labels, shape: [N] };
    const path = writeNpz(join(dir, 'features.npz'), arrays);
    const result = await analyzeFeatures({ features: path, test: path, epsilon: 0.01 }, silentHooks);
    const [narrow, wide] = result.layers;
    assert.ok((narrow!.metrics.train.nc1Rank ?? 99) <= 4, `narrow rank ${narrow!.metrics.train.nc1Rank}`);
    assert.equal(narrow!.metrics.train.nc1LowRank, true);
    assert.equal(narrow!.metrics.test?.nc1LowRank, true);
    assert.equal(wide!.metrics.train.nc1Rank, K - 1);
    assert.equal(wide!.metrics.train.nc1LowRank, undefined);
    const warning = (result.warnings ?? []).find((w) => w.includes('low-rank'));
    assert.ok(warning, `a warning names the layer: ${JSON.stringify(result.warnings)}`);
    assert.match(warning, /narrow \(train rank \d, test rank \d\)/);
    assert.doesNotMatch(warning, /wide/);

    const table = formatLayerTable(result).split('\n');
    const narrowRow = table.find((l) => l.includes(' narrow ')) ?? '';
    const wideRow = table.find((l) => l.includes(' wide ')) ?? '';
    assert.match(narrowRow, /\d\* /, `the narrow row's NC1 is marked: ${narrowRow}`);
    assert.doesNotMatch(wideRow, /\*/, `the wide row is not: ${wideRow}`);
    assert.ok(table.some((l) => l.startsWith('* NC1 over rank r < K−1 = 9')), 'a footnote explains the mark');
  });
});

test('metrics progress counts samples (of the layer named beside them), not samples x layers', async () => {
  const seen: import('../../../src/protocol/engine').ProgressInfo[] = [];
  const result = await analyzeFeatures({ features: FEATURES, epsilon: 0.01 }, { onProgress: (p) => void seen.push(p) });
  const N = result.splits.train.samples;
  const L = result.layers.length;
  assert.ok(seen.length > 0);
  for (const p of seen) {
    assert.equal(p.total, N, `total is the sample count (${N}), not ${L} x ${N}`);
    assert.ok(p.done > 0 && p.done <= N, `done ${p.done} of ${N}`);
  }
  for (const stage of ['pass1', 'pass2'] as const) {
    const finished = seen.filter((p) => p.stage === stage && p.done === N);
    assert.deepEqual(finished.map((p) => p.layer), result.layers.map((l) => l.name), `${stage}: each layer reaches all ${N} samples once`);
    assert.deepEqual(finished.map((p) => /layer (\d+) of (\d+)/.exec(p.message)?.slice(1).join('/')), result.layers.map((_, i) => `${i + 1}/${L}`));
  }
});
