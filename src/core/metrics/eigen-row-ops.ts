/**
 * The inner loops of the symmetric eigensolver (eigen.ts): each one runs along part of a row of the
 * working matrix. Two implementations with the same numbers to the last bit: WebAssembly SIMD (two
 * float64 per instruction, no bounds checks) and plain JavaScript. Every element gets the same IEEE
 * operations in the same order in both; the one reduction (dotAndAccumulate) sums even and odd
 * positions separately in both, as the two SIMD lanes do, then adds the odd tail.
 */
import type { KernelChoice } from './product-kernel';
import { growTo, instantiateKernels, type KernelInstance } from './wasm/kernels';

/** One of the two scratch vectors, p or g. */
export type Scratch = 'p' | 'g';

export interface EigenRowOps {
  readonly kind: 'webassembly-simd' | 'javascript';
  readonly n: number;
  /** The n x n working matrix, row-major. Indices below (row, u, top, coefficients) are offsets into it. */
  readonly a: Float64Array;
  /** Scratch vectors of n entries. */
  readonly p: Float64Array;
  readonly g: Float64Array;
  /** Returns sum_k a[row+k] a[u+k] and adds scale a[row+k] to into[k], k < count. */
  dotAndAccumulate(into: Scratch, row: number, u: number, count: number, scale: number): number;
  /** a[row+k] -= x from[k] + y a[u+k], k < count. */
  rankTwo(from: Scratch, row: number, u: number, count: number, x: number, y: number): void;
  /** into[j] += a[coeff + r coeffStride] a[r n + j] for rows r < rows, j < count. */
  gatherRows(into: Scratch, rows: number, count: number, coeff: number, coeffStride: number): void;
  /** a[r n + j] -= from[j] a[coeff + r coeffStride] for rows r < rows, j < count. */
  subtractOuter(from: Scratch, rows: number, count: number, coeff: number, coeffStride: number): void;
  /**
   * Per row r < rows: subtractOuter's update of row r with (from, w), then gatherRows' update of `into`
   * from that updated row with u: one pass over the rows for both.
   */
  subtractThenGather(from: Scratch, into: Scratch, rows: number, count: number, w: number, wStride: number, u: number, uStride: number): void;
  /**
   * Rotation t < count, (sines[t], cosines[t]), on rows i = top + count - 1 - t and i + 1, in that order:
   * (a_i, a_i+1) <- (c a_i - s a_i+1, s a_i + c a_i+1) over all n columns. It may be deferred until
   * finishRotations(), and is then applied in the order given.
   */
  rotateSweep(top: number, count: number, sines: Float64Array, cosines: Float64Array): void;
  /** Applies every rotation still deferred. */
  finishRotations(): void;
}

/**
 * Below this size 'auto' keeps to JavaScript: a WebAssembly instance per matrix costs more than it saves,
 * and the numbers are the same either way.
 */
const WASM_MIN_SIZE = 64;

/** Row operations over a copy of `matrix` (n x n): WebAssembly SIMD where available unless `choice` says otherwise. */
export function createEigenRowOps(matrix: Float64Array, n: number, choice: KernelChoice = 'auto'): EigenRowOps {
  if (choice === 'wasm-simd' || (choice === 'auto' && n >= WASM_MIN_SIZE)) {
    const wasm = WasmRowOps.create(matrix, n);
    if (wasm !== null) return wasm;
    if (choice === 'wasm-simd') throw new Error('WebAssembly SIMD is not available in this runtime (or the matrix does not fit in its memory)');
  }
  return new JavaScriptRowOps(n, matrix.slice(), new Float64Array(n), new Float64Array(n));
}

class JavaScriptRowOps implements EigenRowOps {
  readonly kind = 'javascript' as const;
  constructor(
    readonly n: number,
    readonly a: Float64Array,
    readonly p: Float64Array,
    readonly g: Float64Array,
  ) {}

  dotAndAccumulate(into: Scratch, row: number, u: number, count: number, scale: number): number {
    const a = this.a;
    const p = this[into];
    let even = 0;
    let odd = 0;
    let k = 0;
    for (; k + 1 < count; k += 2) {
      const x0 = a[row + k];
      const x1 = a[row + k + 1];
      even += x0 * a[u + k];
      odd += x1 * a[u + k + 1];
      p[k] += x0 * scale;
      p[k + 1] += x1 * scale;
    }
    return dotTail(p, a, row, u, count, scale, even + odd);
  }

  rankTwo(from: Scratch, row: number, u: number, count: number, x: number, y: number): void {
    const a = this.a;
    const p = this[from];
    for (let k = 0; k < count; k++) a[row + k] -= x * p[k] + y * a[u + k];
  }

