/**
 * Small structural questions about single nodes that both the classifier search and the auto-probe
 * rule ask: is this reshape a per-sample flatten, which tensor holds the logits, what is a constant.
 */
import { onnx } from 'onnx-proto';
import type { OnnxGraphIndex } from './graphIndex';
import { intAttribute, intsAttribute } from './proto';
import { tensorToFloat64 } from './tensorValues';

/** Values of a constant tensor input, or null when it is computed in the graph. */
export function constantValues(index: OnnxGraphIndex, name: string | undefined): Float64Array | null {
  if (!name) return null;
  const t = index.constants.get(name);
  return t ? tensorToFloat64(t, `tensor "${name}"`) : null;
}

/** The reduction axes of a Reduce* node: an attribute before opset 18, an input since. */
export function reduceAxes(index: OnnxGraphIndex, node: onnx.INodeProto): number[] | null {
  const fromAttribute = intsAttribute(node, 'axes');
  if (fromAttribute) return fromAttribute;
  const fromInput = constantValues(index, node.input?.[1]);
  return fromInput ? Array.from(fromInput) : null;
}

/**
 * True when a Flatten/Reshape turns (N, ...) into (N, D): the usual step before a classifier.
 * A computed reshape target (PyTorch's x.view(x.size(0), -1) exports Shape/Gather/Concat) counts when
 * the Concat joins two parts or the declared output shape has rank 2.
 */
export function isFlattenTo2D(index: OnnxGraphIndex, node: onnx.INodeProto): boolean {
  if (node.opType === 'Flatten') return intAttribute(node, 'axis', 1) === 1;
  if (node.opType !== 'Reshape') return false;
  const declared = index.shapes.get(node.output?.[0] ?? '');
  if (declared) return declared.length === 2;
  const target = node.input?.[1];
  const constant = constantValues(index, target);
  if (constant) return constant.length === 2;
  const builder = target ? index.producer.get(target) : undefined;
  return builder?.opType === 'Concat' && (builder.input ?? []).length === 2;
}

const PASS_THROUGH = new Set(['Identity', 'Dropout']);

/** Follows Identity / Dropout (no-ops at inference) back to the tensor that really carries the values. */
export function skipPassThrough(index: OnnxGraphIndex, name: string): string {
  let current = name;
  for (;;) {
    const node = index.producer.get(current);
    if (!node || !PASS_THROUGH.has(node.opType ?? '') || !node.input?.[0]) return current;
    current = node.input[0];
  }
}

export interface LogitsInfo {
  /** The graph output the logits come from. */
  output: string;
  /** The pre-softmax logits tensor (the output itself when no Softmax ends the graph). */
  logits: string;
  /** 'Softmax' or 'LogSoftmax' when one ends the graph. */
  softmax: string | null;
}

const LINEAR_OPS = new Set(['Gemm', 'MatMul', 'Add']);

function logitsOf(index: OnnxGraphIndex, output: string): LogitsInfo {
  const beforeIdentity = skipPassThrough(index, output);
  const node = index.producer.get(beforeIdentity);
  if (node && (node.opType === 'Softmax' || node.opType === 'LogSoftmax') && node.input?.[0]) {
    return { output, logits: skipPassThrough(index, node.input[0]), softmax: node.opType };
  }
  return { output, logits: beforeIdentity, softmax: null };
}

/**
 * The classifier's output: the first graph output that a linear map (or a softmax over one) produces,
 * else the first graph output. Exporters put the prediction first, but a model that also exposes
 * intermediate tensors as outputs may list those first; they must not be taken for the logits.
 */
export function findLogits(index: OnnxGraphIndex): LogitsInfo {
  for (const output of index.outputNames) {
    const found = logitsOf(index, output);
    const op = index.producer.get(found.logits)?.opType;
    if (found.softmax !== null || (typeof op === 'string' && LINEAR_OPS.has(op))) return found;
  }
  return logitsOf(index, index.outputNames[0]);
}
