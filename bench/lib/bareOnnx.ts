/**
 * The floor the analysis is measured against: onnxruntime-node alone, the same file, the same session
 * options as the engine's CPU session (no options beyond the provider when threads = 0), the same
 * batch size, fetching only the logits, over images already in memory.
 */
import * as ort from 'onnxruntime-node';

export interface BareResult {
  seconds: number;
  /** User + system CPU of the whole process (onnxruntime's threads included) during the timed loop. */
  cpuSeconds: number;
  images: number;
  /** Top-1 accuracy of the logits: must equal the analysis's, or the two did not see the same inputs. */
  accuracy: number;
}

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
    for (let b = 0; b < warmupBatches; b++) await runBatch((b * batchSize) % count);
    let correct = 0;
    const started = performance.now();
    const cpu = process.cpuUsage();
    for (let start = 0; start < count; start += batchSize) {
      const logits = await runBatch(start);
      const K = logits.length / Math.min(batchSize, count - start);
      for (let i = 0; i * K < logits.length; i++) {
        let best = 0;
        for (let c = 1; c < K; c++) if (logits[i * K + c]! > logits[i * K + best]!) best = c;
        if (best === labels[start + i]) correct++;
      }
    }
    const used = process.cpuUsage(cpu);
    return { seconds: (performance.now() - started) / 1000, cpuSeconds: (used.user + used.system) / 1e6, images: count, accuracy: correct / count };
  } finally {
    await session.release();
  }
}
