/**
 * Pass 1 over one layer's features: per-class counts, means and within-class scatter trace, in float64.
 * Each batch is reduced to per-class batch means and batch-centred scatter, then merged into the totals
 * with Chan's pairwise formula, so nothing is ever computed as E||h||^2 - ||mu||^2 on raw sums (which
 * cancels badly). Memory: O(K*D) for the means plus O(D + batch) scratch; independent of N.
 */
import { checkBatch, sampleIndexer, throwFirstNonFinite, type BatchOptions } from './batch-input';
import { buildClassStats, type ClassStats } from './class-stats';

export class ClassStatsAccumulator {
  private readonly counts: Float64Array;
  private readonly means: Float64Array;
  private readonly scatter: Float64Array;
  private readonly batchMean: Float64Array;
  private order = new Int32Array(0);
  private readonly classStart: Int32Array;
  private nextIndex = 0;

  constructor(
    readonly layer: string,
    readonly numClasses: number,
    readonly dim: number,
  ) {
    if (!Number.isInteger(numClasses) || numClasses < 1) throw new Error(`layer "${layer}": number of classes ${numClasses} must be a positive integer`);
    if (!Number.isInteger(dim) || dim < 1) throw new Error(`layer "${layer}": layer width ${dim} must be a positive integer`);
    this.counts = new Float64Array(numClasses);
    this.means = new Float64Array(numClasses * dim);
    this.scatter = new Float64Array(numClasses);
    this.batchMean = new Float64Array(dim);
    this.classStart = new Int32Array(numClasses + 1);
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
  add(features: Float32Array, labels: Int32Array, options?: BatchOptions): void {
    const { layer, numClasses: K, dim: D } = this;
    const indexOf = sampleIndexer(options, this.nextIndex);
    const count = checkBatch(layer, features, labels, K, D, indexOf);
    if (count === 0) return;
    const order = this.groupByClass(labels, count);
    const start = this.classStart;
    const mean = this.batchMean;
    for (let c = 0; c < K; c++) {
      const first = start[c];
      const nb = start[c + 1] - first;
      if (nb === 0) continue;
      const weight = nb / (this.counts[c] + nb);
      let batchScatter = 0;
      let shiftSq = 0;
      // Chunks of D keep the class's slice of the batch, and the chunk of its mean, in cache from the
      // sum through the scatter to the merge.
      for (let from = 0; from < D; from += PASS_ONE_CHUNK) {
        const to = Math.min(D, from + PASS_ONE_CHUNK);
        meanOfRows(features, order, first, nb, D, from, to, mean);
        const chunkScatter = scatterAroundMean(features, order, first, nb, D, from, to, mean);
        if (!Number.isFinite(chunkScatter)) throwFirstNonFinite(layer, features, count, D, indexOf);
        batchScatter += chunkScatter;
        shiftSq += moveMean(this.means, c * D, mean, 0, weight, from, to);
      }
      this.addToTotals(c, nb, batchScatter, shiftSq);
    }
    this.nextIndex = indexOf(count - 1) + 1;
  }

  /** Adds another shard's totals (same layer, K and D), as if its batches had been added here. */
  merge(other: ClassStatsAccumulator): void {
    if (other.numClasses !== this.numClasses || other.dim !== this.dim) {
      throw new Error(
        `layer "${this.layer}": cannot merge pass-1 totals of K=${other.numClasses}, D=${other.dim} ("${other.layer}") into K=${this.numClasses}, D=${this.dim}`,
      );
    }
    for (let c = 0; c < this.numClasses; c++) {
      if (other.counts[c] > 0) this.mergeClass(c, other.counts[c], other.means, c * this.dim, other.scatter[c]);
    }
  }

  finish(): ClassStats {
    return buildClassStats({
      layer: this.layer,
      numClasses: this.numClasses,
      dim: this.dim,
      counts: this.counts,
      means: this.means,
      scatter: this.scatter,
    });
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

/** Features per chunk in pass 1: a few dozen samples' slices of this size stay in L2. */
const PASS_ONE_CHUNK = 2048;

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

/** mean[from..to) = average of the rows order[first..first+nb) over those coordinates. */
function meanOfRows(features: Float32Array, order: Int32Array, first: number, nb: number, D: number, from: number, to: number, mean: Float64Array): void {
  const end = first + nb;
  const scale = 1 / nb;
  // Four rows per sweep: one write of mean per four feature loads; the last sweep also scales.
  let s = first;
  let initialised = false;
  while (s < end) {
    const take = Math.min(4, end - s);
    const last = s + take === end;
    const factor = last ? scale : 1;
    const a = order[s] * D;
    const b = order[s + (take > 1 ? 1 : 0)] * D;
    const c = order[s + (take > 2 ? 2 : 0)] * D;
    const d = order[s + (take > 3 ? 3 : 0)] * D;
    const base = initialised ? 1 : 0;
    if (take === 4) {
      for (let k = from; k < to; k++) mean[k] = (base * mean[k] + (features[a + k] + features[b + k]) + (features[c + k] + features[d + k])) * factor;
    } else if (take === 3) {
      for (let k = from; k < to; k++) mean[k] = (base * mean[k] + (features[a + k] + features[b + k]) + features[c + k]) * factor;
    } else if (take === 2) {
      for (let k = from; k < to; k++) mean[k] = (base * mean[k] + (features[a + k] + features[b + k])) * factor;
    } else {
      for (let k = from; k < to; k++) mean[k] = (base * mean[k] + features[a + k]) * factor;
    }
    initialised = true;
    s += take;
  }
}

/** sum over the rows order[first..first+nb) of ||row - mean||^2 on coordinates [from, to). */
function scatterAroundMean(features: Float32Array, order: Int32Array, first: number, nb: number, D: number, from: number, to: number, mean: Float64Array): number {
  let total = 0;
  const end = first + nb;
  // Up to four rows per sweep share each load of the mean; a short last group repeats a row with weight 0.
  for (let s = first; s < end; s += 4) {
    const take = Math.min(4, end - s);
    const a = order[s] * D;
    const b = order[s + (take > 1 ? 1 : 0)] * D;
    const c = order[s + (take > 2 ? 2 : 0)] * D;
    const d = order[s + (take > 3 ? 3 : 0)] * D;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let k = from; k < to; k++) {
      const m = mean[k];
      const x0 = features[a + k] - m;
      const x1 = features[b + k] - m;
      const x2 = features[c + k] - m;
      const x3 = features[d + k] - m;
      s0 += x0 * x0;
      s1 += x1 * x1;
      s2 += x2 * x2;
      s3 += x3 * x3;
    }
    total += s0 + (take > 1 ? s1 : 0) + (take > 2 ? s2 : 0) + (take > 3 ? s3 : 0);
  }
  return total;
}
