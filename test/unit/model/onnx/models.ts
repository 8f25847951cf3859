/**
 * The small graphs the ONNX tests share. All MLPs compute the same function of a 4-value sample:
 * r = relu(W1 x + B1) (3 values), logits = W2 r + B2 (2 classes); only how the classifier is written
 * (Gemm transB 0/1, MatMul + Add, Flatten/Reshape first, Softmax after) changes.
 */
import { onnx } from 'onnx-proto';
import {
  B1, B2, W1, W2, buildModel, floatAttr, floatTensor, int64Tensor, intAttr, intsAttr, node, transpose, valueInfo,
} from './builders';
import type { Dim } from './builders';

const DataType = onnx.TensorProto.DataType;

/** The hidden layer every MLP variant starts with: h = W1 x + B1, r = relu(h). */
function hidden(batch: Dim = 'N'): { nodes: onnx.INodeProto[]; initializers: onnx.ITensorProto[]; input: onnx.IValueInfoProto } {
  return {
    input: valueInfo('x', [batch, 4]),
    initializers: [floatTensor('W1', [3, 4], W1), floatTensor('B1', [3], B1, 'typed')],
    nodes: [node('Gemm', ['x', 'W1', 'B1'], ['h'], [intAttr('transB', 1)]), node('Relu', ['h'], ['r'])],
  };
}

export type ClassifierStyle = 'gemm-transB1' | 'gemm-transB0' | 'gemm-scaled' | 'matmul-add' | 'matmul-bias-first' | 'matmul-no-bias';

/** The MLP with the classifier written in `style`; `softmax` appends a Softmax (the output is then probabilities). */
export function mlp(style: ClassifierStyle, options: { softmax?: boolean; batch?: Dim; shapes?: boolean } = {}): Uint8Array {
  const batch = options.batch ?? 'N';
  const base = hidden(batch);
  const nodes = [...base.nodes];
  const initializers = [...base.initializers];
  const logits = options.softmax ? 'logits' : 'out';
  switch (style) {
    case 'gemm-transB1':
      initializers.push(floatTensor('W2', [2, 3], W2), floatTensor('B2', [2], B2));
      nodes.push(node('Gemm', ['r', 'W2', 'B2'], [logits], [intAttr('transB', 1)]));
      break;
    case 'gemm-transB0':
      initializers.push(floatTensor('W2t', [3, 2], transpose(W2, 2, 3)), floatTensor('B2', [1, 2], B2));
      nodes.push(node('Gemm', ['r', 'W2t', 'B2'], [logits]));
      break;
    case 'gemm-scaled':
      // alpha=2, beta=0.5 with halved weights and doubled bias: the same logits as the plain MLP.
      initializers.push(floatTensor('W2h', [2, 3], W2.map((v) => v / 2)), floatTensor('B2d', [2], B2.map((v) => v * 2)));
      nodes.push(node('Gemm', ['r', 'W2h', 'B2d'], [logits], [intAttr('transB', 1), floatAttr('alpha', 2), floatAttr('beta', 0.5)]));
      break;
    case 'matmul-add':
    case 'matmul-bias-first':
      initializers.push(floatTensor('W2t', [3, 2], transpose(W2, 2, 3)), floatTensor('B2', [2], B2));
      nodes.push(node('MatMul', ['r', 'W2t'], ['mm']));
      nodes.push(node('Add', style === 'matmul-add' ? ['mm', 'B2'] : ['B2', 'mm'], [logits]));
      break;
    case 'matmul-no-bias':
      initializers.push(floatTensor('W2t', [3, 2], transpose(W2, 2, 3)));
      nodes.push(node('MatMul', ['r', 'W2t'], [logits]));
      break;
  }
  if (options.softmax) nodes.push(node('Softmax', ['logits'], ['out'], [intAttr('axis', 1)]));
  const valueInfos = options.shapes ? [valueInfo('h', [batch, 3]), valueInfo('r', [batch, 3])] : [];
  return buildModel({ inputs: [base.input], outputs: [valueInfo('out', [batch, 2])], nodes, initializers, valueInfo: valueInfos });
}

