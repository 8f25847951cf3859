import { product } from '../layout';
import { bytesToTypedArray } from '../numpy/dtype';

/** The IDX format (LeCun's MNIST files): magic 0 0 <type> <ndims>, then ndims big-endian uint32 dims, then data. */
export type IdxDType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

const TYPES: Record<number, { dtype: IdxDType; itemSize: number }> = {
  0x08: { dtype: 'uint8', itemSize: 1 },
  0x09: { dtype: 'int8', itemSize: 1 },
  0x0b: { dtype: 'int16', itemSize: 2 },
  0x0c: { dtype: 'int32', itemSize: 4 },
  0x0d: { dtype: 'float32', itemSize: 4 },
  0x0e: { dtype: 'float64', itemSize: 8 },
};

export interface IdxHeader {
  dtype: IdxDType;
  itemSize: number;
  dims: number[];
  dataOffset: number;
  dataBytes: number;
}

/** True when the bytes start like an IDX file (used for detection by content). */
export function looksLikeIdx(bytes: Uint8Array): boolean {
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0) return false;
  const ndims = bytes[3]!;
  return bytes[2]! in TYPES && ndims >= 1 && ndims <= 4 && bytes.length >= 4 + 4 * ndims;
}

export function parseIdxHeader(bytes: Uint8Array, source: string): IdxHeader {
  if (!looksLikeIdx(bytes)) throw new Error(`${source}: not an IDX file (bad magic number)`);
  const type = TYPES[bytes[2]!]!;
  const ndims = bytes[3]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, 4 + 4 * ndims);
  const dims: number[] = [];
  for (let i = 0; i < ndims; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const dataOffset = 4 + 4 * ndims;
  return { ...type, dims, dataOffset, dataBytes: product(dims) * type.itemSize };
}

/** Big-endian IDX values into host-order typed arrays; uint8 is handed back as it is (no copy). */
export function decodeIdxValues(bytes: Uint8Array, header: Pick<IdxHeader, 'dtype' | 'itemSize'>): Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array {
  if (header.dtype === 'uint8') return bytes;
  return bytesToTypedArray(bytes, { dtype: header.dtype, itemSize: header.itemSize, littleEndian: false }) as Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}
