/**
 * The metrics' WebAssembly SIMD kernels: the same float64 arithmetic as the JavaScript loops (float32
 * features widened exactly to float64), two coordinates per instruction and without bounds checks.
 * Pointers are byte offsets into the instance's own memory; counts are in PAIRS of coordinates.
 */
import {
  F64,
  I32,
  OP,
  SIMD,
  V128,
  advance,
  assembleModule,
  countDownAndRepeat,
  get,
  loadTwoFloat32,
  memarg,
  memarg32,
  set,
  simd,
  storeLaneSum,
  type WasmFunction,
} from './assembler';

export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

export interface KernelInstance {
  /**
   * Nine sums over `pairs` coordinate pairs, stored as f64 at `out` in the order a0 a1 a2 b0 b1 b2 c0 c1
   * c2: sample fa/fb/fc (float32, minus the float64 centre at g) times row r0/r1/r2 (float64).
   */
  block3x3(fa: number, fb: number, fc: number, g: number, r0: number, r1: number, r2: number, pairs: number, out: number): void;
  /** dst = (keep * dst + a + b + c + d) * scale, dst float64, a..d float32 rows. */
  sum4(dst: number, a: number, b: number, c: number, d: number, pairs: number, keep: number, scale: number): void;
  /** Four sums ||row - mean||^2 (rows a..d float32, mean float64), stored as f64 at out. */
  scatter4(a: number, b: number, c: number, d: number, mean: number, pairs: number, out: number): void;
  // The eigensolver's loops (eigen-row-ops.ts): float64 throughout, each element computed with the same
  // operations in the same order as the JavaScript loops.
  /** p <- p + scale row, and the two lane sums of row * u stored as two f64 at out. */
  dotAxpy(row: number, u: number, p: number, pairs: number, scale: number, out: number): void;
  /** row <- row - (x p + y u). */
  rankTwo(row: number, u: number, p: number, pairs: number, x: number, y: number): void;
  /** For `rows` rows from `row` (rowBytes apart): g <- g + coefficient * row, the coefficients f64 coeffBytes apart from `coeff`. */
  gatherRows(row: number, g: number, coeff: number, rows: number, pairs: number, rowBytes: number, coeffBytes: number): void;
  /** For `rows` rows from `row`: row <- row - g * coefficient, the coefficients as in gatherRows. */
  subtractOuter(row: number, g: number, coeff: number, rows: number, pairs: number, rowBytes: number, coeffBytes: number): void;
  /**
   * For `rows` rows from `row`: row <- row - gOld * w, then gNew <- gNew + u * row (the updated row), the
   * coefficients w and u f64 wBytes and uBytes apart from `w` and `u`: one reflector applied and the
   * next one's gather, in one pass over the rows.
   */
  subtractThenGather(row: number, gOld: number, gNew: number, w: number, u: number, rows: number, pairs: number, rowBytes: number, wBytes: number, uBytes: number): void;
  /**
   * QL sweeps' plane rotations on `blocks` blocks of four column pairs, the first at byte z. Sweep w has
   * the i32 pair (top byte offset from z, count) at table + 8 w; its rotations follow each other in the
   * log as f64 pairs (s, c), rotation t acting on rows top + count - 1 - t and the one below:
   * (x, y) <- (c x - s y, s x + c y). Each block stays in cache through all the sweeps.
   */
  rotateLog4(z: number, log: number, table: number, sweeps: number, blocks: number, rowBytes: number): void;
  /** rotateLog4 with one column pair per block. */
  rotateLog1(z: number, log: number, table: number, sweeps: number, blocks: number, rowBytes: number): void;
  memory: WasmMemory;
}

/**
 * The slice of the WebAssembly JS API used here, typed locally: the project's TypeScript libraries
 * (ES2022 + Node) do not declare it, and the DOM library must stay out of the core.
 */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: unknown };
}

const wasmApi: WasmApi | undefined = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
let compiled: object | null | undefined;
/** Why the kernels could not be compiled here, once they were tried and could not. */
let unavailableBecause: string | null = null;

