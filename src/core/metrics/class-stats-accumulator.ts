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

  /** Adds one batch: `features` is count x dim row-major, `labels` has count entries in 0..K-1. */
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
      let batchScatter = 0;
      // Chunks of D keep the class's slice of the batch in cache between the sum and the scatter.
      for (let from = 0; from < D; from += PASS_ONE_CHUNK) {
        const to = Math.min(D, from + PASS_ONE_CHUNK);
        sumRows(features, order, first, nb, D, from, to, mean);
        for (let k = from; k < to; k++) mean[k] /= nb;
        batchScatter += scatterAroundMean(features, order, first, nb, D, from, to, mean);
      }
      if (!Number.isFinite(batchScatter)) throwFirstNonFinite(layer, features, count, D, indexOf);
      this.mergeClass(c, nb, mean, 0, batchScatter);
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

  /** Chan et al.'s update: merge (nb samples, mean at `source[offset..]`, scatter) into class c. */
  private mergeClass(c: number, nb: number, source: Float64Array, offset: number, batchScatter: number): void {
    const D = this.dim;
    const na = this.counts[c];
    const n = na + nb;
    const weight = nb / n;
    const row = c * D;
    const means = this.means;
    let shiftSq = 0;
    for (let k = 0; k < D; k++) {
      const delta = source[offset + k] - means[row + k];
      means[row + k] += delta * weight;
      shiftSq += delta * delta;
    }
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

/** mean[from..to) = sum of the rows order[first..first+nb) over those coordinates. */
function sumRows(features: Float32Array, order: Int32Array, first: number, nb: number, D: number, from: number, to: number, mean: Float64Array): void {
  let s = first;
  const end = first + nb;
  const r0 = order[s] * D;
  for (let k = from; k < to; k++) mean[k] = features[r0 + k];
  s++;
  // Four rows per sweep: one read-modify-write of mean per four feature loads.
  for (; s + 3 < end; s += 4) {
    const a = order[s] * D;
    const b = order[s + 1] * D;
    const c = order[s + 2] * D;
    const d = order[s + 3] * D;
    for (let k = from; k < to; k++) mean[k] += features[a + k] + features[b + k] + (features[c + k] + features[d + k]);
  }
  for (; s < end; s++) {
    const a = order[s] * D;
    for (let k = from; k < to; k++) mean[k] += features[a + k];
  }
}

/** sum over the rows order[first..first+nb) of ||row - mean||^2 on coordinates [from, to). */
function scatterAroundMean(features: Float32Array, order: Int32Array, first: number, nb: number, D: number, from: number, to: number, mean: Float64Array): number {
  let total = 0;
  let s = first;
  const end = first + nb;
  // Four rows per sweep share each load of the mean.
  for (; s + 3 < end; s += 4) {
    const a = order[s] * D;
    const b = order[s + 1] * D;
    const c = order[s + 2] * D;
    const d = order[s + 3] * D;
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
    total += s0 + s1 + s2 + s3;
  }
  for (; s < end; s++) {
    const a = order[s] * D;
    let s0 = 0;
    let s1 = 0;
    let k = from;
    for (; k + 1 < to; k += 2) {
      const x0 = features[a + k] - mean[k];
      const x1 = features[a + k + 1] - mean[k + 1];
      s0 += x0 * x0;
      s1 += x1 * x1;
    }
    if (k < to) {
      const x = features[a + k] - mean[k];
      s0 += x * x;
    }
    total += s0 + s1;
  }
  return total;
}
