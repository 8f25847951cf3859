/**
 * The default probe rule (`auto`): the places where a network's representation is "finished" for a
 * stage, which is where neural-collapse papers measure it: activation outputs, block outputs, pooling,
 * the flatten before the head, the classifier's input and the logits. Pre-activation tensors (Conv,
 * BatchNorm, Gemm outputs) are left to `all`, since the activation right after holds the same stage.
 * Inside a residual block, a transformer block or an inverted residual only the block's output is
 * probed (src/core/model/onnx/blocks.ts): a ResNet-18 gets its stem, 8 block outputs and its head, not
 * three probes per block.
 */
import { onnx } from 'onnx-proto';
import type { OnnxGraphIndex } from './graphIndex';
import { ACTIVATIONS, blockStructure, firstOutput, gateOf, isReluLikeClip } from './blocks';
import { isFlattenTo2D, reduceAxes } from './patterns';

const POOLING = new Set(['MaxPool', 'AveragePool', 'GlobalAveragePool', 'GlobalMaxPool', 'LpPool', 'GlobalLpPool']);

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
  const blocks = blockStructure(index);
  for (const name of blocks.outputs) auto.add(name);
  for (const name of [...suppressed, ...blocks.inside]) if (!special.includes(name)) auto.delete(name);
  return auto;
}
