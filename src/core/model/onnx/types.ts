import type { onnx } from 'onnx-proto';
import type { ModelGraph } from '../types';

/** An ONNX checkpoint whose graph has been read: what the engine's ONNX runner needs besides ModelGraph. */
export interface OnnxModel extends ModelGraph {
  format: 'onnx';
  /**
   * The decoded model with any external data already inlined, so that it can be re-encoded (with extra
   * graph outputs) and handed to onnxruntime as one buffer. Treat as read-only.
   */
  proto: onnx.ModelProto;
  /** The graph's declared output names, in order. */
  outputs: string[];
  /** The pre-softmax logits tensor (also set when no classifier was found). */
  logitsLayer: string;
}

export function isOnnxModel(graph: ModelGraph): graph is OnnxModel {
  return graph.format === 'onnx' && 'proto' in graph;
}
