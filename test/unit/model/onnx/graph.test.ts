import { onnx } from 'onnx-proto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveProbes } from '../../../../src/core/model/onnx';
import type { OnnxModel } from '../../../../src/core/model/onnx';
import { B1, B2, W1, W2, buildModel, floatTensor, intAttr, loadModelBytes, node, valueInfo } from './builders';
import { activationZoo, computedWeights, convHead, flattenedMlp, mixedTypes, mlp } from './models';
import type { ClassifierStyle } from './models';

const names = (model: OnnxModel): string[] => model.layers.map((l) => l.name);
const autoNames = (model: OnnxModel): string[] => resolveProbes(model, 'auto').map((l) => l.name);

function assertClassifierIsW2(model: OnnxModel, input: string, logits: string): void {
  const c = model.classifier;
  assert.ok(c, `expected a classifier, got: ${model.classifierUnavailable}`);
  assert.equal(c.inputLayer, input);
  assert.equal(c.logitsLayer, logits);
  assert.equal(c.numClasses, 2);
  assert.equal(c.dim, 3);
  assert.deepEqual(Array.from(c.W), W2);
  assert.deepEqual(Array.from(c.b), B2);
  assert.equal(model.numOutputs, 2);
}

const styles: [ClassifierStyle, RegExp][] = [
  ['gemm-transB1', /^Gemm transB=1$/],
  ['gemm-transB0', /^Gemm transB=0$/],
  ['gemm-scaled', /^Gemm transB=1, alpha=2, beta=0.5$/],
  ['matmul-add', /^MatMul \+ Add$/],
  ['matmul-bias-first', /^MatMul \+ Add \(bias first\)$/],
];
for (const [style, description] of styles) {
  test(`classifier written as ${style}: W and b read back as stored, layers and auto probes`, async () => {
    const model = await loadModelBytes(mlp(style));
    assertClassifierIsW2(model, 'r', 'out');
    assert.match(model.classifier?.description ?? '', description);
    const matmul = style.startsWith('matmul');
    assert.deepEqual(names(model), matmul ? ['h', 'r', 'mm', 'out'] : ['h', 'r', 'out']);
    assert.deepEqual(autoNames(model), ['r', 'out']);
    assert.deepEqual(model.layers.map((l) => l.index), model.layers.map((_, i) => i));
  });
}

test('MatMul without a bias: b is zeros', async () => {
  const model = await loadModelBytes(mlp('matmul-no-bias'));
  assert.deepEqual(Array.from(model.classifier?.W ?? []), W2);
  assert.deepEqual(Array.from(model.classifier?.b ?? []), [0, 0]);
  assert.equal(model.classifier?.description, 'MatMul (no bias)');
});

test('Softmax at the end: the logits are its input, the probabilities are listed but not auto', async () => {
  const model = await loadModelBytes(mlp('gemm-transB1', { softmax: true }));
  assertClassifierIsW2(model, 'r', 'logits');
  assert.equal(model.logitsLayer, 'logits');
  assert.match(model.classifier?.description ?? '', /before Softmax/);
  assert.deepEqual(names(model), ['h', 'r', 'logits', 'out']);
  assert.deepEqual(autoNames(model), ['r', 'logits']);
});

for (const flatten of ['flatten', 'reshape-constant', 'reshape-dynamic'] as const) {
  test(`${flatten} before the classifier: its input is the pre-flatten ReLU, shape ints are not layers`, async () => {
    const model = await loadModelBytes(flattenedMlp(flatten));
    assertClassifierIsW2(model, 'r4', 'out');
    assert.match(model.classifier?.description ?? '', /after flattening "r4"/);
    // Shape/Gather/Unsqueeze/Concat make int64 tensors: never layers.
    assert.deepEqual(names(model), ['h', 'h4', 'r4', 'f', 'out']);
    assert.deepEqual(autoNames(model), ['r4', 'f', 'out']);
  });
}

test('a Conv head has no classifier, with the reason; its layers are still probed', async () => {
  const model = await loadModelBytes(convHead());
  assert.equal(model.classifier, null);
  assert.match(model.classifierUnavailable ?? '', /the logits "out" come from a Conv node, not a linear map/);
  assert.equal(model.numOutputs, 2, 'the per-sample size of the declared N x 2 x 1 x 1 output');
  assert.deepEqual(autoNames(model), ['r', 'out']);
});

