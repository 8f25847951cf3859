/**
 * The two loops of pass 1 over one class's samples in a batch (their mean, then their scatter around
 * it), in WebAssembly SIMD where the runtime has it and in JavaScript otherwise. Both run on coordinate
 * ranges [from, to) so the caller can keep a chunk in cache from the sum to the scatter to the merge.
 */
import type { FeatureRows } from './batch-input';
import type { KernelChoice } from './product-kernel';
import { copyPaddedBatch, growTo, instantiateKernels, type KernelInstance } from './wasm/kernels';

export interface ClassKernel {
  readonly kind: 'wasm-simd' | 'javascript';
  /** Coordinates per row as stored: D, or D rounded up to even for the SIMD kernel (padding is zero). */
  readonly paddedDim: number;
  /** Makes `features` (count x D row-major) the current batch; the WebAssembly kernel takes float32 only. */
  load(features: FeatureRows, count: number): void;
  /** Writes the mean of the rows order[first .. first+nb) on [from, to) into mean(). `from`, `to` even. */
  meanOfRows(order: Int32Array, first: number, nb: number, from: number, to: number): void;
  /** Sum over those rows of ||row - mean||^2 on [from, to). */
  scatter(order: Int32Array, first: number, nb: number, from: number, to: number): number;
  /** The batch-mean buffer (paddedDim entries), valid until the next load(). */
  mean(): Float64Array;
}

export function createClassKernel(dim: number, choice: KernelChoice = 'auto'): ClassKernel {
  if (choice !== 'javascript') {
    const wasm = WasmClassKernel.create(dim);
    if (wasm !== null) return wasm;
    if (choice === 'wasm-simd') throw new Error('WebAssembly SIMD is not available in this runtime');
  }
  return new JavaScriptClassKernel(dim);
}

class JavaScriptClassKernel implements ClassKernel {
  readonly kind = 'javascript' as const;
  readonly paddedDim: number;
  private features: FeatureRows = new Float32Array(0);
  private readonly meanBuffer: Float64Array;

  constructor(private readonly dim: number) {
    this.paddedDim = dim;
    this.meanBuffer = new Float64Array(dim);
  }

  load(features: FeatureRows): void {
    this.features = features;
  }

  meanOfRows(order: Int32Array, first: number, nb: number, from: number, to: number): void {
    meanOfRows(this.features, order, first, nb, this.dim, from, to, this.meanBuffer);
  }

  scatter(order: Int32Array, first: number, nb: number, from: number, to: number): number {
    return scatterAroundMean(this.features, order, first, nb, this.dim, from, to, this.meanBuffer);
  }

  mean(): Float64Array {
    return this.meanBuffer;
  }
}

/** Memory layout (bytes): [0, 128) four sums; a zero row (Dp float32); the mean (Dp float64); the batch (B x Dp float32). */
class WasmClassKernel implements ClassKernel {
  readonly kind = 'wasm-simd' as const;
  private meanView: Float64Array;
  private sumsView: Float64Array;
  private batchCapacity = 0;

  private constructor(
    private readonly kernels: KernelInstance,
    private readonly dim: number,
    readonly paddedDim: number,
    private readonly zeroRowOffset: number,
    private readonly meanOffset: number,
    private readonly batchOffset: number,
  ) {
    this.meanView = new Float64Array(kernels.memory.buffer, meanOffset, paddedDim);
    this.sumsView = new Float64Array(kernels.memory.buffer, 0, 4);
  }

  static create(dim: number): WasmClassKernel | null {
    const kernels = instantiateKernels();
    if (kernels === null) return null;
    const paddedDim = dim + (dim % 2);
    const zeroRowOffset = 128;
    const meanOffset = zeroRowOffset + align16(paddedDim * 4);
    const batchOffset = meanOffset + paddedDim * 8;
    if (!growTo(kernels.memory, batchOffset)) return null;
    return new WasmClassKernel(kernels, dim, paddedDim, zeroRowOffset, meanOffset, batchOffset);
  }

