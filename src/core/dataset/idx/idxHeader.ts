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
  return { ...type, dims, dataOffset, dataBytes: dims.reduce((a, b) => a * b, 1) * type.itemSize };
}

/** Big-endian IDX values into host-order typed arrays. */
export function decodeIdxValues(bytes: Uint8Array, dtype: IdxDType): Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array {
  if (dtype === 'uint8') return bytes;
  if (dtype === 'int8') return new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  switch (dtype) {
    case 'int16': {
      const out = new Int16Array(bytes.length / 2);
      for (let i = 0; i < out.length; i++) out[i] = view.getInt16(2 * i, false);
      return out;
    }
    case 'int32': {
      const out = new Int32Array(bytes.length / 4);
      for (let i = 0; i < out.length; i++) out[i] = view.getInt32(4 * i, false);
      return out;
    }
    case 'float32': {
      const out = new Float32Array(bytes.length / 4);
      for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(4 * i, false);
      return out;
    }
    case 'float64': {
      const out = new Float64Array(bytes.length / 8);
      for (let i = 0; i < out.length; i++) out[i] = view.getFloat64(8 * i, false);
      return out;
    }
  }
}
