import { test } from 'node:test';
import assert from 'node:assert/strict';
import { effectiveDepth } from '../../../src/core/metrics';

const layers = [
  { name: 'conv1', trainNccAccuracy: 0.41 },
  { name: 'conv2', trainNccAccuracy: null },
  { name: 'conv3', trainNccAccuracy: 0.97 },
  { name: 'fc1', trainNccAccuracy: 0.99 },
  { name: 'fc2', trainNccAccuracy: 1 },
];

test('the first layer whose training NCC error is at most epsilon', () => {
  assert.deepEqual(effectiveDepth(layers), { epsilon: 0.01, layer: 'fc1', depth: 3 }, 'error 1 - 0.99 counts as 0.01 despite rounding');
  assert.deepEqual(effectiveDepth(layers, 0.05), { epsilon: 0.05, layer: 'conv3', depth: 2 });
  assert.deepEqual(effectiveDepth(layers, 0), { epsilon: 0, layer: 'fc2', depth: 4 });
  assert.deepEqual(effectiveDepth(layers, 0.6), { epsilon: 0.6, layer: 'conv1', depth: 0 });
});

test('no layer reaching epsilon, or no layers, gives nulls; a bad epsilon is an error', () => {
  assert.deepEqual(effectiveDepth(layers.slice(0, 3), 0.01), { epsilon: 0.01, layer: null, depth: null });
  assert.deepEqual(effectiveDepth([]), { epsilon: 0.01, layer: null, depth: null });
  assert.throws(() => effectiveDepth(layers, -0.1), /epsilon -0.1/);
});
