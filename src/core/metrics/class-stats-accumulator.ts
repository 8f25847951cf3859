/**
 * Pass 1 over one layer's features: per-class counts, means and within-class scatter trace, in float64.
 * Each batch is reduced to per-class batch means and batch-centred scatter, then merged into the totals
 * with Chan's pairwise formula, so nothing is ever computed as E||h||^2 - ||mu||^2 on raw sums (which
 * cancels badly). Memory: O(K*D) for the means plus O(D + batch) scratch; independent of N.
 */
import { checkBatch, sampleIndexer, throwFirstNonFinite, type BatchOptions, type FeatureRows } from './batch-input';
import { createClassKernel, type ClassKernel } from './class-kernel';
import { buildClassStats, type ClassStats, type PassOneTotals } from './class-stats';
import type { KernelChoice } from './product-kernel';

export class ClassStatsAccumulator {
  private readonly counts: Float64Array;
  private readonly means: Float64Array;
  private readonly scatter: Float64Array;
  private readonly kernel: ClassKernel;
  /** The JavaScript kernel for float64 batches when `kernel` is the float32-only WebAssembly one. */
  private float64Kernel: ClassKernel | null = null;
  private order = new Int32Array(0);
  private readonly classStart: Int32Array;
  private nextIndex = 0;

  constructor(
    readonly layer: string,
    readonly numClasses: number,
    readonly dim: number,
    options: { kernel?: KernelChoice } = {},
  ) {
    if (!Number.isInteger(numClasses) || numClasses < 1) throw new Error(`layer "${layer}": number of classes ${numClasses} must be a positive integer`);
    if (!Number.isInteger(dim) || dim < 1) throw new Error(`layer "${layer}": layer width ${dim} must be a positive integer`);
    this.counts = new Float64Array(numClasses);
    this.means = new Float64Array(numClasses * dim);
    this.scatter = new Float64Array(numClasses);
    this.kernel = createClassKernel(dim, options.kernel);
    this.classStart = new Int32Array(numClasses + 1);
  }

  /** Which kernel runs pass 1: 'wasm-simd' or 'javascript'. */
  get kernelKind(): ClassKernel['kind'] {
    return this.kernel.kind;
  }

  get sampleCount(): number {
    let n = 0;
    for (let c = 0; c < this.numClasses; c++) n += this.counts[c];
    return n;
  }

  /**
   * Adds one batch: `features` is count x dim row-major, `labels` has count entries in 0..K-1. Throws on a
   * bad label or a non-finite feature, naming the layer and the sample; an accumulator that threw may
   * hold part of that batch and must be discarded.
   */
  add(features: FeatureRows, labels: Int32Array, options?: BatchOptions): void {
    const { layer, numClasses: K, dim: D } = this;
    const indexOf = sampleIndexer(options, this.nextIndex);
    const count = checkBatch(layer, features, labels, K, D, indexOf);
    if (count === 0) return;
    const order = this.groupByClass(labels, count);
    const start = this.classStart;
    const kernel = this.kernelFor(features);
    kernel.load(features, count);
    const mean = kernel.mean();
    const stored = kernel.paddedDim;
    for (let c = 0; c < K; c++) {
      const first = start[c];
      const nb = start[c + 1] - first;
      if (nb === 0) continue;
      const weight = nb / (this.counts[c] + nb);
      let batchScatter = 0;
      let shiftSq = 0;
      // Chunks of D keep the class's slice of the batch, and the chunk of its mean, in cache from the
      // sum through the scatter to the merge.
      for (let from = 0; from < stored; from += PASS_ONE_CHUNK) {
        const to = Math.min(stored, from + PASS_ONE_CHUNK);
        kernel.meanOfRows(order, first, nb, from, to);
        const chunkScatter = kernel.scatter(order, first, nb, from, to);
        if (!Number.isFinite(chunkScatter)) throwFirstNonFinite(layer, features, count, D, indexOf);
        batchScatter += chunkScatter;
        shiftSq += moveMean(this.means, c * D, mean, 0, weight, from, Math.min(to, D));
      }
      this.addToTotals(c, nb, batchScatter, shiftSq);
    }
    this.nextIndex = indexOf(count - 1) + 1;
  }

