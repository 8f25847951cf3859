/**
 * The pass-2 product (projection-kernel.ts) behind one interface, run by the WebAssembly SIMD kernel
 * (wasm/kernels.ts: about 3x the JavaScript loop here) where the runtime has it, else by JavaScript.
 */
import { addBlockSums, chunkLength, projectCentredBatch } from './projection-kernel';
import { copyPaddedBatch, growTo, instantiateKernels, type KernelInstance } from './wasm/kernels';
import type { FeatureRows } from './batch-input';

/** Computes out[i * rowCount + r] = sum_k (h_i[k] - centre[k]) rows[r][k] for r < rowCount. */
export interface ProductKernel {
  readonly kind: 'wasm-simd' | 'javascript';
  project(features: FeatureRows, count: number, rowCount: number, out: Float64Array): void;
}

export type KernelChoice = 'auto' | 'wasm-simd' | 'javascript';

/**
 * The fastest kernel this runtime supports for these rows (K-ish x D) and centre (D). `choice` forces
 * one for tests and benchmarks; 'wasm-simd' throws where WebAssembly SIMD is unavailable.
 */
export function createProductKernel(rows: Float64Array, rowCount: number, centre: Float64Array, dim: number, choice: KernelChoice = 'auto'): ProductKernel {
  if (choice !== 'javascript') {
    const wasm = WasmProductKernel.create(rows, rowCount, centre, dim);
    if (wasm !== null) return wasm;
    if (choice === 'wasm-simd') throw new Error('WebAssembly SIMD is not available in this runtime (or the rows do not fit in its memory)');
  }
  return new JavaScriptProductKernel(rows, rowCount, centre, dim);
}

class JavaScriptProductKernel implements ProductKernel {
  readonly kind = 'javascript' as const;
  constructor(
    private readonly rows: Float64Array,
    private readonly rowCount: number,
    private readonly centre: Float64Array,
    private readonly dim: number,
  ) {}

  project(features: FeatureRows, count: number, rowCount: number, out: Float64Array): void {
    if (rowCount > this.rowCount) throw new Error(`kernel holds ${this.rowCount} rows, asked for ${rowCount}`);
    projectCentredBatch(features, count, this.dim, this.centre, this.rows, rowCount, out);
  }
}

/**
 * Memory layout (bytes): [0, 128) the nine sums; then the centre (Dp float64); then the rows padded to a
 * multiple of three with zero rows (Rp x Dp float64); then the batch (Bp x Dp float32, Bp a multiple of
 * three). Dp = D rounded up to even, the padding coordinate zero in centre and rows.
 */
class WasmProductKernel implements ProductKernel {
  readonly kind = 'wasm-simd' as const;
  private batchCapacity = 0;

  private constructor(
    private readonly exports: KernelInstance,
    private readonly rowCount: number,
    private readonly dim: number,
    private readonly paddedDim: number,
    private readonly rowsOffset: number,
    private readonly featuresOffset: number,
  ) {}

  static create(rows: Float64Array, rowCount: number, centre: Float64Array, dim: number): WasmProductKernel | null {
    const exports = instantiateKernels();
    if (exports === null) return null;
    const paddedDim = dim + (dim % 2);
    const paddedRows = Math.ceil(rowCount / 3) * 3;
    const centreOffset = 128;
    const rowsOffset = centreOffset + paddedDim * 8;
    const featuresOffset = rowsOffset + paddedRows * paddedDim * 8;
    if (!growTo(exports.memory, featuresOffset)) return null;
    const buffer = exports.memory.buffer;
    const centreView = new Float64Array(buffer, centreOffset, paddedDim);
    centreView.set(centre.subarray(0, dim));
    const rowsView = new Float64Array(buffer, rowsOffset, paddedRows * paddedDim);
    for (let r = 0; r < rowCount; r++) rowsView.set(rows.subarray(r * dim, (r + 1) * dim), r * paddedDim);
    return new WasmProductKernel(exports, rowCount, dim, paddedDim, rowsOffset, featuresOffset);
  }

  project(features: FeatureRows, count: number, rowCount: number, out: Float64Array): void {
    if (rowCount > this.rowCount) throw new Error(`kernel holds ${this.rowCount} rows, asked for ${rowCount}`);
    // Its memory holds float32: a float64 batch copied in would be narrowed without a word.
    if (!(features instanceof Float32Array)) throw new Error('the WebAssembly pass-2 kernel takes float32 features; float64 ones go to the JavaScript kernel');
    out.fill(0, 0, count * rowCount);
    if (count === 0 || rowCount === 0) return;
    const { dim, paddedDim, featuresOffset, rowsOffset } = this;
    const paddedCount = Math.ceil(count / 3) * 3;
    this.reserveBatch(paddedCount);
    const { block3x3, memory } = this.exports;
    const batch = new Float32Array(memory.buffer, featuresOffset, paddedCount * paddedDim);
    copyPaddedBatch(batch, features, count, dim, paddedDim);
    // The padding samples hold whatever the last batch left; their sums are computed and dropped.
    const sums = new Float64Array(memory.buffer, 0, 9);
    const chunk = chunkLength(paddedDim, this.rowCount) & ~1;
    const sampleBytes = paddedDim * 4;
    const rowBytes = paddedDim * 8;
    for (let start = 0; start < paddedDim; start += chunk) {
      const pairs = (Math.min(paddedDim, start + chunk) - start) / 2;
      for (let i = 0; i < paddedCount; i += 3) {
        const fa = featuresOffset + i * sampleBytes + start * 4;
        for (let r = 0; r < rowCount; r += 3) {
          const r0 = rowsOffset + r * rowBytes + start * 8;
          block3x3(fa, fa + sampleBytes, fa + 2 * sampleBytes, 128 + start * 8, r0, r0 + rowBytes, r0 + 2 * rowBytes, pairs, 0);
          addBlockSums(out, sums, i, r, count, rowCount);
        }
      }
    }
  }

  private reserveBatch(paddedCount: number): void {
    if (paddedCount <= this.batchCapacity) return;
    const need = this.featuresOffset + paddedCount * this.paddedDim * 4;
    if (!growTo(this.exports.memory, need)) {
      throw new Error(`a batch of ${paddedCount} x ${this.dim} features does not fit in WebAssembly memory; use smaller batches`);
    }
    this.batchCapacity = paddedCount;
  }
}
