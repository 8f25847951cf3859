/**
 * The pass-2 product of projection-kernel.ts as a WebAssembly SIMD kernel: the same arithmetic (float32
 * feature promoted to float64, minus the centre, times float64 rows, float64 sums) on two coordinates
 * per instruction, without JavaScript's bounds checks: about 3x the plain-JavaScript kernel here.
 *
 * The module is tiny and assembled below from named opcodes (no binary blob, no build step, no native
 * code). It exports one function and its memory:
 *
 *   (func $block3x3 (param $fa $fb $fc $g $r0 $r1 $r2 $pairs $out i32)
 *     (local $a0 $a1 $a2 $b0 $b1 $b2 $c0 $c1 $c2 $x $y $z $w $gv v128)
 *     (loop $next
 *       (local.set $gv (v128.load (local.get $g)))
 *       (local.set $x (f64x2.sub (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $fa))) (local.get $gv)))
 *       ... $y from $fb, $z from $fc
 *       (local.set $w (v128.load (local.get $r0)))  $a0 += $x*$w, $b0 += $y*$w, $c0 += $z*$w
 *       ... rows $r1 and $r2 into the accumulators *1 and *2
 *       advance $fa $fb $fc by 8 bytes, $g $r0 $r1 $r2 by 16
 *       (br_if $next (local.tee $pairs (i32.sub (local.get $pairs) (i32.const 1)))))
 *     store the nine sums (both lanes added) as f64 at $out: a0 a1 a2 b0 b1 b2 c0 c1 c2)
 *
 * i.e. three samples (fa, fb, fc) against three rows (r0, r1, r2) over `pairs` pairs of coordinates.
 */
import { chunkLength, projectCentredBatch } from './projection-kernel';

/** Computes out[i * rowCount + r] = sum_k (h_i[k] - centre[k]) rows[r][k] for r < rowCount. */
export interface ProductKernel {
  readonly kind: 'wasm-simd' | 'javascript';
  project(features: Float32Array, count: number, rowCount: number, out: Float64Array): void;
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

  project(features: Float32Array, count: number, rowCount: number, out: Float64Array): void {
    if (rowCount > this.rowCount) throw new Error(`kernel holds ${this.rowCount} rows, asked for ${rowCount}`);
    projectCentredBatch(features, count, this.dim, this.centre, this.rows, rowCount, out);
  }
}

/**
 * The slice of the WebAssembly JS API used here, typed locally: the project's TypeScript libraries
 * (ES2022 + Node) do not declare it, and the DOM library must stay out of the core.
 */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: unknown };
}
const wasmApi: WasmApi | undefined = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

interface KernelExports {
  block3x3: (fa: number, fb: number, fc: number, g: number, r0: number, r1: number, r2: number, pairs: number, out: number) => void;
  memory: WasmMemory;
}

const WASM_PAGE = 65536;
/** wasm32 memories stop at 4 GiB; stay well below so a failed grow is the only way to run out. */
const MAX_WASM_BYTES = 2 ** 31;

/**
 * Memory layout (bytes): [0, 128) the nine sums; then the centre (Dp float64); then the rows padded to a
 * multiple of three with zero rows (Rp x Dp float64); then the batch (Bp x Dp float32, Bp a multiple of
 * three). Dp = D rounded up to even, the padding coordinate zero in centre and rows.
 */
class WasmProductKernel implements ProductKernel {
  readonly kind = 'wasm-simd' as const;
  private batchCapacity = 0;

  private constructor(
    private readonly exports: KernelExports,
    private readonly rowCount: number,
    private readonly dim: number,
    private readonly paddedDim: number,
    private readonly rowsOffset: number,
    private readonly featuresOffset: number,
  ) {}