/**
 * The hidden layer reshaped like a conv output (N x 3 x 1 x 1), a ReLU there, then flattened back before
 * the classifier by Flatten, a constant Reshape, or PyTorch's x.view(x.size(0), -1) (Shape/Gather/Concat).
 */
export function flattenedMlp(flatten: 'flatten' | 'reshape-constant' | 'reshape-dynamic'): Uint8Array {
  const initializers = [
    floatTensor('W1', [3, 4], W1), floatTensor('B1', [3], B1),
    floatTensor('W2', [2, 3], W2), floatTensor('B2', [2], B2),
    int64Tensor('to4d', [4], [0, 3, 1, 1]),
  ];
  const nodes = [
    node('Gemm', ['x', 'W1', 'B1'], ['h'], [intAttr('transB', 1)]),
    node('Reshape', ['h', 'to4d'], ['h4']),
    node('Relu', ['h4'], ['r4']),
  ];
  if (flatten === 'flatten') nodes.push(node('Flatten', ['r4'], ['f'], [intAttr('axis', 1)]));
  if (flatten === 'reshape-constant') {
    initializers.push(int64Tensor('to2d', [2], [0, -1]));
    nodes.push(node('Reshape', ['r4', 'to2d'], ['f']));
  }
  if (flatten === 'reshape-dynamic') {
    initializers.push(int64Tensor('zero', [], [0]), int64Tensor('minusOne', [1], [-1]));
    nodes.push(
      node('Shape', ['r4'], ['shape']),
      node('Gather', ['shape', 'zero'], ['batch'], [intAttr('axis', 0)]),
      node('Unsqueeze', ['batch'], ['batch1'], [intsAttr('axes', [0])]),
      node('Concat', ['batch1', 'minusOne'], ['to2d'], [intAttr('axis', 0)]),
      node('Reshape', ['r4', 'to2d'], ['f']),
    );
  }
  nodes.push(node('Gemm', ['f', 'W2', 'B2'], ['out'], [intAttr('transB', 1)]));
  return buildModel({
    inputs: [valueInfo('x', ['N', 4])], outputs: [valueInfo('out', ['N', 2])], nodes, initializers, opset: 11,
  });
}

/** The last op is a Conv: no linear classifier to find. x is N x 3 x 1 x 1. */
export function convHead(): Uint8Array {
  return buildModel({
    inputs: [valueInfo('x', ['N', 3, 1, 1])],
    outputs: [valueInfo('out', ['N', 2, 1, 1])],
    initializers: [floatTensor('Wc', [3, 3, 1, 1], [1, 0, 0, 0, 1, 0, 0, 0, 1]), floatTensor('Wo', [2, 3, 1, 1], W2)],
    nodes: [
      node('Conv', ['x', 'Wc'], ['c'], [intsAttr('kernel_shape', [1, 1])]),
      node('Relu', ['c'], ['r']),
      node('Conv', ['r', 'Wo'], ['out'], [intsAttr('kernel_shape', [1, 1])]),
    ],
  });
}

/** The classifier's weights are computed (a Transpose of the stored matrix), not a constant. */
export function computedWeights(): Uint8Array {
  const base = hidden();
  return buildModel({
    inputs: [base.input],
    outputs: [valueInfo('out', ['N', 2])],
    initializers: [...base.initializers, floatTensor('W2', [2, 3], W2), floatTensor('B2', [2], B2)],
    nodes: [...base.nodes, node('Transpose', ['W2'], ['W2t']), node('Gemm', ['r', 'W2t', 'B2'], ['out'])],
  });
}

export function twoInputs(): Uint8Array {
  return buildModel({
    inputs: [valueInfo('image', ['N', 4]), valueInfo('mask', ['N', 4])],
    outputs: [valueInfo('out', ['N', 4])],
    nodes: [node('Mul', ['image', 'mask'], ['out'])],
  });
}

