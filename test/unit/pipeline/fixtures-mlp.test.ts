/**
 * The PyTorch-trained MLP fixtures analysed in-process on the committed Fashion-MNIST slice, against the
 * independent NumPy reference (<name>.expected.json), and the collapse they must show.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeFixture, fixtureRequest, silentHooks } from './helpers/analyze';
import { analyzeCheckpoint } from '../../../src/engine/analyze/pipeline';
import { validateResult } from '../../../src/core/resultValidation';
import type { AnalysisResult } from '../../../src/core/result';
import { assertMatchesExpected } from './helpers/compareFixture';
import { readExpected } from './helpers/expected';
import { expectedPath } from './helpers/paths';
import { assertNc1Falls, assertNccRises, layersUpToClassifierInput, trainNc1 } from './helpers/science';

for (const model of ['mlp', 'mlp_early', 'mlp_ls', 'mlp_batch1']) {
  test(`${model}: every metric matches the NumPy reference (both splits, classifier, accuracy, effective depth)`, async () => {
    const result = await analyzeFixture(model);
    assertMatchesExpected(result, readExpected(expectedPath(model)));
    assert.equal(result.provider, 'cpu');
  });
}

test('mlp_batch1 (exported with a fixed batch of 1) gives the numbers of the same weights run in batches of 64', async () => {
  const batched = await analyzeFixture('mlp');
  const single = await analyzeFixture('mlp_batch1');
  for (const [i, layer] of batched.layers.entries()) {
    const other = single.layers[i]!;
    assert.equal(other.name, layer.name);
    for (const split of ['train', 'test'] as const) {
      const a = layer.metrics[split]!.nc1 as number;
      const b = other.metrics[split]!.nc1 as number;
      assert.ok(Math.abs(a - b) <= 1e-6 * Math.abs(a), `${layer.name} ${split}: NC1 ${a} (batch 64) vs ${b} (batch 1)`);
      assert.equal(other.metrics[split]!.nccAccuracy, layer.metrics[split]!.nccAccuracy, `${layer.name} ${split}: NCC accuracy`);
    }
  }
});

test('mlp (terminal phase): training NC1 falls and training NCC accuracy rises at every probe up to the classifier input', async () => {
  const layers = layersUpToClassifierInput(await analyzeFixture('mlp'));
  assert.equal(layers.length, 4, 'flatten, relu1, relu2, relu3');
  assertNc1Falls(layers, {});
  assertNccRises(layers);
});

test('mlp: the penultimate training NC1 is far below the early checkpoint\'s (0.32 vs 5.5 in the reference)', async () => {
  const late = layersUpToClassifierInput(await analyzeFixture('mlp')).at(-1)!;
  const early = layersUpToClassifierInput(await analyzeFixture('mlp_early')).at(-1)!;
  assert.equal(late.name, early.name);
  const ratio = trainNc1(late) / trainNc1(early);
  assert.ok(ratio < 0.1, `NC1 ${trainNc1(late)} (300 epochs) / ${trainNc1(early)} (early) = ${ratio}`);
});

test('mlp_early (before collapse): training NC1 grows with depth instead of falling', async () => {
  const layers = layersUpToClassifierInput(await analyzeFixture('mlp_early'));
  assert.ok(trainNc1(layers.at(-1)!) > 2 * trainNc1(layers[0]!), `${trainNc1(layers[0]!)} at the input vs ${trainNc1(layers.at(-1)!)} at the penultimate`);
});

test('mlp: the partial result streamed after the training split (test pending) passes the schema check every reader applies', async () => {
  const partials: AnalysisResult[] = [];
  const final = await analyzeCheckpoint(fixtureRequest('mlp'), { ...silentHooks, onPartial: (r) => partials.push(r) });
  assert.equal(partials.length, 1, 'one partial, after the training split');
  const partial = validateResult(JSON.parse(JSON.stringify(partials[0])), 'mlp partial');
  assert.equal(partial.splits.test, undefined, 'the held-out split is still pending');
  assert.equal(partial.layers.length, final.layers.length);
});
