import { halfToFloat } from '../../float16';
/** NumPy dtypes this project reads, and how their bytes become typed arrays. */
export type NpyDType =
  | 'bool'
  | 'int8'
  | 'uint8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64'
  | 'float16'
  | 'float32'
  | 'float64';

export type NumericArray =
  | Uint8Array
  | Int8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | Float32Array
  | Float64Array;

const KINDS: Record<string, Partial<Record<number, NpyDType>>> = {
  b: { 1: 'bool' },
  i: { 1: 'int8', 2: 'int16', 4: 'int32', 8: 'int64' },
  u: { 1: 'uint8', 2: 'uint16', 4: 'uint32', 8: 'uint64' },
  f: { 2: 'float16', 4: 'float32', 8: 'float64' },
};

export interface ParsedDescr {
  dtype: NpyDType;
  itemSize: number;
  littleEndian: boolean;
}

/** Reads a NumPy type string such as '<f4', '|u1' or '>i8'. */
export function parseDescr(descr: string, source: string): ParsedDescr {
  const m = /^([<>|=]?)([biuf])(\d+)$/.exec(descr);
  const dtype = m ? KINDS[m[2]!]?.[Number(m[3])] : undefined;
  if (!m || !dtype) {
    throw new Error(
      `${source}: dtype '${descr}' is not supported (supported: bool, int8..int64, uint8..uint64, float16, float32, float64)`,
    );
  }
  // '=' is the writer's native order; every platform NumPy runs on that matters here is little-endian.
  return { dtype, itemSize: Number(m[3]), littleEndian: m[1] !== '>' };
}

export function isFloatDType(dtype: NpyDType): boolean {
  return dtype === 'float16' || dtype === 'float32' || dtype === 'float64';
}

/** Reverses each item's bytes in place with Buffer's native swaps (item sizes 2, 4 and 8 are all there are). */
function swapBytes(bytes: Uint8Array, itemSize: number): void {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  if (itemSize === 2) buffer.swap16();
  else if (itemSize === 4) buffer.swap32();
  else if (itemSize === 8) buffer.swap64();
  else throw new Error(`unexpected item size ${itemSize}`);
}

/**
 * Copies raw bytes into a typed array of the dtype (aligned, host order). float16 becomes Float32Array,
 * bool becomes Uint8Array. The input is never modified. IDX files (big-endian) decode through here too.
 */
export function bytesToTypedArray(bytes: Uint8Array, descr: ParsedDescr): NumericArray {
  const { dtype, itemSize, littleEndian } = descr;
  if (bytes.length % itemSize !== 0) throw new Error(`byte count ${bytes.length} is not a multiple of ${itemSize}`);
  const n = bytes.length / itemSize;
  if (itemSize === 1) {
    const copy = new Uint8Array(bytes);
    return dtype === 'int8' ? new Int8Array(copy.buffer) : copy;
  }
  const aligned = new Uint8Array(bytes.length);
  aligned.set(bytes);
  if (!littleEndian) swapBytes(aligned, itemSize);
  const buffer = aligned.buffer;
  switch (dtype) {
    case 'int16':
      return new Int16Array(buffer, 0, n);
    case 'uint16':
      return new Uint16Array(buffer, 0, n);
    case 'int32':
      return new Int32Array(buffer, 0, n);
    case 'uint32':
      return new Uint32Array(buffer, 0, n);
    case 'int64':
      return new BigInt64Array(buffer, 0, n);
    case 'uint64':
      return new BigUint64Array(buffer, 0, n);
    case 'float32':
      return new Float32Array(buffer, 0, n);
    case 'float64':
      return new Float64Array(buffer, 0, n);
    case 'float16': {
      const halves = new Uint16Array(buffer, 0, n);
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = halfToFloat(halves[i]!);
      return out;
    }
    default:
      throw new Error(`unexpected dtype ${dtype}`);
  }
}

/**
 * Integer labels as Int32Array. Floats are refused (a float label array usually means the wrong array was
 * named); values that do not fit in int32 are reported with their position.
 */
export function toInt32Labels(values: NumericArray, dtype: NpyDType, source: string): Int32Array {
  if (isFloatDType(dtype)) {
    throw new Error(`${source}: labels must be integers, but the array is ${dtype}`);
  }
  if (values instanceof Int32Array) return values;
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const n = typeof v === 'bigint' ? Number(v) : v;
    if (n < -2147483648 || n > 2147483647) throw new Error(`${source}: label ${String(v)} at sample ${i} does not fit in int32`);
    out[i] = n;
  }
  return out;
}