  private kernelFor(features: FeatureRows): ClassKernel {
    if (features instanceof Float32Array || this.kernel.kind === 'javascript') return this.kernel;
    this.float64Kernel ??= createClassKernel(this.dim, 'javascript');
    return this.float64Kernel;
  }

  /** Adds another shard's totals (same layer, K and D), as if its batches had been added here. */
  merge(other: ClassStatsAccumulator): void {
    this.mergeTotals(other.totals());
  }

  /**
   * The same merge from totals alone: another worker's or another machine's share (a shard file of
   * `collapse-lens analyze --shard`), read back exactly as it was kept.
   */
  mergeTotals(other: PassOneTotals): void {
    if (other.numClasses !== this.numClasses || other.dim !== this.dim) {
      throw new Error(
        `layer "${this.layer}": cannot merge pass-1 totals of K=${other.numClasses}, D=${other.dim} ("${other.layer}") into K=${this.numClasses}, D=${this.dim}`,
      );
    }
    for (let c = 0; c < this.numClasses; c++) {
      if (other.counts[c] > 0) this.mergeClass(c, other.counts[c], other.means, c * this.dim, other.scatter[c]);
    }
  }

  /** The running totals (views, not copies: read them before the next add). */
  totals(): PassOneTotals {
    return { layer: this.layer, numClasses: this.numClasses, dim: this.dim, counts: this.counts, means: this.means, scatter: this.scatter };
  }

  finish(): ClassStats {
    return buildClassStats(this.totals());
  }

  /** Chan et al.'s update of class c by another group (nb samples, mean at source[offset..], scatter). */
  private mergeClass(c: number, nb: number, source: Float64Array, offset: number, batchScatter: number): void {
    const D = this.dim;
    const shiftSq = moveMean(this.means, c * D, source, offset, nb / (this.counts[c] + nb), 0, D);
    this.addToTotals(c, nb, batchScatter, shiftSq);
  }

  /** The scatter part of Chan's update, once the mean has moved: M2 += M2_b + ||delta||^2 n_a n_b / n. */
  private addToTotals(c: number, nb: number, batchScatter: number, shiftSq: number): void {
    const na = this.counts[c];
    const n = na + nb;
    this.scatter[c] += batchScatter + shiftSq * ((na * nb) / n);
    this.counts[c] = n;
  }

  /** Counting sort of the batch by label; fills classStart and returns the sample order. */
  private groupByClass(labels: Int32Array, count: number): Int32Array {
    if (this.order.length < count) this.order = new Int32Array(count);
    const start = this.classStart;
    start.fill(0);
    for (let i = 0; i < count; i++) start[labels[i] + 1]++;
    for (let c = 0; c < this.numClasses; c++) start[c + 1] += start[c];
    const cursor = start.slice(0, this.numClasses);
    for (let i = 0; i < count; i++) this.order[cursor[labels[i]]++] = i;
    return this.order;
  }
}

/**
 * The mean part of Chan's update on coordinates [from, to): means[row + k] += (source[k] - means[row + k])
 * * weight. Returns sum of (source[k] - means[row + k])^2 (before the move) over those coordinates.
 */
function moveMean(means: Float64Array, row: number, source: Float64Array, offset: number, weight: number, from: number, to: number): number {
  let shiftSq = 0;
  for (let k = from; k < to; k++) {
    const delta = source[offset + k] - means[row + k];
    means[row + k] += delta * weight;
    shiftSq += delta * delta;
  }
  return shiftSq;
}

/** Coordinates per chunk in pass 1 (even, as the SIMD kernel needs): a few dozen samples' slices stay in L2. */
const PASS_ONE_CHUNK = 2048;