/** A fresh instance (with its own memory), or null where WebAssembly SIMD is unavailable. */
export function instantiateKernels(): KernelInstance | null {
  if (compiled === undefined) {
    compiled = null;
    try {
      const bytes = kernelModule();
      if (wasmApi === undefined) unavailableBecause = 'this runtime has no WebAssembly';
      else if (!wasmApi.validate(bytes)) unavailableBecause = 'this runtime has no WebAssembly SIMD';
      else compiled = new wasmApi.Module(bytes);
    } catch (error) {
      compiled = null;
      unavailableBecause = `the kernels did not compile (${error instanceof Error ? error.message : String(error)})`;
    }
  }
  if (compiled === null || wasmApi === undefined) return null;
  return new wasmApi.Instance(compiled, {}).exports as KernelInstance;
}

/** Which kernels reduce float32 features in this thread: a slower fallback must be announced, never silent. */
export type MetricsKernel = { kind: 'webassembly-simd' } | { kind: 'javascript'; reason: string };

export function metricsKernel(): MetricsKernel {
  if (compiled === undefined) instantiateKernels();
  return compiled ? { kind: 'webassembly-simd' } : { kind: 'javascript', reason: unavailableBecause ?? 'WebAssembly SIMD is unavailable' };
}

const WASM_PAGE = 65536;
/** wasm32 memories stop at 4 GiB; stay well below so a failed grow is the only way to run out. */
const MAX_WASM_BYTES = 2 ** 31;

/** Grows the memory to at least `bytes`; false when that is not possible. */
export function growTo(memory: WasmMemory, bytes: number): boolean {
  if (bytes > MAX_WASM_BYTES) return false;
  const have = memory.buffer.byteLength;
  if (bytes <= have) return true;
  try {
    memory.grow(Math.ceil((bytes - have) / WASM_PAGE));
    return true;
  } catch {
    return false;
  }
}

/**
 * Copies `count` samples of `dim` features into a batch in the kernels' memory, `paddedDim` (dim rounded
 * up to even) apart: the kernels read features in pairs, so an odd dim's extra value is set to 0 and adds
 * nothing.
 */
export function copyPaddedBatch(batch: Float32Array, features: Float32Array, count: number, dim: number, paddedDim: number): void {
  if (paddedDim === dim) {
    batch.set(features.subarray(0, count * dim));
    return;
  }
  for (let i = 0; i < count; i++) {
    batch.set(features.subarray(i * dim, (i + 1) * dim), i * paddedDim);
    batch[i * paddedDim + dim] = 0;
  }
}

function kernelModule(): Uint8Array {
  return assembleModule([block3x3(), sum4(), scatter4(), dotAxpy(), rankTwo(), gatherRows(), subtractOuter(), subtractThenGather(), rotateLog(4), rotateLog(1)]);
}

function block3x3(): WasmFunction {
  const [fa, fb, fc, g, r0, r1, r2, pairs, out] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const acc = [
    [9, 10, 11],
    [12, 13, 14],
    [15, 16, 17],
  ];
  const [x, y, z, w, gv] = [18, 19, 20, 21, 22];
  const sample = (pointer: number, into: number): number[] => [...loadTwoFloat32(pointer), ...get(gv), ...simd(SIMD.f64x2Sub), ...set(into)];
  const multiplyAdd = (accumulator: number, value: number): number[] => [
    ...get(accumulator),
    ...get(value),
    ...get(w),
    ...simd(SIMD.f64x2Mul),
    ...simd(SIMD.f64x2Add),
    ...set(accumulator),
  ];
  const body: number[] = [OP.loop, 0x40];
  body.push(...get(g), ...simd(SIMD.v128Load), ...memarg(), ...set(gv));
  body.push(...sample(fa, x), ...sample(fb, y), ...sample(fc, z));
  [r0, r1, r2].forEach((row, t) => {
    body.push(...get(row), ...simd(SIMD.v128Load), ...memarg(), ...set(w));
    body.push(...multiplyAdd(acc[0][t], x), ...multiplyAdd(acc[1][t], y), ...multiplyAdd(acc[2][t], z));
  });
  body.push(...advance(fa, 8), ...advance(fb, 8), ...advance(fc, 8));
  body.push(...advance(g, 16), ...advance(r0, 16), ...advance(r1, 16), ...advance(r2, 16));
  body.push(...countDownAndRepeat(pairs), OP.end);
  acc.flat().forEach((accumulator, j) => body.push(...storeLaneSum(out, accumulator, j * 8)));
  return { name: 'block3x3', params: [I32, I32, I32, I32, I32, I32, I32, I32, I32], locals: { count: 14, type: V128 }, body };
}

