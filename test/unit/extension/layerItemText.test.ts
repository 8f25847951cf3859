/**
 * The Layers view's row text: a low-rank NC1 (Σ_B rank < K−1) is marked beside the layer, with the reason
 * in the tooltip and the accessible label; a full-rank row reads as before.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { layerItemText } from '../../../src/extension/views/layerItemText';
import { syntheticResult } from '../helpers/syntheticResult';

function layers() {
  const result = syntheticResult({
    layers: [
      { name: 'fc8', nc1: 0.008, ncc: 0.0125 },
      { name: 'fc', nc1: 0.3, ncc: 0.99 },
    ],
  });
  result.layers[0]!.metrics.train.nc1Rank = 7;
  return result.layers;
}

test('a low-rank NC1 is marked in the description, the tooltip and the accessible label', () => {
  const text = layerItemText(layers()[0]!, 10, false);
  assert.equal(text.description, 'NC1 8.0e-3* (low rank) · NCC 1.3%');
  assert.equal(text.lowRank, true);
  assert.match(text.tooltip, /\| NC1 \| 8\.0e-3\\\* \| — \|/);
  assert.match(text.tooltip, /\\\* train: NC1 over rank 7 < K−1 = 9: Σ_B spans only 7 direction\(s\)/);
  assert.match(text.tooltip, /does not mean the classes are separated/);
  assert.match(text.accessibilityLabel, /^#0 fc8, NC1 8\.0e-3\* \(low rank\).*NC1 over rank 7 < K−1 = 9/);
});

test('a full-rank row is unmarked and reads as before', () => {
  const text = layerItemText(layers()[1]!, 10, true);
  assert.equal(text.description, 'NC1 0.300 · NCC 99.0% · classifier input');
  assert.equal(text.lowRank, false);
  // The bold name is the only "*" (Markdown); no mark, no reason.
  assert.doesNotMatch(text.tooltip.replace('**#1 fc**', ''), /\*|rank/);
  assert.equal(text.accessibilityLabel, '#1 fc, NC1 0.300 · NCC 99.0% · classifier input');
});

test('a low-rank held-out NC1 alone is explained in the tooltip, the row (train) stays unmarked', () => {
  const layer = layers()[1]!;
  layer.metrics.test = { ...layer.metrics.train, nc1: 0.2, nc1Rank: 3 };
  const text = layerItemText(layer, 10, false);
  assert.equal(text.lowRank, false);
  assert.match(text.tooltip, /\| NC1 \| 0\.300 \| 0\.200\\\* \|/);
  assert.match(text.tooltip, /\\\* test: NC1 over rank 3 < K−1 = 9/);
});

test('the hover names the op and the size once: "D = 128" for a flat layer, the shape for a feature map', () => {
  const [flat, map] = layers();
  flat!.op = 'Relu';
  flat!.shape = [128];
  flat!.dim = 128;
  assert.match(layerItemText(flat!, 10, false).tooltip, /^\*\*#0 fc8\*\* \(Relu, D = 128\)\n/);
  assert.doesNotMatch(layerItemText(flat!, 10, false).tooltip, /128 = 128/);
  map!.op = 'MaxPool';
  map!.shape = [64, 7, 7];
  map!.dim = 3136;
  assert.match(layerItemText(map!, 10, false).tooltip, /^\*\*#1 fc\*\* \(MaxPool, 64×7×7, D = 3,136\)\n/);
});
