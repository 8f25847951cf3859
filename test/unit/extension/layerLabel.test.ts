import { test } from 'node:test';
import assert from 'node:assert/strict';
import { layerLabel } from '../../../src/extension/views/layerLabel';

test("the Layers view shows PyTorch-exported tensors by their module path, other names unchanged", () => {
  const cases: [string, string][] = [
    ['/relu1/Relu_output_0', 'relu1'],
    ['/block/relu_out/Relu_output_0', 'block/relu_out'],
    ['/features/features.3/Add_output_0', 'features/features.3'],
    ['/pool2/MaxPool_output_0', 'pool2'],
    ['/encoder/layers.0/attn/MatMul_output_1', 'encoder/layers.0/attn (output 1)'],
    // Not the exporter's pattern: as they are.
    ['logits', 'logits'],
    ['fc1', 'fc1'],
    ['classifier/logits', 'classifier/logits'],
    ['/Relu_output_0', '/Relu_output_0'],
    ['onnx::Gemm_12', 'onnx::Gemm_12'],
  ];
  for (const [name, label] of cases) assert.equal(layerLabel(name), label, name);
});
