/**
 * The default probes as a practitioner names them (src/core/model/onnx/blocks.ts): one probe per
 * block. The tensors have meaningless names (t0, t1, ...) on purpose: the rule reads the graph's
 * structure, never a module path, so a timm or Keras export is read the same as torchvision's.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveProbes } from '../../../../src/core/model/onnx';
import type { OnnxModel } from '../../../../src/core/model/onnx';
import { buildModel, floatTensor, intAttr, intsAttr, loadModelBytes, node, valueInfo } from './builders';
import type { onnx } from 'onnx-proto';

const autoNames = (model: OnnxModel): string[] => resolveProbes(model, 'auto').map((l) => l.name);

const C = 2;
const conv1x1 = (name: string): onnx.ITensorProto => floatTensor(name, [C, C, 1, 1], [1, -0.5, 0.25, 1]);
const depthwise = (name: string): onnx.ITensorProto => floatTensor(name, [C, 1, 1, 1], [0.5, -1]);
const pointwise = (input: string, weight: string, output: string): onnx.INodeProto =>
  node('Conv', [input, weight], [output], [intsAttr('kernel_shape', [1, 1])]);
const head = (input: string): { nodes: onnx.INodeProto[]; initializers: onnx.ITensorProto[] } => ({
  nodes: [node('GlobalAveragePool', [input], ['gp']), node('Flatten', ['gp'], ['fl'], [intAttr('axis', 1)]), node('Gemm', ['fl', 'Wo', 'Bo'], ['out'], [intAttr('transB', 1)])],
  initializers: [floatTensor('Wo', [2, C], [1, -1, 0.5, 2]), floatTensor('Bo', [2], [0, 0])],
});

function convNet(body: onnx.INodeProto[], weights: onnx.ITensorProto[], last: string): Uint8Array {
  const h = head(last);
  return buildModel({
    inputs: [valueInfo('x', ['N', C, 2, 2])],
    outputs: [valueInfo('out', ['N', 2])],
    nodes: [...body, ...h.nodes],
    initializers: [...weights, ...h.initializers],
  });
}

test('a residual block (conv-ReLU-conv, + skip, ReLU) is one probe: the ReLU after the Add; its first ReLU and the Add are inside', async () => {
  const model = await loadModelBytes(convNet([
    pointwise('x', 'W0', 't0'), node('Relu', ['t0'], ['t1']),
    pointwise('t1', 'W1', 't2'), node('Relu', ['t2'], ['t3']),
    pointwise('t3', 'W2', 't4'), node('Add', ['t4', 't1'], ['t5']), node('Relu', ['t5'], ['t6']),
  ], [conv1x1('W0'), conv1x1('W1'), conv1x1('W2')], 't6'));
  assert.deepEqual(autoNames(model), ['t1', 't6', 'gp', 'fl', 'out']);
  // `all` still offers everything, the block's inside included.
  assert.ok(['t3', 't5'].every((n) => resolveProbes(model, 'all').some((l) => l.name === n)));
});

test('an Add read by more than its activation is the block output itself; a SiLU (x * sigmoid(x)) alone after an Add is the block output', async () => {
  const shared = await loadModelBytes(convNet([
    pointwise('x', 'W0', 't0'), node('Relu', ['t0'], ['t1']),
    pointwise('t1', 'W1', 't2'), node('Add', ['t2', 't1'], ['t3']),
    // t3 feeds the next block's conv and its skip: no activation reads it alone.
    pointwise('t3', 'W2', 't4'), node('Relu', ['t4'], ['t5']), node('Add', ['t5', 't3'], ['t6']),
    node('Sigmoid', ['t6'], ['t7']), node('Mul', ['t6', 't7'], ['t8']),
  ], [conv1x1('W0'), conv1x1('W1'), conv1x1('W2')], 't8'));
  assert.deepEqual(autoNames(shared), ['t1', 't3', 't8', 'gp', 'fl', 'out']);
});

test('a SiLU outside any block stays a default probe (its Sigmoid does not)', async () => {
  const model = await loadModelBytes(convNet([
    pointwise('x', 'W0', 't0'), node('Sigmoid', ['t0'], ['t1']), node('Mul', ['t0', 't1'], ['t2']),
  ], [conv1x1('W0')], 't2'));
  assert.deepEqual(autoNames(model), ['t2', 'gp', 'fl', 'out']);
});

test('an inverted residual without a skip (1x1 expand, ReLU6, depthwise, ReLU6, linear 1x1 projection) is one probe: the projection', async () => {
  const clip = (input: string, output: string): onnx.INodeProto => node('Clip', [input, 'zero', 'six'], [output]);
  const model = await loadModelBytes(convNet([
    node('Conv', ['x', 'Ws', 'Bs'], ['t0'], [intsAttr('kernel_shape', [3, 3]), intsAttr('pads', [1, 1, 1, 1])]), clip('t0', 't1'),
    pointwise('t1', 'W1', 't2'), clip('t2', 't3'),
    node('Conv', ['t3', 'Wd'], ['t4'], [intsAttr('kernel_shape', [1, 1]), intAttr('group', C)]), clip('t4', 't5'),
    pointwise('t5', 'W2', 't6'),
    // The next stage: a 1x1 conv + ReLU6 reads the projection.
    pointwise('t6', 'W3', 't7'), clip('t7', 't8'),
  ], [
    floatTensor('Ws', [C, C, 3, 3], Array.from({ length: C * C * 9 }, (_, i) => ((i % 5) - 2) / 4)), floatTensor('Bs', [C], [0, 0]),
    conv1x1('W1'), depthwise('Wd'), conv1x1('W2'), conv1x1('W3'), floatTensor('zero', [], [0]), floatTensor('six', [], [6]),
  ], 't8'));
  // The stem (a 3x3 conv) is not taken for the expansion: it stays a probe of its own.
  assert.deepEqual(autoNames(model), ['t1', 't6', 't8', 'gp', 'fl', 'out']);
});

test('a pre-norm transformer block (x + attention, then + MLP) is one probe: the second sum; the first and the GELU inside are not', async () => {
  // Tokens N x 3 x 2. "Attention": softmax(t t^T) t; "MLP": a Linear, a ReLU, a Linear; no norms (not needed for the structure).
  const attention = (t: string, k: number): onnx.INodeProto[] => [
    node('Transpose', [t], [`tt${k}`], [intsAttr('perm', [0, 2, 1])]),
    node('MatMul', [t, `tt${k}`], [`s${k}`]), node('Softmax', [`s${k}`], [`p${k}`], [intAttr('axis', -1)]),
    node('MatMul', [`p${k}`, t], [`a${k}`]),
  ];
  const mlp = (t: string, k: number): onnx.INodeProto[] => [
    node('MatMul', [t, 'Wm1'], [`m${k}`]), node('Relu', [`m${k}`], [`g${k}`]), node('MatMul', [`g${k}`, 'Wm2'], [`f${k}`]),
  ];
  const block = (input: string, k: number): onnx.INodeProto[] => [
    ...attention(input, k), node('Add', [input, `a${k}`], [`r${k}`]),
    ...mlp(`r${k}`, k), node('Add', [`r${k}`, `f${k}`], [`o${k}`]),
  ];
  const model = await loadModelBytes(buildModel({
    inputs: [valueInfo('x', ['N', 3, 2])],
    outputs: [valueInfo('out', ['N', 2])],
    initializers: [
      floatTensor('Wm1', [2, 2], [1, -1, 0.5, 2]), floatTensor('Wm2', [2, 2], [0.5, 1, -1, 0.25]),
      floatTensor('Wo', [2, 2], [1, -1, 0.5, 2]), floatTensor('Bo', [2], [0, 0]),
    ],
    nodes: [
      ...block('x', 0), ...block('o0', 1),
      node('ReduceMean', ['o1'], ['pooled'], [intsAttr('axes', [1]), intAttr('keepdims', 0)]),
      node('Gemm', ['pooled', 'Wo', 'Bo'], ['out'], [intAttr('transB', 1)]),
    ],
  }));
  assert.deepEqual(autoNames(model), ['o0', 'o1', 'pooled', 'out']);
});

test('a skip around a whole stage does not hide the blocks inside it: each inner block output stays a probe', async () => {
  const model = await loadModelBytes(convNet([
    pointwise('x', 'W0', 't0'), node('Relu', ['t0'], ['t1']),
    // Stage: two residual blocks on t1 ...
    pointwise('t1', 'W1', 't2'), node('Add', ['t2', 't1'], ['t3']), node('Relu', ['t3'], ['t4']),
    pointwise('t4', 'W2', 't5'), node('Add', ['t5', 't4'], ['t6']), node('Relu', ['t6'], ['t7']),
    // ... and a skip around the stage.
    node('Add', ['t7', 't1'], ['t8']), node('Relu', ['t8'], ['t9']),
  ], [conv1x1('W0'), conv1x1('W1'), conv1x1('W2')], 't9'));
  assert.deepEqual(autoNames(model), ['t1', 't4', 't7', 't9', 'gp', 'fl', 'out']);
});