/** The MLP with r cast to float64, and an integer ArgMax output, to test non-float32 tensors. */
export function mixedTypes(): Uint8Array {
  const base = hidden();
  return buildModel({
    inputs: [base.input],
    outputs: [valueInfo('out', ['N', 2]), valueInfo('label', ['N'], DataType.INT64)],
    initializers: [...base.initializers, floatTensor('W2', [2, 3], W2), floatTensor('B2', [2], B2)],
    nodes: [
      ...base.nodes,
      node('Cast', ['r'], ['r64'], [intAttr('to', DataType.DOUBLE)]),
      node('Cast', ['r64'], ['r32'], [intAttr('to', DataType.FLOAT)]),
      node('Gemm', ['r32', 'W2', 'B2'], ['out'], [intAttr('transB', 1)]),
      node('ArgMax', ['out'], ['label'], [intAttr('axis', 1), intAttr('keepdims', 0)]),
    ],
  });
}

/** Conv 1x1 weights (2 -> 2 channels) and bias of the activation zoo. */
export const ZOO_CONV = [1, -0.5, 0.25, 1];
export const ZOO_CONV_BIAS = [0.5, -0.25];

/**
 * One graph holding every auto-probe pattern: SiLU (Sigmoid * x), a residual Add, Clip as ReLU6,
 * MaxPool, ReduceMean over H, W (pooling), a LayerNorm-style ReduceMean over the last axis (not pooling),
 * GELU written with Erf, and the classifier. x is N x 2 x 2 x 2.
 */
export function activationZoo(): Uint8Array {
  return buildModel({
    inputs: [valueInfo('x', ['N', 2, 2, 2])],
    outputs: [valueInfo('logits', ['N', 2])],
    initializers: [
      floatTensor('Wc', [2, 2, 1, 1], ZOO_CONV), floatTensor('Bc', [2], ZOO_CONV_BIAS),
      floatTensor('zero', [], [0]), floatTensor('six', [], [6]), floatTensor('one', [], [1]),
      floatTensor('half', [], [0.5]), floatTensor('sqrt2', [], [Math.SQRT2]),
      floatTensor('Wg', [3, 2], [1, 0, 0, 1, 1, 1]), floatTensor('Bg', [3], [0, 0, 0]),
      floatTensor('Wo', [2, 3], W2), floatTensor('Bo', [2], B2),
    ],
    nodes: [
      node('Conv', ['x', 'Wc', 'Bc'], ['c1'], [intsAttr('kernel_shape', [1, 1])]),
      node('Sigmoid', ['c1'], ['s']),
      node('Mul', ['c1', 's'], ['silu']),
      node('Add', ['silu', 'x'], ['res']),
      node('Clip', ['res', 'zero', 'six'], ['relu6']),
      node('MaxPool', ['relu6'], ['mp'], [intsAttr('kernel_shape', [1, 1])]),
      node('ReduceMean', ['mp'], ['pooled'], [intsAttr('axes', [2, 3]), intAttr('keepdims', 0)]),
      node('ReduceMean', ['pooled'], ['mean'], [intsAttr('axes', [-1]), intAttr('keepdims', 1)]),
      node('Sub', ['pooled', 'mean'], ['centred']),
      node('Gemm', ['centred', 'Wg', 'Bg'], ['g'], [intAttr('transB', 1)]),
      node('Div', ['g', 'sqrt2'], ['gd']),
      node('Erf', ['gd'], ['ge']),
      node('Add', ['ge', 'one'], ['ga']),
      node('Mul', ['g', 'ga'], ['gm']),
      node('Mul', ['gm', 'half'], ['gelu']),
      node('Gemm', ['gelu', 'Wo', 'Bo'], ['logits'], [intAttr('transB', 1)]),
    ],
  });
}
