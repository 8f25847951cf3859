/**
 * The blocks of a network, found from the graph's structure alone (node names are never read, so a
 * timm, Keras or hand-written export is read the same as torchvision's): what a practitioner calls "the
 * output of block 3" is one tensor, and the activations inside the block are steps towards it.
 *
 * - A **residual block** ends in a merge: an Add/Sum of two or more activations. Its input is the latest
 *   tensor both summands are computed from (the fork: the skip path starts there); everything computed
 *   between the fork and the merge is the block's inside. Its output is the merge, or the activation that
 *   alone reads the merge (ResNet's Add -> ReLU: the ReLU's output is what the next block reads).
 * - A **transformer block** is two residual blocks: attention, then the MLP. A residual block whose
 *   inside has attention and whose output is the fork of an attention-free one is the first half of a
 *   block, so only the second merge is a block output (pre-norm ViT / timm `Block`).
 * - A **linear bottleneck** (MobileNetV2's inverted residual without a skip) ends in a 1x1 convolution
 *   that no activation follows, after a depthwise convolution: the projection is the block output, the
 *   expansion and depthwise activations are its inside.
 */
import { onnx } from 'onnx-proto';
import type { OnnxGraphIndex } from './graphIndex';
import { constantValues } from './patterns';
import { FLOAT_TYPES, findAttribute, intAttribute, intsAttribute, tensorDims } from './proto';
import { isAttentionMatMul } from './tokens';

export const ACTIVATIONS: ReadonlySet<string> = new Set([
  'Relu', 'LeakyRelu', 'PRelu', 'Gelu', 'Sigmoid', 'Tanh', 'Elu', 'Selu', 'Celu', 'HardSwish', 'HardSigmoid',
  'Mish', 'Softplus', 'ThresholdedRelu',
]);

export const firstOutput = (node: onnx.INodeProto | undefined): string => node?.output?.[0] ?? '';

export function isReluLikeClip(index: OnnxGraphIndex, node: onnx.INodeProto): boolean {
  if (node.opType !== 'Clip') return false;
  const attribute = findAttribute(node, 'min');
  if (attribute) return attribute.f === 0;
  const min = constantValues(index, node.input?.[1]);
  return min !== null && min.length === 1 && min[0] === 0;
}

const isActivationNode = (index: OnnxGraphIndex, node: onnx.INodeProto): boolean =>
  ACTIVATIONS.has(node.opType ?? '') || isReluLikeClip(index, node);

/** For a gate g = f(x) inside x * g (SiLU, HardSwish, Mish), the gated tensor x and the gate's own nodes. */
export function gateOf(index: OnnxGraphIndex, gate: string): { root: string; parts: string[] } | null {
  const node = index.producer.get(gate);
  if (!node) return null;
  if (node.opType === 'Sigmoid' || node.opType === 'HardSigmoid') return { root: node.input?.[0] ?? '', parts: [gate] };
  if (node.opType === 'Tanh') {
    const softplus = index.producer.get(node.input?.[0] ?? '');
    if (softplus?.opType === 'Softplus') return { root: softplus.input?.[0] ?? '', parts: [gate, firstOutput(softplus)] };
  }
  return null;
}

/** For a Mul x * f(x) (a gated activation written out), the gated x; else null. */
export function gatedInput(index: OnnxGraphIndex, mul: onnx.INodeProto): string | null {
  if (mul.opType !== 'Mul') return null;
  const [a, b] = [mul.input?.[0] ?? '', mul.input?.[1] ?? ''];
  if (gateOf(index, b)?.root === a) return a;
  if (gateOf(index, a)?.root === b) return b;
  return null;
}

/**
 * The activation that alone reads `name`, as one tensor: a single activation node, or a gated one
 * written out (x * sigmoid(x): the Sigmoid and the Mul are its only readers). Null when anything else reads it.
 */
