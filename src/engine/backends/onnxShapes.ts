/**
 * Exporters do not always declare the shapes of intermediate tensors (value_info), and computing them
 * statically would mean re-implementing ONNX shape inference for every op. Running a zero batch on the
 * CPU gives them exactly; call this before showing layers or writing shapes into a result.
 *
 * A dynamic-batch model is run with TWO samples: a tensor whose first dimension is then not 2 has merged
 * the batch with another axis (a transformer's [N*T, D] before a projection) and has no per-sample value.
 * With one sample such a tensor could pass for batch-major ([1*T, D] vs a batch of 1 only when T = 1).
 */
import * as ort from 'onnxruntime-node';
import type { LayerInfo } from '../../core/model/types';
import type { OnnxModel } from '../../core/model/onnx/types';
import { encodeWithOutputs } from './onnxFetchModel';
import { fixedSampleShape } from './onnxRunner';
import { openOnnxSession } from './onnxSession';

const hasUnknown = (layer: LayerInfo): boolean => layer.shape.some((d) => d === null);
/** Samples fed to learn the shapes of a dynamic-batch model (see the module comment). */
export const SHAPE_PROBE_BATCH = 2;

type Resolution = { shape: number[] } | { unknown: string };

/**
 * A copy of `model` whose layers all have concrete per-sample shapes where they have one (and
 * numOutputs set when the logits' width was unknown). A tensor without a per-sample shape keeps its
 * unknown dims, gets `shapeUnknown` (why) and is never a default probe. Returns `model` itself when
 * nothing was unknown.
 */
export async function fillOnnxShapesByRunning(model: OnnxModel, options: { threads?: number } = {}): Promise<OnnxModel> {
  const unknown = model.layers.filter(hasUnknown).map((l) => l.name);
  const needLogits = model.numOutputs === null && !unknown.includes(model.logitsLayer);
  if (unknown.length === 0 && !needLogits) return model;
  const names = needLogits ? [...unknown, model.logitsLayer] : unknown;
  const sampleShape = fixedSampleShape(model);
  const batch = model.input.fixedBatch ?? SHAPE_PROBE_BATCH;
  const { session } = await openOnnxSession(encodeWithOutputs(model, names), 'cpu', options.threads ?? 0, model.path);
  const resolved = new Map<string, Resolution>();
  try {
    const input = new ort.Tensor('float32', new Float32Array(batch * sampleShape.reduce((a, b) => a * b, 1)), [batch, ...sampleShape]);
    const outputs = await session.run({ [model.input.name]: input }, names);
    input.dispose();
    for (const name of names) {
      const tensor = outputs[name] as ort.Tensor;
      const dims = tensor.dims.map(Number);
      resolved.set(
        name,
        dims.length > 0 && dims[0] === batch
          ? { shape: dims.slice(1) }
          : { unknown: `its shape is [${dims.join(', ')}] for a batch of ${batch}: the first dimension is not the batch, so it has no per-sample value` },
      );
      tensor.dispose();
    }
  } finally {
    await session.release();
  }
  const layers = model.layers.map((l): LayerInfo => {
    const r = resolved.get(l.name);
    if (!r || !hasUnknown(l)) return l;
    return 'shape' in r ? { ...l, shape: r.shape } : { ...l, auto: false, shapeUnknown: r.unknown };
  });
  const logits = resolved.get(model.logitsLayer);
  const logitsShape = logits && 'shape' in logits ? logits.shape : undefined;
  const numOutputs = model.numOutputs ?? (logitsShape && logitsShape.length > 0 ? logitsShape.reduce((a, b) => a * b, 1) : null);
  return { ...model, layers, numOutputs };
}