  load(features: FeatureRows, count: number): void {
    // Its memory holds float32: a float64 batch copied in would be narrowed without a word.
    if (!(features instanceof Float32Array)) throw new Error('the WebAssembly pass-1 kernel takes float32 features; float64 ones go to the JavaScript kernel');
    const { dim, paddedDim, batchOffset } = this;
    if (count > this.batchCapacity) {
      if (!growTo(this.kernels.memory, batchOffset + count * paddedDim * 4)) {
        throw new Error(`a batch of ${count} x ${dim} features does not fit in WebAssembly memory; use smaller batches`);
      }
      this.batchCapacity = count;
      // Growing replaces the memory's buffer: views must be made again.
      this.meanView = new Float64Array(this.kernels.memory.buffer, this.meanOffset, paddedDim);
      this.sumsView = new Float64Array(this.kernels.memory.buffer, 0, 4);
    }
    const batch = new Float32Array(this.kernels.memory.buffer, batchOffset, count * paddedDim);
    copyPaddedBatch(batch, features, count, dim, paddedDim);
  }

  meanOfRows(order: Int32Array, first: number, nb: number, from: number, to: number): void {
    const end = first + nb;
    const pairs = (to - from) / 2;
    const destination = this.meanOffset + from * 8;
    let keep = 0;
    for (let s = first; s < end; s += 4) {
      const scale = s + 4 >= end ? 1 / nb : 1;
      this.kernels.sum4(destination, this.row(order, s, end, from), this.row(order, s + 1, end, from), this.row(order, s + 2, end, from), this.row(order, s + 3, end, from), pairs, keep, scale);
      keep = 1;
    }
  }

  scatter(order: Int32Array, first: number, nb: number, from: number, to: number): number {
    const end = first + nb;
    const pairs = (to - from) / 2;
    const mean = this.meanOffset + from * 8;
    const sums = this.sumsView;
    let total = 0;
    for (let s = first; s < end; s += 4) {
      this.kernels.scatter4(this.row(order, s, end, from), this.row(order, s + 1, end, from), this.row(order, s + 2, end, from), this.row(order, s + 3, end, from), mean, pairs, 0);
      for (let j = 0; j < 4 && s + j < end; j++) total += sums[j];
    }
    return total;
  }

  mean(): Float64Array {
    return this.meanView;
  }

  /** Byte address of coordinate `from` of the s-th row in `order`, or of the zero row past the end. */
  private row(order: Int32Array, s: number, end: number, from: number): number {
    return (s < end ? this.batchOffset + order[s] * this.paddedDim * 4 : this.zeroRowOffset) + from * 4;
  }
}

function align16(bytes: number): number {
  return Math.ceil(bytes / 16) * 16;
}

/** mean[from..to) = average of the rows order[first..first+nb) over those coordinates. */
function meanOfRows(features: FeatureRows, order: Int32Array, first: number, nb: number, D: number, from: number, to: number, mean: Float64Array): void {
  const end = first + nb;
  const scale = 1 / nb;
  // Four rows per sweep: one write of mean per four feature loads; the last sweep also scales.
  let initialised = false;
  for (let s = first; s < end; s += 4) {
    const take = Math.min(4, end - s);
    const factor = s + 4 >= end ? scale : 1;
    const a = order[s] * D;
    const b = order[s + (take > 1 ? 1 : 0)] * D;
    const c = order[s + (take > 2 ? 2 : 0)] * D;
    const d = order[s + (take > 3 ? 3 : 0)] * D;
    const keep = initialised ? 1 : 0;
    if (take === 4) {
      for (let k = from; k < to; k++) mean[k] = (keep * mean[k] + (features[a + k] + features[b + k]) + (features[c + k] + features[d + k])) * factor;
    } else if (take === 3) {
      for (let k = from; k < to; k++) mean[k] = (keep * mean[k] + (features[a + k] + features[b + k]) + features[c + k]) * factor;
    } else if (take === 2) {
      for (let k = from; k < to; k++) mean[k] = (keep * mean[k] + (features[a + k] + features[b + k])) * factor;
    } else {
      for (let k = from; k < to; k++) mean[k] = (keep * mean[k] + features[a + k]) * factor;
    }
    initialised = true;
  }
}

/** sum over the rows order[first..first+nb) of ||row - mean||^2 on coordinates [from, to). */
function scatterAroundMean(features: FeatureRows, order: Int32Array, first: number, nb: number, D: number, from: number, to: number, mean: Float64Array): number {
  let total = 0;
  const end = first + nb;
  // Up to four rows per sweep share each load of the mean; a short last group repeats a row, dropped.
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
