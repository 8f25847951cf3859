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

const FEATURES = join(MODELS_DIR, 'mlp_features.npz');

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