function sum4(): WasmFunction {
  const [dst, a, b, c, d, pairs, keep, scale] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [keepV, scaleV] = [8, 9];
  const body: number[] = [];
  body.push(...get(keep), ...simd(SIMD.f64x2Splat), ...set(keepV));
  body.push(...get(scale), ...simd(SIMD.f64x2Splat), ...set(scaleV));
  body.push(OP.loop, 0x40);
  // Address operand first, then the value: v128.store takes (address, value).
  body.push(...get(dst));
  body.push(...get(dst), ...simd(SIMD.v128Load), ...memarg(), ...get(keepV), ...simd(SIMD.f64x2Mul));
  body.push(...loadTwoFloat32(a), ...loadTwoFloat32(b), ...simd(SIMD.f64x2Add));
  body.push(...loadTwoFloat32(c), ...loadTwoFloat32(d), ...simd(SIMD.f64x2Add));
  body.push(...simd(SIMD.f64x2Add), ...simd(SIMD.f64x2Add));
  body.push(...get(scaleV), ...simd(SIMD.f64x2Mul));
  body.push(...simd(SIMD.v128Store), ...memarg());
  body.push(...advance(a, 8), ...advance(b, 8), ...advance(c, 8), ...advance(d, 8), ...advance(dst, 16));
  body.push(...countDownAndRepeat(pairs), OP.end);
  return { name: 'sum4', params: [I32, I32, I32, I32, I32, I32, F64, F64], locals: { count: 2, type: V128 }, body };
}

function scatter4(): WasmFunction {
  const [a, b, c, d, mean, pairs, out] = [0, 1, 2, 3, 4, 5, 6];
  const [m, t] = [7, 8];
  const sums = [9, 10, 11, 12];
  const body: number[] = [OP.loop, 0x40];
  body.push(...get(mean), ...simd(SIMD.v128Load), ...memarg(), ...set(m));
  [a, b, c, d].forEach((row, j) => {
    body.push(...loadTwoFloat32(row), ...get(m), ...simd(SIMD.f64x2Sub), ...set(t));
    body.push(...get(sums[j]), ...get(t), ...get(t), ...simd(SIMD.f64x2Mul), ...simd(SIMD.f64x2Add), ...set(sums[j]));
  });
  body.push(...advance(a, 8), ...advance(b, 8), ...advance(c, 8), ...advance(d, 8), ...advance(mean, 16));
  body.push(...countDownAndRepeat(pairs), OP.end);
  sums.forEach((s, j) => body.push(...storeLaneSum(out, s, j * 8)));
  return { name: 'scatter4', params: [I32, I32, I32, I32, I32, I32, I32], locals: { count: 6, type: V128 }, body };
}

const load = (pointer: number): number[] => [...get(pointer), ...simd(SIMD.v128Load), ...memarg()];
const splat = (scalar: number, into: number): number[] => [...get(scalar), ...simd(SIMD.f64x2Splat), ...set(into)];
const times = (x: number[], y: number[]): number[] => [...x, ...y, ...simd(SIMD.f64x2Mul)];