export function activationAfter(index: OnnxGraphIndex, name: string): string | null {
  const readers = index.consumers.get(name) ?? [];
  if (readers.length === 1 && isActivationNode(index, readers[0])) return firstOutput(readers[0]);
  const muls = readers.filter((r) => gatedInput(index, r) === name);
  if (muls.length !== 1) return null;
  const mulOutput = firstOutput(muls[0]);
  const gateNodes = readers.filter((r) => r !== muls[0]);
  const gateParts = new Set(gateOf(index, muls[0].input?.find((i) => i !== name) ?? '')?.parts ?? []);
  return gateNodes.length >= 1 && gateNodes.every((g) => gateParts.has(firstOutput(g))) ? mulOutput : null;
}

export interface BlockStructure {
  /** Tensors that end a block (a merge, the activation right after it, a linear projection). */
  outputs: Set<string>;
  /** Tensors computed inside a block, and merges that another tensor stands for: never default probes. */
  inside: Set<string>;
}

/** Topological position of each tensor's producer (the graph input: -1), to find the latest common ancestor. */
function producerOrder(index: OnnxGraphIndex): Map<string, number> {
  const order = new Map<string, number>([[index.inputName, -1]]);
  index.nodes.forEach((n, k) => {
    for (const o of n.output ?? []) if (o) order.set(o, k);
  });
  return order;
}

/**
 * Every float activation `from` is computed from, itself included, walking back no further than `stop`.
 * Integer tensors (Shape, Gather of a shape) are not followed: they carry sizes, not the sample's values.
 */
function floatAncestors(index: OnnxGraphIndex, from: string[], stop?: string): Set<string> {
  const seen = new Set<string>();
  const pending = [...from];
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (seen.has(name) || !index.sampleDependent.has(name) || !FLOAT_TYPES.has(index.elemType.get(name) ?? -1)) continue;
    seen.add(name);
    if (name === stop) continue;
    for (const i of index.producer.get(name)?.input ?? []) if (i) pending.push(i);
  }
  return seen;
}

/** The tensors strictly between a block's input and its end tensors. */
function insideOf(index: OnnxGraphIndex, blockInput: string, ends: string[]): Set<string> {
  const before = floatAncestors(index, [blockInput]);
  const inside = new Set<string>();
  for (const name of floatAncestors(index, ends, blockInput)) if (!before.has(name)) inside.add(name);
  return inside;
}

interface Residual {
  merge: string;
  fork: string;
  output: string;
  inside: Set<string>;
  attention: boolean;
}

function residualBlocks(index: OnnxGraphIndex): Residual[] {
  const order = producerOrder(index);
  const isActivation = (name: string): boolean => index.sampleDependent.has(name) && FLOAT_TYPES.has(index.elemType.get(name) ?? -1);
  const blocks: Residual[] = [];
  for (const node of index.nodes) {
    if (node.opType !== 'Add' && node.opType !== 'Sum') continue;
    const summands = (node.input ?? []).filter(isActivation);
    if (summands.length < 2) continue;
    const [first, ...rest] = summands.map((s) => floatAncestors(index, [s]));
    let fork = '';
    for (const name of first) {
      if (rest.every((r) => r.has(name)) && (order.get(name) ?? -2) > (order.get(fork) ?? -2)) fork = name;
    }
    if (!fork) continue;
    const merge = firstOutput(node);
    const inside = insideOf(index, fork, summands);
    const attention = index.nodes.some((n) => inside.has(firstOutput(n)) && isAttentionMatMul(index, n));
    blocks.push({ merge, fork, output: activationAfter(index, merge) ?? merge, inside, attention });
  }
  return blocks;
}

const isConv = (node: onnx.INodeProto | undefined): node is onnx.INodeProto => node?.opType === 'Conv';

function isPointwiseConv(index: OnnxGraphIndex, node: onnx.INodeProto): boolean {
  const kernel = intsAttribute(node, 'kernel_shape') ?? tensorDimsOf(index, node.input?.[1]).slice(2);
  return kernel.length > 0 && kernel.every((k) => k === 1) && intAttribute(node, 'group', 1) === 1;
}