  static create(rows: Float64Array, rowCount: number, centre: Float64Array, dim: number): WasmProductKernel | null {
    const exports = instantiate();
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

  project(features: Float32Array, count: number, rowCount: number, out: Float64Array): void {
    if (rowCount > this.rowCount) throw new Error(`kernel holds ${this.rowCount} rows, asked for ${rowCount}`);
    out.fill(0, 0, count * rowCount);
    if (count === 0 || rowCount === 0) return;
    const { dim, paddedDim, featuresOffset, rowsOffset } = this;
    const paddedCount = Math.ceil(count / 3) * 3;
    this.reserveBatch(paddedCount);
    const { block3x3, memory } = this.exports;
    const batch = new Float32Array(memory.buffer, featuresOffset, paddedCount * paddedDim);
    if (paddedDim === dim) {
      batch.set(features.subarray(0, count * dim));
    } else {
      for (let i = 0; i < count; i++) {
        batch.set(features.subarray(i * dim, (i + 1) * dim), i * paddedDim);
        batch[i * paddedDim + dim] = 0;
      }
    }
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
          for (let s = 0; s < 3 && i + s < count; s++) {
            const o = (i + s) * rowCount + r;
            for (let t = 0; t < 3 && r + t < rowCount; t++) out[o + t] += sums[s * 3 + t];
          }
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

function growTo(memory: WasmMemory, bytes: number): boolean {
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

let compiled: object | null | undefined;

/** A fresh instance (own memory) of the kernel module, or null where WebAssembly SIMD is unavailable. */
function instantiate(): KernelExports | null {
  if (compiled === undefined) {
    compiled = null;
    try {
      const bytes = kernelModuleBytes();
      if (wasmApi !== undefined && wasmApi.validate(bytes)) compiled = new wasmApi.Module(bytes);
    } catch {
      compiled = null;
    }
  }
  if (compiled === null || wasmApi === undefined) return null;
  const instance = new wasmApi.Instance(compiled, {});
  return instance.exports as unknown as KernelExports;
}

// ---------------------------------------------------------------------------------------------------
// A minimal assembler for the one function above (WebAssembly binary format 1.0 + fixed-width SIMD).

const TYPE_I32 = 0x7f;
const TYPE_V128 = 0x7b;
const OP = {
  loop: 0x03,
  end: 0x0b,
  brIf: 0x0d,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  f64Store: 0x39,
  i32Const: 0x41,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  f64Add: 0xa0,
  simdPrefix: 0xfd,
} as const;
const SIMD = {
  v128Load: 0x00,
  f64x2ExtractLane: 0x21,
  v128Load64Zero: 0x5d,
  f64x2PromoteLowF32x4: 0x5f,
  f64x2Add: 0xf0,
  f64x2Sub: 0xf1,
  f64x2Mul: 0xf2,
} as const;

function unsignedLeb(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

function signedLeb(value: number): number[] {
  const out: number[] = [];
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

const simd = (op: number): number[] => [OP.simdPrefix, ...unsignedLeb(op)];
const get = (local: number): number[] => [OP.localGet, ...unsignedLeb(local)];
const set = (local: number): number[] => [OP.localSet, ...unsignedLeb(local)];
/** memarg: alignment exponent 3 (8 bytes, a hint only), offset 0. */
const memarg = (offset = 0): number[] => [3, ...unsignedLeb(offset)];

function kernelModuleBytes(): Uint8Array {
  // Parameters 0..8, then v128 locals.
  const [fa, fb, fc, g, r0, r1, r2, pairs, out] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const acc = [
    [9, 10, 11],
    [12, 13, 14],
    [15, 16, 17],
  ];
  const [x, y, z, w, gv] = [18, 19, 20, 21, 22];
  const localCount = 14;

  const loadSample = (pointer: number, into: number): number[] => [
    ...get(pointer),
    ...simd(SIMD.v128Load64Zero),
    ...memarg(),
    ...simd(SIMD.f64x2PromoteLowF32x4),
    ...get(gv),
    ...simd(SIMD.f64x2Sub),
    ...set(into),
  ];
  const multiplyAdd = (accumulator: number, sample: number): number[] => [
    ...get(accumulator),
    ...get(sample),
    ...get(w),
    ...simd(SIMD.f64x2Mul),
    ...simd(SIMD.f64x2Add),
    ...set(accumulator),
  ];
  const advance = (pointer: number, bytes: number): number[] => [...get(pointer), OP.i32Const, ...signedLeb(bytes), OP.i32Add, ...set(pointer)];

  const body: number[] = [OP.loop, 0x40];
  body.push(...get(g), ...simd(SIMD.v128Load), ...memarg(), ...set(gv));
  body.push(...loadSample(fa, x), ...loadSample(fb, y), ...loadSample(fc, z));
  [r0, r1, r2].forEach((row, t) => {
    body.push(...get(row), ...simd(SIMD.v128Load), ...memarg(), ...set(w));
    body.push(...multiplyAdd(acc[0][t], x), ...multiplyAdd(acc[1][t], y), ...multiplyAdd(acc[2][t], z));
  });
  body.push(...advance(fa, 8), ...advance(fb, 8), ...advance(fc, 8), ...advance(g, 16), ...advance(r0, 16), ...advance(r1, 16), ...advance(r2, 16));
  body.push(...get(pairs), OP.i32Const, ...signedLeb(1), OP.i32Sub, OP.localTee, ...unsignedLeb(pairs), OP.brIf, 0);
  body.push(OP.end);
  acc.flat().forEach((accumulator, j) => {
    body.push(...get(out), ...get(accumulator), ...simd(SIMD.f64x2ExtractLane), 0, ...get(accumulator), ...simd(SIMD.f64x2ExtractLane), 1, OP.f64Add);
    body.push(OP.f64Store, ...memarg(j * 8));
  });
  body.push(OP.end);

  const functionBody = [1, ...unsignedLeb(localCount), TYPE_V128, ...body];
  const section = (id: number, payload: number[]): number[] => [id, ...unsignedLeb(payload.length), ...payload];
  const name = (text: string): number[] => [...unsignedLeb(text.length), ...Array.from(text, (ch) => ch.charCodeAt(0))];
  const typeSection = section(1, [1, 0x60, 9, ...new Array<number>(9).fill(TYPE_I32), 0]);
  const functionSection = section(3, [1, 0]);
  const memorySection = section(5, [1, 0x00, 1]);
  const exportSection = section(7, [2, ...name('block3x3'), 0x00, 0, ...name('memory'), 0x02, 0]);
  const codeSection = section(10, [1, ...unsignedLeb(functionBody.length), ...functionBody]);
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...typeSection, ...functionSection, ...memorySection, ...exportSection, ...codeSection]);
}
