import type { Preprocessor, RawBatch } from '../../core/dataset';
import { streamBatches } from '../../core/dataset';
import type { PreparedSplit } from './splits';
import type { AnalysisHooks } from './hooks';
import { throwIfCancelled } from './hooks';
import type { EngineStage } from '../../protocol/engine';
import type { ReducerBatch } from './reducer';

/**
 * One sweep over a split: decode a batch, run the model once for every probe (`run`: the runner, or the
 * in-graph reductions' pass), hand the outputs to
 * `reduce` (which may take them to another thread), drop them. Memory is a few batches, whatever N is. Cancellation is checked per batch.
 */
export async function sweep(
  split: PreparedSplit,
  preprocess: Preprocessor,
  run: (input: Float32Array, count: number, labels: Int32Array) => Promise<Map<string, Float32Array>>,
  batchSize: number,
  stage: EngineStage,
  hooks: AnalysisHooks,
  reduce: (batch: ReducerBatch, progress: (layer: string) => void) => void | Promise<void>,
  onRaw?: (raw: RawBatch) => void,
): Promise<number> {
  const total = split.indices.length;
  let done = 0;
  const label = stage === 'pass1' ? 'pass 1 of 2 (class means)' : 'pass 2 of 2 (projections)';
  hooks.onProgress({ stage, split: split.name, done, total, message: `${split.name} ${label}` });
  for await (const batch of streamBatches(split.source, split.indices, batchSize, preprocess, { prefetch: 2, ...(onRaw ? { onRaw } : {}) })) {
    throwIfCancelled(hooks.signal);
    const outputs = await run(batch.input, batch.count, batch.labels);
    let lastLayer: string | undefined;
    await reduce({ outputs, labels: batch.labels, indices: batch.indices, count: batch.count }, (layer) => {
      lastLayer = layer;
      hooks.onProgress({ stage, split: split.name, layer, done, total, message: `${split.name} ${label}` });
    });
    done += batch.count;
    // Still naming the layer last reduced: progress is throttled, so this line is often the one shown, and
    // a line without it made the notification drop the layer mid-pass.
    hooks.onProgress({ stage, split: split.name, ...(lastLayer ? { layer: lastLayer } : {}), done, total, message: `${split.name} ${label}` });
  }
  return done;
}
