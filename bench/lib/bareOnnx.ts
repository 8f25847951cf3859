/**
 * The floor the analysis is measured against: onnxruntime-node alone, the same file, the same session
 * options as the engine's CPU session (no options beyond the provider when threads = 0), the same
 * batch size, fetching only the logits, over images already in memory.
 */
import * as ort from 'onnxruntime-node';
import { timedAccuracyLoop, type BareResult } from './timedAccuracyLoop';

export async function bareOnnxLoop(modelPath: string, input: Float32Array, labels: Int32Array, sampleShape: number[], batchSize: number, warmupBatches = 5): Promise<BareResult> {
  ort.env.logLevel = 'fatal';
  const session = await ort.InferenceSession.create(modelPath, { executionProviders: ['cpu'] });
  const inputName = session.inputNames[0]!;
  const outputName = session.outputNames[0]!;
  const size = sampleShape.reduce((a, b) => a * b, 1);
  const count = labels.length;
  const runBatch = async (start: number): Promise<Float32Array> => {
    const rows = Math.min(batchSize, count - start);
    const tensor = new ort.Tensor('float32', input.subarray(start * size, (start + rows) * size), [rows, ...sampleShape]);
    const out = await session.run({ [inputName]: tensor }, [outputName]);
    const logits = out[outputName]!.data;
    if (!(logits instanceof Float32Array)) throw new Error(`${modelPath}: logits are not float32`);
    return logits;
  };
  try {
    return await timedAccuracyLoop(labels, batchSize, warmupBatches, runBatch);
  } finally {
    await session.release();
  }
}
