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
  async function* inferred(): AsyncGenerator<ReducerBatch> {
    for await (const batch of streamBatches(split.source, split.indices, batchSize, preprocess, { prefetch: 2, ...(onRaw ? { onRaw } : {}) })) {
      throwIfCancelled(hooks.signal);
      const outputs = await run(batch.input, batch.count, batch.labels);
      yield { outputs, labels: batch.labels, indices: batch.indices, count: batch.count };
    }
  }
  return reduceEach(split, stage, hooks, inferred(), reduce);
}

/**
 * Pass 2 from pass 1's cached outputs (passTwoCache.ts): the same batches, in the same order, reduced and
 * reported exactly as a sweep would, with no reading and no inference.
 */
export function replay(split: PreparedSplit, batches: ReducerBatch[], hooks: AnalysisHooks, reduce: (batch: ReducerBatch, progress: (layer: string) => void) => void | Promise<void>): Promise<number> {
  async function* cached(): AsyncGenerator<ReducerBatch> {
    // Shifted out one by one, so each batch's memory goes once it is reduced.
    for (let batch = batches.shift(); batch; batch = batches.shift()) yield batch;
  }
  return reduceEach(split, 'pass2', hooks, cached(), reduce);
}

async function reduceEach(
  split: PreparedSplit,
  stage: EngineStage,
  hooks: AnalysisHooks,
  batches: AsyncIterable<ReducerBatch>,
  reduce: (batch: ReducerBatch, progress: (layer: string) => void) => void | Promise<void>,
): Promise<number> {
  const total = split.indices.length;
  let done = 0;
  const label = stage === 'pass1' ? 'pass 1 of 2 (class means)' : 'pass 2 of 2 (projections)';
  hooks.onProgress({ stage, split: split.name, done, total, message: `${split.name} ${label}` });
  for await (const batch of batches) {
    throwIfCancelled(hooks.signal);
    let lastLayer: string | undefined;
    await reduce(batch, (layer) => {
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
