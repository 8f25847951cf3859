/**
 * onnxruntime only returns graph outputs, so reading an intermediate tensor means declaring it as one:
 * a ValueInfoProto with just the name is enough (ORT infers its type). The user's model is left as is;
 * a shallow copy with the longer output list is encoded.
 */
import { onnx } from 'onnx-proto';
import type { OnnxModel } from '../../core/model/onnx/types';

export function encodeWithOutputs(model: OnnxModel, names: string[]): Uint8Array {
  const graph = model.proto.graph;
  if (!graph) throw new Error(`${model.path}: the model has no graph`);
  const declared = new Set((graph.output ?? []).map((o) => o.name));
  const extra = [...new Set(names)].filter((n) => !declared.has(n)).map((name) => onnx.ValueInfoProto.create({ name }));
  const copy = onnx.ModelProto.create({
    ...model.proto,
    graph: onnx.GraphProto.create({ ...graph, output: [...(graph.output ?? []), ...extra] }),
  });
  return onnx.ModelProto.encode(copy).finish();
}
