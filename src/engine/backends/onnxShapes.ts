/**
 * Exporters do not always declare the shapes of intermediate tensors (value_info), and computing them
 * statically would mean re-implementing ONNX shape inference for every op. Running one zero sample on
 * the CPU gives them exactly; call this before showing layers or writing shapes into a result.
 */
import * as ort from 'onnxruntime-node';
import type { LayerInfo } from '../../core/model/types';
import type { OnnxModel } from '../../core/model/onnx/types';
import { encodeWithOutputs } from './onnxFetchModel';
import { fixedSampleShape } from './onnxRunner';
import { openOnnxSession } from './onnxSession';

const hasUnknown = (layer: LayerInfo): boolean => layer.shape.some((d) => d === null);

/**
 * A copy of `model` whose layers all have concrete per-sample shapes (and numOutputs set when the
 * logits' width was unknown). Returns `model` itself when nothing was unknown.
 */
export async function fillOnnxShapesByRunning(model: OnnxModel, options: { threads?: number } = {}): Promise<OnnxModel> {
  const unknown = model.layers.filter(hasUnknown).map((l) => l.name);
  const needLogits = model.numOutputs === null && !unknown.includes(model.logitsLayer);
  if (unknown.length === 0 && !needLogits) return model;
  const names = needLogits ? [...unknown, model.logitsLayer] : unknown;
  const sampleShape = fixedSampleShape(model);
  const batch = model.input.fixedBatch ?? 1;
  const { session } = await openOnnxSession(encodeWithOutputs(model, names), 'cpu', options.threads ?? 0, model.path);
  const shapes = new Map<string, number[]>();
  try {
    const input = new ort.Tensor('float32', new Float32Array(batch * sampleShape.reduce((a, b) => a * b, 1)), [batch, ...sampleShape]);
    const outputs = await session.run({ [model.input.name]: input }, names);
    input.dispose();
    for (const name of names) {
      const tensor = outputs[name] as ort.Tensor;
      if (tensor.dims[0] === batch) shapes.set(name, tensor.dims.slice(1));
      tensor.dispose();
    }
  } finally {
    await session.release();
  }
  const layers = model.layers.map((l) => {
    const shape = shapes.get(l.name);
    return shape && hasUnknown(l) ? { ...l, shape } : l;
  });
  const logitsShape = shapes.get(model.logitsLayer);
  const numOutputs = model.numOutputs ?? (logitsShape && logitsShape.length > 0 ? logitsShape.reduce((a, b) => a * b, 1) : null);
  return { ...model, layers, numOutputs };
}
