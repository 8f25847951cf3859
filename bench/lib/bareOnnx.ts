/**
 * The floor the analysis is measured against: onnxruntime-node alone, the same file, the same session
 * thread count as the engine's CPU session at threads = 0 (every core: an issue-16 ratio is against a bare
 * pass that uses all cores, not onnxruntime's default, which may use one), the same batch size, fetching only the logits, over images already in memory.
 */
import * as ort from 'onnxruntime-node';
import { intraOpThreads } from '../../src/engine/backends/intraOpThreads';
import { timedAccuracyLoop, type BareResult } from './timedAccuracyLoop';

export async function bareOnnxLoop(modelPath: string, input: Float32Array, labels: Int32Array, sampleShape: number[], batchSize: number, warmupBatches = 5): Promise<BareResult> {
  ort.env.logLevel = 'fatal';
  const session = await ort.InferenceSession.create(modelPath, { executionProviders: ['cpu'], intraOpNumThreads: intraOpThreads(0) });
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
