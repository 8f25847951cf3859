import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeLayerNames, resolveProbes } from '../../../../src/core/model/onnx';
import type { LayerInfo, ModelGraph } from '../../../../src/core/model/types';

const layer = (name: string, index: number, auto: boolean): LayerInfo => ({ name, op: 'Relu', shape: [4], index, auto });

const graph: ModelGraph = {
  format: 'onnx',
  path: 'models/net.onnx',
  input: { name: 'x', dtype: 'float32', shape: ['N', 4], fixedBatch: null },
  layers: [
    layer('/block1/conv/Conv_output_0', 0, false),
    layer('/block1/relu/Relu_output_0', 1, true),
    layer('/block2/relu/Relu_output_0', 2, true),
    layer('/fc/Gemm_output_0', 3, false),
    layer('logits', 4, true),
  ],
  classifier: null,
  numOutputs: 10,
};

test('auto, all, and explicit names (returned in graph order, without duplicates)', () => {
  assert.deepEqual(resolveProbes(graph, 'auto').map((l) => l.index), [1, 2, 4]);
  assert.deepEqual(resolveProbes(graph, 'all').map((l) => l.index), [0, 1, 2, 3, 4]);
  assert.deepEqual(
    resolveProbes(graph, ['logits', '/block1/conv/Conv_output_0', 'logits']).map((l) => l.name),
    ['/block1/conv/Conv_output_0', 'logits'],
  );
});

test('an unknown name fails with close matches by substring and by edit distance', () => {
  assert.throws(
    () => resolveProbes(graph, ['/block2/relu/Relu_output_1', 'fc']),
    (e: Error) => {
      assert.match(e.message, /^models\/net.onnx: unknown layers:/);
      assert.match(e.message, /"\/block2\/relu\/Relu_output_1": did you mean "\/block2\/relu\/Relu_output_0"/);
      assert.match(e.message, /"fc": did you mean "\/fc\/Gemm_output_0"/);
      assert.match(e.message, /collapse-lens layers models\/net.onnx/);
      return true;
    },
  );
  assert.throws(() => resolveProbes(graph, ['zzzzzzzz']), /"zzzzzzzz": no similar layer name/);
  assert.throws(() => resolveProbes(graph, []), /no layers were selected/);
});

test('close names: substring hits first (shortest first), then small edit distances', () => {
  assert.deepEqual(closeLayerNames('logit', ['logits', 'logits_extra', 'other']), ['logits', 'logits_extra']);
  assert.deepEqual(closeLayerNames('relu3', ['relu1', 'relu2', 'conv1']), ['relu1', 'relu2']);
});
