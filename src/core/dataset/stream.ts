import type { DatasetSource, RawBatch } from './types';

export interface StreamedBatch {
  /** count x sampleSize values, in the model's input layout. */
  input: Float32Array;
  labels: Int32Array;
  /** Source indices of the rows (a skipped corrupt sample leaves a gap). */
  indices: Int32Array;
  count: number;
}

export interface BatchPreprocessor {
  apply(raw: RawBatch): Float32Array;
}

export interface StreamOptions {
  /** Batches read and decoded ahead of the one the consumer holds (default 2). */
  prefetch?: number;
  /** Sees each raw batch as read, before preprocessing (in the order the reads finish). */
  onRaw?: (raw: RawBatch) => void;
}

/**
 * Reads `indices` in batches, preprocessed, keeping at most `prefetch` batches ahead of the consumer: memory
 * is bounded by (prefetch + 1) batches whatever N is. File reads of the next batches overlap the
 * consumer's work; decoding runs on this thread between the consumer's awaits. A batch whose samples were
 * all skipped (corrupt images) is not yielded.
 */
export async function* streamBatches(
  source: DatasetSource,
  indices: Int32Array,
  batchSize: number,
  preprocess: BatchPreprocessor,
  options: StreamOptions = {},
): AsyncGenerator<StreamedBatch> {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batch size must be a positive integer, got ${batchSize}`);
  const prefetch = Math.max(0, Math.floor(options.prefetch ?? 2));
  const batches = Math.ceil(indices.length / batchSize);
  const pending: Promise<StreamedBatch>[] = [];
  let launched = 0;

  const launch = (): void => {
    const slice = indices.subarray(launched * batchSize, Math.min(indices.length, (launched + 1) * batchSize));
    launched++;
    const work = source.read(slice).then((raw) => {
      options.onRaw?.(raw);
      return { input: preprocess.apply(raw), labels: raw.labels, indices: raw.indices, count: raw.count };
    });
    // A read-ahead may fail while the consumer is busy; the error is raised when its turn comes, not as
    // an unhandled rejection.
    work.catch(() => undefined);
    pending.push(work);
  };

  for (let b = 0; b < batches; b++) {
    if (pending.length === 0) launch();
    const current = pending.shift()!;
    while (pending.length < prefetch && launched < batches) launch();
    const batch = await current;
    if (batch.count > 0) yield batch;
  }
}
