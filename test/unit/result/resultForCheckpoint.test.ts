import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resultForCheckpoint } from '../../../src/core/resultForCheckpoint';
import { syntheticResult } from '../helpers/syntheticResult';

test('a stored result read back for a copied checkpoint names the copy, with every number and the hash unchanged', () => {
  const stored = syntheticResult({ layers: [{ name: 'fc', nc1: 0.5, ncc: 0.9 }], checkpoint: '/runs/epoch_1.onnx' });
  const forCopy = resultForCheckpoint(stored, '/runs/epoch_9.onnx');
  assert.equal(forCopy.checkpoint.path, '/runs/epoch_9.onnx');
  assert.equal(forCopy.checkpoint.sha256, stored.checkpoint.sha256);
  assert.deepEqual(forCopy.layers, stored.layers);
  assert.equal(stored.checkpoint.path, '/runs/epoch_1.onnx', 'the stored result itself is not changed');
  assert.equal(resultForCheckpoint(stored, '/runs/epoch_1.onnx'), stored, 'the same file: the same object');
});
