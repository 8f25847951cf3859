/**
 * Is this graph a transformer over tokens, and does it have a class token? The answers pick the default
 * reduction of its T x D tensors (src/core/model/reduction.ts): the class token where there is one
 * (ViT, DeiT: what the head reads), else the mean over tokens.
 */
import type { onnx } from 'onnx-proto';
import type { OnnxGraphIndex } from './graphIndex';
import { FLOAT_TYPES, intAttribute } from './proto';
import type { TokenModelInfo } from '../reduction';

/** Ops that copy or broadcast a value without mixing in the sample: a learned token stays a learned token. */
const PASS_THROUGH = new Set(['Expand', 'Tile', 'Identity', 'Reshape', 'Unsqueeze', 'Squeeze', 'Cast']);

/** True when the float data of `name` come from a stored tensor only (through copies and broadcasts). */
function isLearnedConstant(index: OnnxGraphIndex, name: string, depth = 0): boolean {
  if (index.constants.has(name)) return true;
  const node = index.producer.get(name);
  if (!node || depth > 8 || !PASS_THROUGH.has(node.opType ?? '')) return false;
  return isLearnedConstant(index, node.input?.[0] ?? '', depth + 1);
}

/**
 * Attention is a MatMul of two activations (queries x keys, weights x values); a plain Linear multiplies
 * an activation by a stored weight. Returns undefined for a graph without attention.
 */
const computedActivation = (index: OnnxGraphIndex, name: string | undefined): boolean =>
  name !== undefined && index.sampleDependent.has(name) && FLOAT_TYPES.has(index.elemType.get(name) ?? -1) && !isLearnedConstant(index, name);

/** A MatMul of two activations (queries x keys, weights x values): attention, not a Linear layer. */
export function isAttentionMatMul(index: OnnxGraphIndex, node: onnx.INodeProto): boolean {
  return node.opType === 'MatMul' && computedActivation(index, node.input?.[0]) && computedActivation(index, node.input?.[1]);
}

export function detectTokenModel(index: OnnxGraphIndex): TokenModelInfo | undefined {
  const activation = (name: string | undefined): boolean => computedActivation(index, name);
  if (!index.nodes.some((n) => isAttentionMatMul(index, n))) return undefined;
  // A learned token concatenated FIRST along the token axis of N x T x D: token 0 is the class token.
  const classToken = index.nodes.some((n) => {
    if (n.opType !== 'Concat' || (n.input ?? []).length < 2) return false;
    const axis = intAttribute(n, 'axis', 0);
    if (axis !== 1 && axis !== -2) return false;
    const [first, ...rest] = n.input ?? [];
    return isLearnedConstant(index, first ?? '') && rest.some((r) => activation(r));
  });
  return { classToken };
}