/** A depthwise convolution: one input channel per group (weights C x 1 x k x k), more than one group. */
function isDepthwiseConv(index: OnnxGraphIndex, node: onnx.INodeProto): boolean {
  return intAttribute(node, 'group', 1) > 1 && tensorDimsOf(index, node.input?.[1])[1] === 1;
}

function tensorDimsOf(index: OnnxGraphIndex, name: string | undefined): number[] {
  const t = name ? index.constants.get(name) : undefined;
  return t ? tensorDims(t) : [];
}

/** Steps back over BatchNormalization and activations (gated ones by their gated input) to the conv before. */
function convBefore(index: OnnxGraphIndex, name: string): onnx.INodeProto | undefined {
  let current = index.producer.get(name);
  for (let steps = 0; current && steps < 4 && current.opType !== 'Conv'; steps += 1) {
    const trunk = current.opType === 'BatchNormalization' || isActivationNode(index, current)
      ? current.input?.[0]
      : gatedInput(index, current);
    current = trunk ? index.producer.get(trunk) : undefined;
  }
  return isConv(current) ? current : undefined;
}

/**
 * Inverted residuals without a skip: [1x1 expand -> act ->] depthwise -> act -> 1x1 projection, the
 * projection (or the BatchNormalization after it) read by no activation. Returns each one's input and output.
 */
function linearBottlenecks(index: OnnxGraphIndex): { input: string; output: string }[] {
  const found: { input: string; output: string }[] = [];
  for (const projection of index.nodes) {
    if (!isConv(projection) || !isPointwiseConv(index, projection)) continue;
    let output = firstOutput(projection);
    const readers = index.consumers.get(output) ?? [];
    if (readers.length === 1 && readers[0].opType === 'BatchNormalization') output = firstOutput(readers[0]);
    if ((index.consumers.get(output) ?? []).some((r) => isActivationNode(index, r) || gatedInput(index, r) === output)) continue;
    const source = projection.input?.[0] ?? '';
    const depthwise = convBefore(index, source);
    if (!depthwise || depthwise === index.producer.get(source) || !isDepthwiseConv(index, depthwise)) continue;
    const depthwiseInput = depthwise.input?.[0] ?? '';
    const expand = depthwiseInput === index.inputName ? undefined : convBefore(index, depthwiseInput);
    const input = expand && expand !== index.producer.get(depthwiseInput) && isPointwiseConv(index, expand)
      ? expand.input?.[0] ?? ''
      : depthwiseInput;
    found.push({ input, output });
  }
  return found;
}

/** The graph's blocks: their output tensors, and the tensors inside them. */
export function blockStructure(index: OnnxGraphIndex): BlockStructure {
  const outputs = new Set<string>();
  const inside = new Set<string>();
  const residuals = residualBlocks(index);
  const forks = new Map(residuals.map((r) => [r.fork, r]));
  const firstHalves = new Set<string>();
  for (const r of residuals) {
    const next = forks.get(r.output);
    if (r.attention && next && !next.attention) firstHalves.add(r.output);
  }
  for (const b of linearBottlenecks(index)) {
    outputs.add(b.output);
    for (const name of insideOf(index, b.input, [b.output])) if (name !== b.output) inside.add(name);
  }
  for (const r of residuals) {
    for (const name of r.inside) inside.add(name);
    if (r.output !== r.merge) inside.add(r.merge);
    if (firstHalves.has(r.output)) inside.add(r.output);
  }
  // A residual block inside a bigger one (a skip around a whole stage, a multi-scale sum) stays a block:
  // the outer skip must not hide the blocks the stage is made of.
  for (const r of residuals) {
    if (firstHalves.has(r.output)) continue;
    outputs.add(r.output);
    inside.delete(r.output);
  }
  for (const name of inside) outputs.delete(name);
  return { outputs, inside };
}