  gatherRows(into: Scratch, rows: number, count: number, coeff: number, coeffStride: number): void {
    const { a, n } = this;
    const g = this[into];
    for (let r = 0; r < rows; r++) {
      const alpha = a[coeff + r * coeffStride];
      const row = r * n;
      for (let j = 0; j < count; j++) g[j] += alpha * a[row + j];
    }
  }

  subtractOuter(from: Scratch, rows: number, count: number, coeff: number, coeffStride: number): void {
    const { a, n } = this;
    const g = this[from];
    for (let r = 0; r < rows; r++) {
      const w = a[coeff + r * coeffStride];
      const row = r * n;
      for (let j = 0; j < count; j++) a[row + j] -= g[j] * w;
    }
  }

  subtractThenGather(from: Scratch, into: Scratch, rows: number, count: number, w: number, wStride: number, u: number, uStride: number): void {
    subtractThenGatherColumns(this, from, into, rows, 0, count, w, wStride, u, uStride);
  }

  rotateSweep(top: number, count: number, sines: Float64Array, cosines: Float64Array): void {
    const n = this.n;
    for (let t = 0; t < count; t++) rotateColumns(this.a, (top + count - 1 - t) * n, n, 0, n, sines[t], cosines[t]);
  }

  finishRotations(): void {}
}

/** subtractThenGather on columns from .. to - 1. */
function subtractThenGatherColumns(ops: EigenRowOps, from: Scratch, into: Scratch, rows: number, first: number, to: number, w: number, wStride: number, u: number, uStride: number): void {
  const { a, n } = ops;
  const old = ops[from];
  const next = ops[into];
  for (let r = 0; r < rows; r++) {
    const wr = a[w + r * wStride];
    const ur = a[u + r * uStride];
    const row = r * n;
    for (let j = first; j < to; j++) {
      a[row + j] -= old[j] * wr;
      next[j] += ur * a[row + j];
    }
  }
}

/** The rotation of rows starting at rowA and rowA + n, columns from .. to - 1. */
function rotateColumns(a: Float64Array, rowA: number, n: number, from: number, to: number, s: number, c: number): void {
  const rowB = rowA + n;
  for (let k = from; k < to; k++) {
    const x = a[rowA + k];
    const y = a[rowB + k];
    a[rowB + k] = s * x + c * y;
    a[rowA + k] = c * x - s * y;
  }
}

/** The odd last element of dotAndAccumulate, added after the lane sums. */
function dotTail(p: Float64Array, a: Float64Array, row: number, u: number, count: number, scale: number, sum: number): number {
  if (count % 2 === 0) return sum;
  const k = count - 1;
  const x = a[row + k];
  p[k] += x * scale;
  return sum + x * a[u + k];
}

/**
 * Memory layout (bytes): the matrix (n x n float64) from 0, then p, then g (n float64 each), then two
 * float64 for the lane sums, then the rotation log (LOG_CAPACITY pairs s, c of float64) and its sweep
 * table (i32 pairs: top row's byte offset, rotation count). The kernels take counts in pairs; an odd
 * last element or column is done here.
 *
 * QL's rotations are logged rather than applied at once: the recurrence never reads the vectors, so a
 * chunk of sweeps can be applied column block by column block, each block (n rows x 8 columns) staying
 * in cache through the whole chunk instead of every sweep streaming the whole matrix through it. Each
 * element still gets the same rotations in the same order, so the numbers do not change.
 */
class WasmRowOps implements EigenRowOps {
  readonly kind = 'webassembly-simd' as const;
  readonly a: Float64Array;
  readonly p: Float64Array;
  readonly g: Float64Array;
  private readonly sums: Float64Array;
  private readonly log: Float64Array;
  private readonly table: Int32Array;
  private readonly logCapacity: number;
  private readonly pOffset: number;
  private readonly gOffset: number;
  private readonly sumsOffset: number;
  private readonly logOffset: number;
  private readonly tableOffset: number;
  private loggedRotations = 0;
  private loggedSweeps = 0;

  private constructor(
    private readonly exports: KernelInstance,
    readonly n: number,
  ) {
    const buffer = exports.memory.buffer;
    this.pOffset = n * n * 8;
    this.gOffset = this.pOffset + n * 8;
    this.sumsOffset = this.gOffset + n * 8;
    this.a = new Float64Array(buffer, 0, n * n);
    this.p = new Float64Array(buffer, this.pOffset, n);
    this.g = new Float64Array(buffer, this.gOffset, n);
    this.logCapacity = logCapacity(n);
    this.logOffset = this.sumsOffset + 16;
    this.tableOffset = this.logOffset + this.logCapacity * 16;
    this.sums = new Float64Array(buffer, this.sumsOffset, 2);
    this.log = new Float64Array(buffer, this.logOffset, 2 * this.logCapacity);
    this.table = new Int32Array(buffer, this.tableOffset, 2 * this.logCapacity);
  }

