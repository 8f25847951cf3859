/**
 * Checks on one batch handed to an accumulator, and the error messages that name the layer and the
 * sample, so a caller can find the bad input.
 */

/**
 * One batch of features, count x D row-major. float32 is what models give; float64 comes from dumped
 * features (`collapse-lens metrics`) and is kept as it is: the WebAssembly kernels are float32-only, so a
 * float64 batch runs through the JavaScript kernels, never narrowed.
 */
export type FeatureRows = Float32Array | Float64Array;

export interface BatchOptions {
  /**
   * Dataset indices of the batch's samples, used in error messages and to pick the plotted points
   * (so the same samples are shown at every layer). Defaults to a running count of samples added.
   */
  sampleIndices?: Int32Array | readonly number[];
  /** Index of the batch's first sample when `sampleIndices` is absent (the rest follow on). */
  firstIndex?: number;
}

/** Throws unless features is labels.length x dim and every label is in 0..numClasses-1. */
export function checkBatch(
  layer: string,
  features: FeatureRows,
  labels: Int32Array,
  numClasses: number,
  dim: number,
  indexOf: (i: number) => number,
): number {
  const count = labels.length;
  if (features.length !== count * dim) {
    throw new Error(
      `layer "${layer}": batch has ${features.length} feature values for ${count} labels; expected ${count} x ${dim} (samples x layer width)`,
    );
  }
  checkBatchLabels(layer, labels, numClasses, indexOf);
  return count;
}

/** Throws unless every label is in 0..numClasses-1, naming the sample. */
export function checkBatchLabels(layer: string, labels: Int32Array, numClasses: number, indexOf: (i: number) => number): void {
  const count = labels.length;
  for (let i = 0; i < count; i++) {
    const y = labels[i];
    if (!(y >= 0 && y < numClasses)) {
      throw new Error(`layer "${layer}": label ${y} of sample ${indexOf(i)} is outside 0..${numClasses - 1} (K = ${numClasses})`);
    }
  }
}

/**
 * Thrown by the accumulators' entry points for runtime-reduced batches (in-graph sums or products) when
 * a value came out non-finite: the sample cannot be named from the reductions, so the caller fetches
 * that batch's features and runs them through add(), whose error names the sample and the feature.
 */
export class NonFiniteReduction extends Error {
  constructor(readonly layer: string) {
    super(`layer "${layer}": a batch's in-graph reductions are not finite (a NaN or infinite feature)`);
    this.name = 'NonFiniteReduction';
  }
}

export function allFinite(values: Float64Array): boolean {
  let check = 0;
  for (let i = 0; i < values.length; i++) check += values[i] * 0;
  return check === 0;
}

/**
 * Called once a batch's sums came out non-finite: finds the first sample holding NaN or +-Inf and
 * throws naming it. Scanning only on failure keeps the per-element check out of the hot loops.
 */
export function throwFirstNonFinite(
  layer: string,
  features: FeatureRows,
  count: number,
  dim: number,
  indexOf: (i: number) => number,
): never {
  for (let i = 0; i < count; i++) {
    const row = i * dim;
    for (let k = 0; k < dim; k++) {
      const v = features[row + k];
      if (!Number.isFinite(v)) {
        throw new Error(`layer "${layer}": sample ${indexOf(i)} has a non-finite feature (${v} at feature index ${k} of ${dim})`);
      }
    }
  }
  throw new Error(`layer "${layer}": the batch's sums overflowed float64 although every feature is finite`);
}

export function sampleIndexer(options: BatchOptions | undefined, nextIndex: number): (i: number) => number {
  const indices = options?.sampleIndices;
  if (indices !== undefined) return (i) => indices[i];
  const first = options?.firstIndex ?? nextIndex;
  return (i) => first + i;
}
