/**
 * The default probe rule (`auto`): the places where a network's representation is "finished" for a
 * stage, which is where neural-collapse papers measure it: activation outputs, residual sums, pooling,
 * the flatten before the head, the classifier's input and the logits. Pre-activation tensors (Conv,
 * BatchNorm, Gemm outputs) are left to `all`, since the activation right after holds the same stage.
 */
import { onnx } from 'onnx-proto';
import type { OnnxGraphIndex } from './graphIndex';
import { constantValues, isFlattenTo2D, reduceAxes } from './patterns';
import { findAttribute } from './proto';

const ACTIVATIONS = new Set([
  'Relu', 'LeakyRelu', 'PRelu', 'Gelu', 'Sigmoid', 'Tanh', 'Elu', 'Selu', 'Celu', 'HardSwish', 'HardSigmoid',
  'Mish', 'Softplus', 'ThresholdedRelu',
]);
const POOLING = new Set(['MaxPool', 'AveragePool', 'GlobalAveragePool', 'GlobalMaxPool', 'LpPool', 'GlobalLpPool']);

const firstOutput = (node: onnx.INodeProto | undefined): string => node?.output?.[0] ?? '';

/** For a gate g = f(x) inside x * g (SiLU, HardSwish, Mish), the gated tensor x and the gate's own nodes. */
function gateOf(index: OnnxGraphIndex, gate: string): { root: string; parts: string[] } | null {
  const node = index.producer.get(gate);
  if (!node) return null;
  if (node.opType === 'Sigmoid' || node.opType === 'HardSigmoid') return { root: node.input?.[0] ?? '', parts: [gate] };
  if (node.opType === 'Tanh') {
    const softplus = index.producer.get(node.input?.[0] ?? '');
    if (softplus?.opType === 'Softplus') return { root: softplus.input?.[0] ?? '', parts: [gate, firstOutput(softplus)] };
  }
  return null;
}

const singleConsumer = (index: OnnxGraphIndex, name: string): onnx.INodeProto | null => {
  const list = index.consumers.get(name) ?? [];
  return list.length === 1 ? list[0] : null;
};

const hasConstantInput = (index: OnnxGraphIndex, node: onnx.INodeProto): boolean =>
  (node.input ?? []).some((i) => index.constants.has(i));

/**
 * GELU written out with Erf (exact) or Tanh (approximate), as exporters before opset 20 do:
 * Erf/Tanh -> Add(1) -> Mul(x-ish) [-> Mul(0.5)]. Returns the chain's last tensor.
 */
function geluEnd(index: OnnxGraphIndex, node: onnx.INodeProto): string | null {
  if (node.opType !== 'Erf' && node.opType !== 'Tanh') return null;
  const add = singleConsumer(index, firstOutput(node));
  if (add?.opType !== 'Add' || !hasConstantInput(index, add)) return null;
  const mul = singleConsumer(index, firstOutput(add));
  if (mul?.opType !== 'Mul') return null;
  const scale = singleConsumer(index, firstOutput(mul));
  return scale?.opType === 'Mul' && hasConstantInput(index, scale) ? firstOutput(scale) : firstOutput(mul);
}

function isReluLikeClip(index: OnnxGraphIndex, node: onnx.INodeProto): boolean {
  if (node.opType !== 'Clip') return false;
  const attribute = findAttribute(node, 'min');
  if (attribute) return attribute.f === 0;
  const min = constantValues(index, node.input?.[1]);
  return min !== null && min.length === 1 && min[0] === 0;
}

function isPoolingReduce(index: OnnxGraphIndex, node: onnx.INodeProto): boolean {
  if (node.opType !== 'ReduceMean' && node.opType !== 'ReduceMax') return false;
  const axes = reduceAxes(index, node);
  if (!axes || axes.includes(0)) return false;
  if (axes.length >= 2) return true;
  // One axis: pooling over tokens (axis 1 of N x T x D), not a LayerNorm-style mean over the last axis.
  const rank = index.shapes.get(node.input?.[0] ?? '')?.length;
  return axes[0] !== -1 && (rank === undefined || axes[0] !== rank - 1);
}

/** Names of the tensors the auto rule probes (the caller intersects with the float layers). */
export function autoProbeNames(index: OnnxGraphIndex, special: string[]): Set<string> {
  const auto = new Set<string>(special);
  const suppressed = new Set<string>();
  const dependent = (name: string | undefined): boolean => name !== undefined && index.sampleDependent.has(name);
  for (const node of index.nodes) {
    const out = firstOutput(node);
    const op = node.opType ?? '';
    if (ACTIVATIONS.has(op) || isReluLikeClip(index, node) || POOLING.has(op) || isPoolingReduce(index, node)) auto.add(out);
    if ((op === 'Add' || op === 'Sum') && (node.input ?? []).filter(dependent).length >= 2) auto.add(out);
    if (isFlattenTo2D(index, node) && dependent(node.input?.[0])) auto.add(out);
    if (op === 'Mul') {
      const [a, b] = [node.input?.[0] ?? '', node.input?.[1] ?? ''];
      const gate = [gateOf(index, b), gateOf(index, a)].find((g, k) => g !== null && g.root === (k === 0 ? a : b));
      if (gate) {
        auto.add(out);
        for (const part of gate.parts) suppressed.add(part);
      }
    }
    const gelu = geluEnd(index, node);
    if (gelu) {
      auto.add(gelu);
      suppressed.add(out);
    }
  }
  for (const name of suppressed) if (!special.includes(name)) auto.delete(name);
  return auto;
}
