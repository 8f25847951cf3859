import { onnx } from 'onnx-proto';
import { bfloat16ToFloat, halfToFloat } from '../../float16';
import { scanWeightValues, type NonFiniteWeight } from '../nonFiniteWeights';
import { tensorElementCount, tensorToFloat64 } from './tensorValues';

const T = onnx.TensorProto.DataType;
const REAL_TYPES = new Set<number>([T.FLOAT, T.DOUBLE, T.FLOAT16, T.BFLOAT16]);
/**
 * Ops whose weight inputs are learned parameters: an infinite value there is damage. Elsewhere an
 * infinite constant can be meant (an additive attention mask of -inf), so only NaN is refused.
 */
const PARAMETER_OPS = new Set(['Conv', 'ConvTranspose', 'Gemm', 'MatMul', 'BatchNormalization', 'LayerNormalization', 'InstanceNormalization']);

function scanTensor(t: onnx.ITensorProto, name: string, label: string): NonFiniteWeight | null {
  const type = t.dataType ?? 0;
  const count = tensorElementCount(t);
  const raw = t.rawData;
  if (raw && raw.byteLength > 0) {
    // Read in place: a float64 copy of a large initializer would cost twice its size again.
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    if (type === T.FLOAT && raw.byteLength === count * 4) return scanWeightValues(name, count, (i) => view.getFloat32(4 * i, true));
    if (type === T.DOUBLE && raw.byteLength === count * 8) return scanWeightValues(name, count, (i) => view.getFloat64(8 * i, true));
    if (type === T.FLOAT16 && raw.byteLength === count * 2) return scanWeightValues(name, count, (i) => halfToFloat(view.getUint16(2 * i, true)));
    if (type === T.BFLOAT16 && raw.byteLength === count * 2) return scanWeightValues(name, count, (i) => bfloat16ToFloat(view.getUint16(2 * i, true)));
  }
  const values = tensorToFloat64(t, label);
  return scanWeightValues(name, values.length, (i) => values[i]);
}

/**
 * The initializers and Constant values of the main graph holding NaN, or infinite values feeding a
 * parameter input (see PARAMETER_OPS). External data must have been inlined first.
 */
export function findNonFiniteInitializers(proto: onnx.IModelProto, path: string): NonFiniteWeight[] {
  const graph = proto.graph;
  if (!graph) return [];
  const parameters = new Set<string>();
  for (const node of graph.node ?? []) if (PARAMETER_OPS.has(node.opType ?? '')) for (const input of node.input ?? []) parameters.add(input);
  const tensors: [string, onnx.ITensorProto][] = (graph.initializer ?? []).map((t) => [t.name ?? '', t]);
  for (const node of graph.node ?? []) {
    const value = node.opType === 'Constant' ? node.attribute?.find((a) => a.name === 'value')?.t : undefined;
    if (value && node.output?.[0]) tensors.push([node.output[0], value]);
  }
  const found: NonFiniteWeight[] = [];
  for (const [name, t] of tensors) {
    if (!REAL_TYPES.has(t.dataType ?? 0)) continue;
    const bad = scanTensor(t, name, `${path}: tensor "${name}"`);
    if (bad === null) continue;
    if (bad.nan > 0) found.push(bad);
    else if (parameters.has(name)) found.push(bad);
  }
  return found;
}
