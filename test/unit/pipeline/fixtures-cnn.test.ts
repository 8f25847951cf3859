/**
 * The PyTorch-trained CNN fixtures (conv, a residual block, pooling) analysed in-process on the
 * committed Fashion-MNIST slice, against the independent NumPy reference, and the collapse they show.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeCheckpoint } from '../../../src/engine/analyze/pipeline';
import { analyzeFixture, fixtureRequest, silentHooks } from './helpers/analyze';
import { assertMatchesExpected } from './helpers/compareFixture';
import { CNN_DEFAULT_PROBES } from './helpers/defaultProbes';
import { readExpected, restrictExpected } from './helpers/expected';
import { expectedPath } from './helpers/paths';
import { assertNc1Falls, assertNccRises, layersUpToClassifierInput, trainNc1, trainNcc } from './helpers/science';

for (const model of ['cnn', 'cnn_early']) {
  test(`${model}: every metric matches the NumPy reference (both splits, classifier, accuracy, effective depth)`, async () => {
    const result = await analyzeFixture(model);
    assert.deepEqual(result.layers.map((l) => l.name), CNN_DEFAULT_PROBES, `${model}: the default probes`);
    assertMatchesExpected(result, restrictExpected(readExpected(expectedPath(model)), CNN_DEFAULT_PROBES));
  });
}

test('cnn (terminal phase): training NC1 falls with depth up to the classifier input, one max-pool excepted', async () => {
  const layers = layersUpToClassifierInput(await analyzeFixture('cnn'));
  assert.equal(layers.length, 8);
  // The NumPy reference shows it too (0.8995 -> 0.9011): max-pooling the block's ReLU output
  // shrinks the between-class spread a little more than the within-class spread.
  assertNc1Falls(layers, { '/pool2/MaxPool_output_0': 'max-pool after the residual block, +0.2% in the reference' });
  const first = trainNc1(layers[0]!);
  const last = trainNc1(layers.at(-1)!);
  assert.ok(last < 0.3 * first, `NC1 ${first} at the first probe vs ${last} at the penultimate`);
});

test('cnn (terminal phase): training NCC accuracy never falls with depth up to the classifier input, and reaches 99%', async () => {
  const layers = layersUpToClassifierInput(await analyzeFixture('cnn'));
  assertNccRises(layers);
  assert.ok(trainNcc(layers.at(-1)!) >= 0.99);
});

test('cnn: the penultimate training NC1 is far below the early checkpoint\'s (0.36 vs 4.4 in the reference)', async () => {
  const late = layersUpToClassifierInput(await analyzeFixture('cnn')).at(-1)!;
  const early = layersUpToClassifierInput(await analyzeFixture('cnn_early')).at(-1)!;
  assert.equal(late.name, early.name);
  const ratio = trainNc1(late) / trainNc1(early);
  assert.ok(ratio < 0.1, `NC1 ${trainNc1(late)} (terminal) / ${trainNc1(early)} (early) = ${ratio}`);
});

test('cnn: past the classifier input the logits undo a little collapse (as in the NumPy reference), so the monotone checks stop there', async () => {
  const result = await analyzeFixture('cnn');
  const penultimate = layersUpToClassifierInput(result).at(-1)!;
  const logits = result.layers.at(-1)!;
  assert.equal(logits.name, 'logits');
  // Reference: NC1 0.359 -> 0.388 (+8%), NCC 0.9965 -> 0.996 (one sample of 2,000).
  const rise = trainNc1(logits) / trainNc1(penultimate) - 1;
  assert.ok(rise > 0 && rise < 0.15, `logits NC1 ${trainNc1(logits)} vs penultimate ${trainNc1(penultimate)}`);
  assert.ok(trainNcc(penultimate) - trainNcc(logits) <= 1 / 2000 + 1e-12, `NCC ${trainNcc(penultimate)} -> ${trainNcc(logits)}`);
});

test('cnn: the layers spread over three metrics workers give the single worker\'s result to the last bit', async () => {
  const single = await analyzeFixture('cnn');
  const saved = process.env.COLLAPSE_LENS_REDUCE_SHARDS;
  process.env.COLLAPSE_LENS_REDUCE_SHARDS = '3';
  try {
    const sharded = await analyzeCheckpoint(fixtureRequest('cnn'), silentHooks);
    assert.deepEqual(sharded.layers, single.layers);
    assert.deepEqual(sharded.classifier, single.classifier);
    assert.deepEqual(sharded.splits, single.splits);
    assert.deepEqual(sharded.effectiveDepth, single.effectiveDepth);
  } finally {
    if (saved === undefined) delete process.env.COLLAPSE_LENS_REDUCE_SHARDS;
    else process.env.COLLAPSE_LENS_REDUCE_SHARDS = saved;
  }
});
