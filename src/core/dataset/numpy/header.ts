import { product } from '../layout';
import { parseDescr, type NpyDType } from './dtype';
import { parsePyLiteral } from './pyLiteral';

/** The parsed header of a .npy array (also the start of every .npz member). */
export interface NpyHeader {
  version: [number, number];
  /** The NumPy type string as written, e.g. '<f4'. */
  descr: string;
  dtype: NpyDType;
  itemSize: number;
  littleEndian: boolean;
  fortranOrder: boolean;
  shape: number[];
  /** Bytes from the start of the .npy to its first data byte. */
  dataOffset: number;
  /** prod(shape) * itemSize. */
  dataBytes: number;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

export function hasNpyMagic(bytes: Uint8Array): boolean {
  return bytes.length >= MAGIC.length && MAGIC.every((b, i) => bytes[i] === b);
}

/** Total header size (where the data starts), from the first 12 bytes; lets a reader fetch exactly the header. */
export function npyHeaderSize(prefix: Uint8Array, source: string): number {
  if (!hasNpyMagic(prefix)) throw new Error(`${source}: not a .npy array (no \\x93NUMPY magic)`);
  if (prefix.length < 10) throw new Error(`${source}: truncated .npy header`);
  const major = prefix[6]!;
  if (major === 1) return 10 + (prefix[8]! | (prefix[9]! << 8));
  if (major === 2 || major === 3) {
    if (prefix.length < 12) throw new Error(`${source}: truncated .npy header`);
    return 12 + new DataView(prefix.buffer, prefix.byteOffset, 12).getUint32(8, true);
  }
  throw new Error(`${source}: .npy format version ${major}.${prefix[7]} is not supported (1.0, 2.0 and 3.0 are)`);
}

/** Parses a complete .npy header; `bytes` must hold at least npyHeaderSize(bytes) bytes. */
export function parseNpyHeader(bytes: Uint8Array, source: string): NpyHeader {
  const dataOffset = npyHeaderSize(bytes, source);
  if (bytes.length < dataOffset) throw new Error(`${source}: truncated .npy header (needs ${dataOffset} bytes, has ${bytes.length})`);
  const textStart = bytes[6] === 1 ? 10 : 12;
  const text = Buffer.from(bytes.buffer, bytes.byteOffset + textStart, dataOffset - textStart)
    .toString('latin1')
    .trim();
  let dict: unknown;
  try {
    dict = parsePyLiteral(text);
  } catch (err) {
    throw new Error(`${source}: unreadable .npy header: ${(err as Error).message}`);
  }
  if (typeof dict !== 'object' || dict === null || Array.isArray(dict)) throw new Error(`${source}: .npy header is not a dictionary`);
  const d = dict as Record<string, unknown>;
  if (typeof d.descr !== 'string') {
    throw new Error(`${source}: structured or missing dtype in .npy header (${JSON.stringify(d.descr)}); only plain numeric arrays are supported`);
  }
  if (typeof d.fortran_order !== 'boolean') throw new Error(`${source}: .npy header has no fortran_order`);
  const shape = d.shape;
  if (!Array.isArray(shape) || !shape.every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 0)) {
    throw new Error(`${source}: .npy header has no valid shape (${JSON.stringify(shape)})`);
  }
  const parsed = parseDescr(d.descr, source);
  return {
    version: [bytes[6]!, bytes[7]!],
    descr: d.descr,
    dtype: parsed.dtype,
    itemSize: parsed.itemSize,
    littleEndian: parsed.littleEndian,
    fortranOrder: d.fortran_order,
    shape: shape as number[],
    dataOffset,
    dataBytes: product(shape as number[]) * parsed.itemSize,
  };
}