function dotAxpy(): WasmFunction {
  const [row, u, p, pairs, scale, out] = [0, 1, 2, 3, 4, 5];
  const [scaleV, acc, r] = [6, 7, 8];
  const body: number[] = [...splat(scale, scaleV), OP.loop, 0x40];
  body.push(...load(row), ...set(r));
  body.push(...get(acc), ...times(get(r), load(u)), ...simd(SIMD.f64x2Add), ...set(acc));
  body.push(...get(p), ...load(p), ...times(get(r), get(scaleV)), ...simd(SIMD.f64x2Add), ...simd(SIMD.v128Store), ...memarg());
  body.push(...advance(row, 16), ...advance(u, 16), ...advance(p, 16), ...countDownAndRepeat(pairs), OP.end);
  body.push(...get(out), ...get(acc), ...simd(SIMD.v128Store), ...memarg());
  return { name: 'dotAxpy', params: [I32, I32, I32, I32, F64, I32], locals: { count: 3, type: V128 }, body };
}

function rankTwo(): WasmFunction {
  const [row, u, p, pairs, x, y] = [0, 1, 2, 3, 4, 5];
  const [xV, yV] = [6, 7];
  const body: number[] = [...splat(x, xV), ...splat(y, yV), OP.loop, 0x40];
  body.push(...get(row), ...load(row), ...times(get(xV), load(p)), ...times(get(yV), load(u)), ...simd(SIMD.f64x2Add), ...simd(SIMD.f64x2Sub));
  body.push(...simd(SIMD.v128Store), ...memarg());
  body.push(...advance(row, 16), ...advance(u, 16), ...advance(p, 16), ...countDownAndRepeat(pairs), OP.end);
  return { name: 'rankTwo', params: [I32, I32, I32, I32, F64, F64], locals: { count: 2, type: V128 }, body };
}

/** local += other (i32 byte pointers). */
const advanceBy = (local: number, other: number): number[] => [...get(local), ...get(other), OP.i32Add, ...set(local)];

/**
 * Parameters (row, g, coeff, rows, pairs, rowBytes, coeffBytes): per row, splat its f64 coefficient and run
 * `inner` over the row's pairs against g; then step to the next row and coefficient.
 */
function rowsWithCoefficient(name: string, inner: (rowPointer: number, gPointer: number, alpha: number) => number[]): WasmFunction {
  const [first, second, coeff, rows, pairs, rowBytes, coeffBytes] = [0, 1, 2, 3, 4, 5, 6];
  const [rp, gp, q] = [7, 8, 9];
  const alpha = 10;
  const body: number[] = [OP.loop, 0x40];
  body.push(...get(coeff), OP.f64Load, ...memarg(), ...simd(SIMD.f64x2Splat), ...set(alpha));
  body.push(...get(first), ...set(rp), ...get(second), ...set(gp), ...get(pairs), ...set(q));
  body.push(OP.loop, 0x40, ...inner(rp, gp, alpha), ...advance(rp, 16), ...advance(gp, 16), ...countDownAndRepeat(q), OP.end);
  body.push(...advanceBy(first, rowBytes), ...advanceBy(coeff, coeffBytes), ...countDownAndRepeat(rows), OP.end);
  return {
    name,
    params: [I32, I32, I32, I32, I32, I32, I32],
    locals: [
      { count: 3, type: I32 },
      { count: 1, type: V128 },
    ],
    body,
  };
}

function gatherRows(): WasmFunction {
  return rowsWithCoefficient('gatherRows', (row, g, alpha) => [...get(g), ...load(g), ...times(get(alpha), load(row)), ...simd(SIMD.f64x2Add), ...simd(SIMD.v128Store), ...memarg()]);
}

function subtractOuter(): WasmFunction {
  return rowsWithCoefficient('subtractOuter', (row, g, alpha) => [...get(row), ...load(row), ...times(load(g), get(alpha)), ...simd(SIMD.f64x2Sub), ...simd(SIMD.v128Store), ...memarg()]);
}

