/**
 * A minimal WebAssembly assembler: just enough of the binary format 1.0 (plus fixed-width SIMD) to write
 * the metrics kernels as readable instruction lists in TypeScript, with no binary blob and no build step.
 */

export const I32 = 0x7f;
export const F64 = 0x7c;
export const V128 = 0x7b;
export type ValueType = typeof I32 | typeof F64 | typeof V128;

export const OP = {
  loop: 0x03,
  end: 0x0b,
  brIf: 0x0d,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Load: 0x28,
  f64Load: 0x2b,
  f64Store: 0x39,
  i32Const: 0x41,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Mul: 0x6c,
  f64Add: 0xa0,
  simdPrefix: 0xfd,
} as const;

export const SIMD = {
  v128Load: 0x00,
  v128Store: 0x0b,
  f64x2Splat: 0x14,
  f64x2ExtractLane: 0x21,
  v128Load64Splat: 0x0a,
  v128Load64Zero: 0x5d,
  f64x2PromoteLowF32x4: 0x5f,
  f64x2Add: 0xf0,
  f64x2Sub: 0xf1,
  f64x2Mul: 0xf2,
} as const;

export function unsignedLeb(value: number): number[] {
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

export function signedLeb(value: number): number[] {
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

export const simd = (op: number): number[] => [OP.simdPrefix, ...unsignedLeb(op)];
export const get = (local: number): number[] => [OP.localGet, ...unsignedLeb(local)];
export const set = (local: number): number[] => [OP.localSet, ...unsignedLeb(local)];
/** memarg: alignment exponent 3 (8 bytes; a hint only), then the static offset. */
export const memarg = (offset = 0): number[] => [3, ...unsignedLeb(offset)];
/** memarg of a 4-byte load: its alignment exponent may not exceed 2. */
export const memarg32 = (offset = 0): number[] => [2, ...unsignedLeb(offset)];

/** local += bytes (an i32 pointer). */
export const advance = (local: number, bytes: number): number[] => [...get(local), OP.i32Const, ...signedLeb(bytes), OP.i32Add, ...set(local)];

/** The loop tail: counter -= 1, and branch back to the enclosing loop while it is not zero. */
export const countDownAndRepeat = (counter: number): number[] => [
  ...get(counter),
  OP.i32Const,
  ...signedLeb(1),
  OP.i32Sub,
  OP.localTee,
  ...unsignedLeb(counter),
  OP.brIf,
  0,
];

/** Loads two float32 at the pointer in `local` and widens them to an f64x2. */
export const loadTwoFloat32 = (local: number): number[] => [...get(local), ...simd(SIMD.v128Load64Zero), ...memarg(), ...simd(SIMD.f64x2PromoteLowF32x4)];

/** Stores lane 0 + lane 1 of the f64x2 in `local` as one f64 at [base + offset]. */
export const storeLaneSum = (base: number, local: number, offset: number): number[] => [
  ...get(base),
  ...get(local),
  ...simd(SIMD.f64x2ExtractLane),
  0,
  ...get(local),
  ...simd(SIMD.f64x2ExtractLane),
  1,
  OP.f64Add,
  OP.f64Store,
  ...memarg(offset),
];

export interface LocalGroup {
  count: number;
  type: ValueType;
}

export interface WasmFunction {
  name: string;
  params: ValueType[];
  /** Extra locals (after the parameters): one group of one type, or several groups numbered in order. */
  locals: LocalGroup | LocalGroup[];
  /** Instructions, without the final `end`. */
  body: number[];
}

/** A module of the given functions (one type each, no results), all exported, plus an exported memory of one page. */
export function assembleModule(functions: WasmFunction[]): Uint8Array {
  const section = (id: number, payload: number[]): number[] => [id, ...unsignedLeb(payload.length), ...payload];
  const vector = (items: number[][]): number[] => [...unsignedLeb(items.length), ...items.flat()];
  const name = (text: string): number[] => [...unsignedLeb(text.length), ...Array.from(text, (ch) => ch.charCodeAt(0))];

  const types = section(1, vector(functions.map((f) => [0x60, ...unsignedLeb(f.params.length), ...f.params, 0])));
  const declarations = section(3, vector(functions.map((_, i) => unsignedLeb(i))));
  const memory = section(5, [1, 0x00, 1]);
  // Not `exports`: in the CommonJS that webpack bundles, a local of that name shadows the module's own
  // `exports`, so `OP.end` below (compiled to exports.OP.end) threw and every kernel fell back to JavaScript.
  const exportSection = section(
    7,
    vector([...functions.map((f, i) => [...name(f.name), 0x00, ...unsignedLeb(i)]), [...name('memory'), 0x02, 0]]),
  );
  const bodies = functions.map((f) => {
    const groups = Array.isArray(f.locals) ? f.locals : [f.locals];
    const code = [...unsignedLeb(groups.length), ...groups.flatMap((g) => [...unsignedLeb(g.count), g.type]), ...f.body, OP.end];
    return [...unsignedLeb(code.length), ...code];
  });
  const code = section(10, vector(bodies));
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...types, ...declarations, ...memory, ...exportSection, ...code]);
}
