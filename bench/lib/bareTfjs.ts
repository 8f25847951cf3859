/**
 * The floor for a TF.js checkpoint: @tensorflow/tfjs alone on the backend the engine picks (its own
 * initTfjsBackend, so the same wasm build and thread count), the model loaded through the engine's file
 * handler, `predict` per batch (one forward each), reading back only the output, over images already in memory.
 */
import * as tf from '@tensorflow/tfjs';
import { initTfjsBackend } from '../../src/engine/backends/tfjsBackend';
import { tfjsFileIOHandler } from '../../src/engine/backends/tfjsIOHandler';
import { timedAccuracyLoop, type BareResult } from './timedAccuracyLoop';

/** The model's per-sample input shape (e.g. [28, 28, 1] or [784]), checked against the sample size. */
export function sampleShapeOf(model: tf.LayersModel, modelPath: string, sampleSize: number): number[] {
  const shape = model.inputs[0]!.shape.slice(1);
  if (shape.some((d) => d === null)) throw new Error(`${modelPath}: the input has a free dimension beyond the batch ([${model.inputs[0]!.shape.join(', ')}])`);
  const dims = shape as number[];
  if (dims.reduce((a, b) => a * b, 1) !== sampleSize) throw new Error(`${modelPath}: the input takes [${dims.join(', ')}] per sample, the images have ${sampleSize} values`);
  return dims;
}

export async function bareTfjsLoop(modelPath: string, input: Float32Array, labels: Int32Array, sampleSize: number, batchSize: number, warmupBatches = 5): Promise<BareResult & { backend: string }> {
  const backend = await initTfjsBackend();
  const model = await tf.loadLayersModel(tfjsFileIOHandler(modelPath));
  const perSample = sampleShapeOf(model, modelPath, sampleSize);
  const count = labels.length;
  const predict = predictBatch(model, modelPath, perSample);
  const runBatch = (start: number): Float32Array => {
    const rows = Math.min(batchSize, count - start);
    return predict(input.subarray(start * sampleSize, (start + rows) * sampleSize), rows);
  };
  try {
    return { ...(await timedAccuracyLoop(labels, batchSize, warmupBatches, runBatch)), backend: backend.kind };
  } finally {
    model.dispose();
  }
}

/** One forward of `rows` samples, reading back only the output (every tensor disposed). */
export function predictBatch(model: tf.LayersModel, modelPath: string, perSample: number[]): (batch: Float32Array, rows: number) => Float32Array {
  return (batch, rows) => {
    const x = tf.tensor(batch, [rows, ...perSample], 'float32');
    // predict's own batchSize defaults to 32 and would split every batch in two: one forward per batch,
    // as the engine's runner does.
    const y = model.predict(x, { batchSize: rows });
    const outputs = Array.isArray(y) ? y : [y];
    try {
      const data = outputs[0]!.dataSync();
      if (!(data instanceof Float32Array)) throw new Error(`${modelPath}: the output is not float32`);
      return data;
    } finally {
      x.dispose();
      tf.dispose(outputs);
    }
  };
}