test('classifier weights computed in the graph: no classifier, the reason names the tensor', async () => {
  const model = await loadModelBytes(computedWeights());
  assert.equal(model.classifier, null);
  assert.match(model.classifierUnavailable ?? '', /weights "W2t" of Gemm node .* are computed in the graph/);
  assert.deepEqual(names(model), ['h', 'r', 'out'], 'the transposed constant is not a layer');
});

test('declared shapes become per-sample shapes; undeclared ones are unknown', async () => {
  const model = await loadModelBytes(mlp('gemm-transB1', { shapes: true }));
  assert.deepEqual(model.layers.map((l) => l.shape), [[3], [3], [2]]);
  const bare = await loadModelBytes(mlp('gemm-transB1'));
  assert.deepEqual(bare.layers.map((l) => l.shape), [[null], [null], [2]]);
});

test('input spec: dynamic batch, and a fixed batch of 1', async () => {
  const dynamic = await loadModelBytes(mlp('gemm-transB1'));
  assert.deepEqual(dynamic.input, { name: 'x', dtype: 'float32', shape: ['N', 4], fixedBatch: null });
  const fixed = await loadModelBytes(mlp('gemm-transB1', { batch: 1, shapes: true }));
  assert.deepEqual(fixed.input, { name: 'x', dtype: 'float32', shape: [1, 4], fixedBatch: 1 });
  assert.deepEqual(fixed.layers.map((l) => l.shape), [[3], [3], [2]]);
  assertClassifierIsW2(fixed, 'r', 'out');
});

test('float64 tensors are layers, int64 ones are not', async () => {
  const model = await loadModelBytes(mixedTypes());
  assert.deepEqual(names(model), ['h', 'r', 'r64', 'r32', 'out']);
  assert.equal(model.classifier?.inputLayer, 'r32');
});

test('activation zoo: each auto-probe pattern is found, its inner parts are not', async () => {
  const model = await loadModelBytes(activationZoo());
  assert.deepEqual(names(model), [
    'c1', 's', 'silu', 'res', 'relu6', 'mp', 'pooled', 'mean', 'centred', 'g', 'gd', 'ge', 'ga', 'gm', 'gelu', 'logits',
  ]);
  // The residual block x + silu(conv(x)) once, at the Clip(0, 6) that alone reads its Add (the SiLU and the
  // Add are inside it: blocks.test.ts has a SiLU outside a block), MaxPool, ReduceMean over H,W (not the
  // LayerNorm-style mean over the last axis), the end of the Erf GELU, and the logits.
  assert.deepEqual(autoNames(model), ['relu6', 'mp', 'pooled', 'gelu', 'logits']);
  assert.equal(model.classifier?.inputLayer, 'gelu');
  assert.equal(model.classifier?.dim, 3);
});

test('Mish written out (x * tanh(softplus(x))): the Mul is the activation, not its Softplus or Tanh', async () => {
  const model = await loadModelBytes(buildModel({
    inputs: [valueInfo('x', ['N', 4])],
    outputs: [valueInfo('out', ['N', 2])],
    initializers: [floatTensor('W1', [3, 4], W1), floatTensor('B1', [3], B1), floatTensor('W2', [2, 3], W2), floatTensor('B2', [2], B2)],
    nodes: [
      node('Gemm', ['x', 'W1', 'B1'], ['h'], [intAttr('transB', 1)]),
      node('Softplus', ['h'], ['sp']),
      node('Tanh', ['sp'], ['t']),
      node('Mul', ['h', 't'], ['mish']),
      node('Gemm', ['mish', 'W2', 'B2'], ['out'], [intAttr('transB', 1)]),
    ],
  }));
  assert.deepEqual(names(model), ['h', 'sp', 't', 'mish', 'out']);
  assert.deepEqual(autoNames(model), ['mish', 'out']);
  assert.equal(model.classifier?.inputLayer, 'mish');
});

test('an intermediate tensor listed before the prediction among the graph outputs is not taken for the logits', async () => {
  const proto = onnx.ModelProto.decode(mlp('gemm-transB1'));
  proto.graph!.output!.unshift(valueInfo('r', ['N', 3]));
  const model = await loadModelBytes(onnx.ModelProto.encode(proto).finish());
  assert.equal(model.logitsLayer, 'out');
  assert.equal(model.classifier?.inputLayer, 'r');
  assert.equal(model.numOutputs, 2);
});
