/**
 * Tiny transformer-like graphs for the token reductions and shape resolution: 3 patch tokens of width 2,
 * optionally a learned class token concatenated in front (T = 4), one attention-like mixing
 * (t + (t t^T) t), a head on token 0. No intermediate shape is declared (as torch exports them), and one
 * branch merges the batch with the tokens ([N*T, 2], as torch's attention does before out_proj).
 */
import { buildModel, floatTensor, int64Tensor, intAttr, intsAttr, node, valueInfo } from './builders';

/** The learned class token and the classifier (2 classes x 2). */
export const CLS = [0.5, -0.25];
export const HEAD_W = [1, -1, 0.5, 2];
export const HEAD_B = [0.1, -0.1];

export function tokenModel(options: { classToken: boolean }): Uint8Array {
  const initializers = [
    floatTensor('head_w', [2, 2], HEAD_W), floatTensor('head_b', [2], HEAD_B),
    int64Tensor('zero', [], [0]), int64Tensor('one_two', [2], [1, 2]), int64Tensor('merge', [2], [-1, 2]),
  ];
  const nodes = [];
  let tokens = 'x';
  if (options.classToken) {
    initializers.push(floatTensor('class_token', [1, 1, 2], CLS));
    nodes.push(
      // class_token.expand(N, -1, -1): the target shape is computed from the input's batch.
      node('Shape', ['x'], ['x_shape']),
      node('Gather', ['x_shape', 'zero'], ['n'], [intAttr('axis', 0)]),
      node('Unsqueeze', ['n'], ['n1'], [intsAttr('axes', [0])]),
      node('Concat', ['n1', 'one_two'], ['cls_shape'], [intAttr('axis', 0)]),
      node('Expand', ['class_token', 'cls_shape'], ['cls_n']),
      node('Concat', ['cls_n', 'x'], ['t'], [intAttr('axis', 1)]),
    );
    tokens = 't';
  }
  nodes.push(
    node('Transpose', [tokens], ['t_T'], [intsAttr('perm', [0, 2, 1])]),
    node('MatMul', [tokens, 't_T'], ['scores']),
    node('MatMul', ['scores', tokens], ['mixed']),
    node('Add', [tokens, 'mixed'], ['add']),
    // The batch merged with the tokens: a ReLU the auto rule would pick, without a per-sample value.
    node('Reshape', ['add', 'merge'], ['merged']),
    node('Relu', ['merged'], ['merged_relu']),
    node('Gather', ['add', 'zero'], ['first'], [intAttr('axis', 1)]),
    node('Gemm', ['first', 'head_w', 'head_b'], ['logits'], [intAttr('transB', 1)]),
  );
  return buildModel({
    inputs: [valueInfo('x', ['N', 3, 2])],
    outputs: [valueInfo('logits', ['N', 2])],
    nodes,
    initializers,
    opset: 11,
  });
}

/** A 2 x 2 x 2 "conv map" (the input through a ReLU), flattened into a 2-class head. */
export function convMapModel(): Uint8Array {
  return buildModel({
    inputs: [valueInfo('x', ['N', 2, 2, 2])],
    outputs: [valueInfo('logits', ['N', 2])],
    initializers: [floatTensor('w', [2, 8], [1, 0, 0, 0, 0, 0, 0, -1, 0, 1, 0, 0, 0, 0, 1, 0]), floatTensor('b', [2], [0, 0])],
    nodes: [
      node('Relu', ['x'], ['map']),
      node('Flatten', ['map'], ['flat'], [intAttr('axis', 1)]),
      node('Gemm', ['flat', 'w', 'b'], ['logits'], [intAttr('transB', 1)]),
    ],
    opset: 11,
  });
}