  static create(matrix: Float64Array, n: number): WasmRowOps | null {
    const exports = instantiateKernels();
    if (exports === null || !growTo(exports.memory, (n * n + 2 * n + 2) * 8 + logCapacity(n) * 24)) return null;
    const ops = new WasmRowOps(exports, n);
    ops.a.set(matrix);
    return ops;
  }

  dotAndAccumulate(into: Scratch, row: number, u: number, count: number, scale: number): number {
    const pairs = count >> 1;
    let sum = 0;
    if (pairs > 0) {
      this.exports.dotAxpy(row * 8, u * 8, this.offsetOf(into), pairs, scale, this.sumsOffset);
      sum = this.sums[0] + this.sums[1];
    }
    return dotTail(this[into], this.a, row, u, count, scale, sum);
  }

  rankTwo(from: Scratch, row: number, u: number, count: number, x: number, y: number): void {
    const pairs = count >> 1;
    if (pairs > 0) this.exports.rankTwo(row * 8, u * 8, this.offsetOf(from), pairs, x, y);
    if (count % 2 === 1) {
      const k = count - 1;
      this.a[row + k] -= x * this[from][k] + y * this.a[u + k];
    }
  }

  gatherRows(into: Scratch, rows: number, count: number, coeff: number, coeffStride: number): void {
    const { a, n } = this;
    const g = this[into];
    const pairs = count >> 1;
    if (pairs > 0 && rows > 0) this.exports.gatherRows(0, this.offsetOf(into), coeff * 8, rows, pairs, n * 8, coeffStride * 8);
    if (count % 2 === 1) {
      const j = count - 1;
      for (let r = 0; r < rows; r++) g[j] += a[coeff + r * coeffStride] * a[r * n + j];
    }
  }

  subtractOuter(from: Scratch, rows: number, count: number, coeff: number, coeffStride: number): void {
    const { a, n } = this;
    const g = this[from];
    const pairs = count >> 1;
    if (pairs > 0 && rows > 0) this.exports.subtractOuter(0, this.offsetOf(from), coeff * 8, rows, pairs, n * 8, coeffStride * 8);
    if (count % 2 === 1) {
      const j = count - 1;
      for (let r = 0; r < rows; r++) a[r * n + j] -= g[j] * a[coeff + r * coeffStride];
    }
  }

  subtractThenGather(from: Scratch, into: Scratch, rows: number, count: number, w: number, wStride: number, u: number, uStride: number): void {
    const n = this.n;
    const pairs = count >> 1;
    if (pairs > 0 && rows > 0) {
      this.exports.subtractThenGather(0, this.offsetOf(from), this.offsetOf(into), w * 8, u * 8, rows, pairs, n * 8, wStride * 8, uStride * 8);
    }
    if (count % 2 === 1) subtractThenGatherColumns(this, from, into, rows, count - 1, count, w, wStride, u, uStride);
  }

  private offsetOf(scratch: Scratch): number {
    return scratch === 'p' ? this.pOffset : this.gOffset;
  }

  rotateSweep(top: number, count: number, sines: Float64Array, cosines: Float64Array): void {
    if (count === 0) return;
    if (this.loggedRotations + count > this.logCapacity) this.finishRotations();
    const { log, table } = this;
    let at = 2 * this.loggedRotations;
    for (let t = 0; t < count; t++) {
      log[at++] = sines[t];
      log[at++] = cosines[t];
    }
    table[2 * this.loggedSweeps] = top * this.n * 8;
    table[2 * this.loggedSweeps + 1] = count;
    this.loggedRotations += count;
    this.loggedSweeps++;
  }

  finishRotations(): void {
    const { a, n, log, table } = this;
    const sweeps = this.loggedSweeps;
    if (sweeps === 0) return;
    const rowBytes = n * 8;
    // Blocks of eight columns (a cache line), then single column pairs, then an odd last column.
    const blocks = n >> 3;
    if (blocks > 0) this.exports.rotateLog4(0, this.logOffset, this.tableOffset, sweeps, blocks, rowBytes);
    const pairs = (n - 8 * blocks) >> 1;
    if (pairs > 0) this.exports.rotateLog1(blocks * 64, this.logOffset, this.tableOffset, sweeps, pairs, rowBytes);
    if (n % 2 === 1) {
      let at = 0;
      for (let w = 0; w < sweeps; w++) {
        const top = table[2 * w] / 8;
        const count = table[2 * w + 1];
        for (let t = 0; t < count; t++, at += 2) rotateColumns(a, top + (count - 1 - t) * n, n, n - 1, n, log[at], log[at + 1]);
      }
    }
    this.loggedRotations = 0;
    this.loggedSweeps = 0;
  }
}

/** Rotations per logged chunk: 256 KiB of log, so that it stays in cache across the column blocks; at least one sweep. */
function logCapacity(n: number): number {
  return Math.max(16384, n);
}