function rotateLog(pairsPerBlock: number): WasmFunction {
  const [z, log, table, sweeps, blocks, rowBytes] = [0, 1, 2, 3, 4, 5];
  const [entry, rotation, sweep, pointer, below, t] = [6, 7, 8, 9, 10, 11];
  const [sV, cV, zi] = [12, 13, 14];
  const carry = Array.from({ length: pairsPerBlock }, (_, b) => 15 + b);
  const body: number[] = [OP.loop, 0x40];
  body.push(...get(table), ...set(entry), ...get(log), ...set(rotation), ...get(sweeps), ...set(sweep));
  body.push(OP.loop, 0x40);
  // t = count; pointer = z + top + count * rowBytes: the sweep's bottom row, whose entries start as the carries.
  body.push(...get(entry), OP.i32Load, ...memarg32(4), ...set(t));
  body.push(...get(z), ...get(entry), OP.i32Load, ...memarg32(0), OP.i32Add, ...get(t), ...get(rowBytes), OP.i32Mul, OP.i32Add, ...set(pointer));
  carry.forEach((x, b) => body.push(...get(pointer), ...simd(SIMD.v128Load), ...memarg(16 * b), ...set(x)));
  body.push(OP.loop, 0x40);
  body.push(...get(pointer), ...set(below), ...get(pointer), ...get(rowBytes), OP.i32Sub, ...set(pointer));
  body.push(...get(rotation), ...simd(SIMD.v128Load64Splat), ...memarg(0), ...set(sV));
  body.push(...get(rotation), ...simd(SIMD.v128Load64Splat), ...memarg(8), ...set(cV));
  carry.forEach((x, b) => {
    body.push(...get(pointer), ...simd(SIMD.v128Load), ...memarg(16 * b), ...set(zi));
    body.push(...get(below), ...times(get(sV), get(zi)), ...times(get(cV), get(x)), ...simd(SIMD.f64x2Add), ...simd(SIMD.v128Store), ...memarg(16 * b));
    body.push(...times(get(cV), get(zi)), ...times(get(sV), get(x)), ...simd(SIMD.f64x2Sub), ...set(x));
  });
  body.push(...advance(rotation, 16), ...countDownAndRepeat(t), OP.end);
  carry.forEach((x, b) => body.push(...get(pointer), ...get(x), ...simd(SIMD.v128Store), ...memarg(16 * b)));
  body.push(...advance(entry, 8), ...countDownAndRepeat(sweep), OP.end);
  body.push(...advance(z, 16 * pairsPerBlock), ...countDownAndRepeat(blocks), OP.end);
  return {
    name: `rotateLog${pairsPerBlock}`,
    params: [I32, I32, I32, I32, I32, I32],
    locals: [
      { count: 6, type: I32 },
      { count: 3 + pairsPerBlock, type: V128 },
    ],
    body,
  };
}

function subtractThenGather(): WasmFunction {
  const [row, gOld, gNew, w, u, rows, pairs, rowBytes, wBytes, uBytes] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const [rp, op, np, q] = [10, 11, 12, 13];
  const [wV, uV, x] = [14, 15, 16];
  const body: number[] = [OP.loop, 0x40];
  body.push(...get(w), OP.f64Load, ...memarg(), ...simd(SIMD.f64x2Splat), ...set(wV));
  body.push(...get(u), OP.f64Load, ...memarg(), ...simd(SIMD.f64x2Splat), ...set(uV));
  body.push(...get(row), ...set(rp), ...get(gOld), ...set(op), ...get(gNew), ...set(np), ...get(pairs), ...set(q));
  body.push(OP.loop, 0x40);
  body.push(...load(rp), ...times(load(op), get(wV)), ...simd(SIMD.f64x2Sub), ...set(x));
  body.push(...get(rp), ...get(x), ...simd(SIMD.v128Store), ...memarg());
  body.push(...get(np), ...load(np), ...times(get(uV), get(x)), ...simd(SIMD.f64x2Add), ...simd(SIMD.v128Store), ...memarg());
  body.push(...advance(rp, 16), ...advance(op, 16), ...advance(np, 16), ...countDownAndRepeat(q), OP.end);
  body.push(...advanceBy(row, rowBytes), ...advanceBy(w, wBytes), ...advanceBy(u, uBytes), ...countDownAndRepeat(rows), OP.end);
  return {
    name: 'subtractThenGather',
    params: [I32, I32, I32, I32, I32, I32, I32, I32, I32, I32],
    locals: [
      { count: 4, type: I32 },
      { count: 3, type: V128 },
    ],
    body,
  };
}
