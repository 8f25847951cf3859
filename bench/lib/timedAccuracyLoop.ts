/**
 * The timed part of both bare runtime loops (ONNX and TF.js): warm-up batches, then one pass over every
 * image, timed in wall and CPU seconds, scoring the top-1 accuracy of the outputs so the caller can
 * check the bare loop saw the same inputs as the analysis.
 */
import { argmaxOfRow } from '../../src/core/metrics/projection-helpers';

export interface BareResult {
  seconds: number;
  /** User + system CPU of the whole process (the runtime's threads included) during the timed loop. */
  cpuSeconds: number;
  images: number;
  /** Top-1 accuracy of the logits: must equal the analysis's, or the two did not see the same inputs. */
  accuracy: number;
}

/** `runBatch(start)` runs the rows from `start` (at most `batchSize`) and returns their scores, rows x K. */
export async function timedAccuracyLoop(
  labels: Int32Array,
  batchSize: number,
  warmupBatches: number,
  runBatch: (start: number) => Promise<Float32Array> | Float32Array,
): Promise<BareResult> {
  const count = labels.length;
  for (let b = 0; b < warmupBatches; b++) await runBatch((b * batchSize) % count);
  let correct = 0;
  const started = performance.now();
  const cpu = process.cpuUsage();
  for (let start = 0; start < count; start += batchSize) {
    const scores = await runBatch(start);
    const K = scores.length / Math.min(batchSize, count - start);
    for (let i = 0; i * K < scores.length; i++) if (argmaxOfRow(scores, i * K, K) === labels[start + i]) correct++;
  }
  const used = process.cpuUsage(cpu);
  return { seconds: (performance.now() - started) / 1000, cpuSeconds: (used.user + used.system) / 1e6, images: count, accuracy: correct / count };
}
