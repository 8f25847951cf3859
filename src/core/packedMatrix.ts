/**
 * The compact form of a result's K x K matrices (cdnvMatrix, meanCosines, classifier.cosines) above
 * PACK_ABOVE_CLASSES classes: float64 little-endian, base64, the strict upper triangle only when the
 * matrix is exactly symmetric (docs/result-schema.md, "Large matrices"). Written as JSON numbers, one
 * K = 1,000 matrix is some 20 MB of text and most of the CLI's time; packed it is 5.3 MB and exact to the bit.
 *
 * The one codec: the engine packs with it, and every reader (validator, webviews, tests) unpacks with it.
 * No Node import (no Buffer): the webviews use it too.
 */
import type { MatrixCells, PackedMatrix, SquareMatrix } from './result';

/** Matrices of more classes than this are packed; smaller ones stay readable nested arrays. */
export const PACK_ABOVE_CLASSES = 64;

/** A packed matrix that cannot be read: what is wrong, and the key of the packed object it is in. */
export class PackedMatrixProblem extends Error {
  constructor(
    readonly field: 'encoding' | 'k' | 'diagonal' | 'data',
    readonly problem: string,
  ) {
    super(`${field} ${problem}`);
    this.name = 'PackedMatrixProblem';
  }
}

export function isPackedMatrix(m: SquareMatrix): m is PackedMatrix {
  return !Array.isArray(m);
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const ALPHABET_CODES = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));
/** Character code -> 6-bit value, 255 for characters outside the alphabet. */
const DECODE = new Uint8Array(256).fill(255);
for (let i = 0; i < 64; i++) DECODE[ALPHABET_CODES[i]!] = i;
const PAD = '='.charCodeAt(0);

/** RFC 4648 base64 with padding. Built as bytes then one TextDecoder call: a 5 MB string in one step. */
export function bytesToBase64(bytes: Uint8Array): string {
  const out = new Uint8Array(Math.ceil(bytes.length / 3) * 4);
  let o = 0;
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out[o++] = ALPHABET_CODES[n >>> 18]!;
    out[o++] = ALPHABET_CODES[(n >>> 12) & 63]!;
    out[o++] = ALPHABET_CODES[(n >>> 6) & 63]!;
    out[o++] = ALPHABET_CODES[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest > 0) {
    const n = (bytes[i]! << 16) | (rest === 2 ? bytes[i + 1]! << 8 : 0);
    out[o++] = ALPHABET_CODES[n >>> 18]!;
    out[o++] = ALPHABET_CODES[(n >>> 12) & 63]!;
    out[o++] = rest === 2 ? ALPHABET_CODES[(n >>> 6) & 63]! : PAD;
    out[o++] = PAD;
  }
  return new TextDecoder().decode(out);
}

/**
 * Strict RFC 4648 base64: no whitespace, no URL-safe letters, padding only at the end. (atob and
 * Buffer.from skip or tolerate characters they do not know, which would turn a damaged file into
 * shifted numbers that look right.)
 */
export function base64ToBytes(text: string): Uint8Array {
  if (text.length % 4 !== 0) throw new PackedMatrixProblem('data', `is not base64: its length ${text.length} is not a multiple of 4`);
  const bad = (at: number): never => {
    throw new PackedMatrixProblem('data', `is not base64: character ${at} (${JSON.stringify(text[at])}) is outside the base64 alphabet`);
  };
  // One native call for the character codes; a non-ASCII character makes the UTF-8 longer than the text.
  const codes = new TextEncoder().encode(text);
  if (codes.length !== text.length) for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 127) bad(i);
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  const whole = padding > 0 ? text.length - 4 : text.length;
  let o = 0;
  for (let i = 0; i < whole; i += 4) {
    const a = DECODE[codes[i]!]!;
    const b = DECODE[codes[i + 1]!]!;
    const c = DECODE[codes[i + 2]!]!;
    const d = DECODE[codes[i + 3]!]!;
    if ((a | b | c | d) === 255) {
      for (let j = i; j < i + 4; j++) if (DECODE[codes[j]!] === 255) bad(j);
    }
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = n >>> 16;
    out[o++] = (n >>> 8) & 0xff;
    out[o++] = n & 0xff;
  }
  if (padding > 0) {
    const i = whole;
    const a = DECODE[codes[i]!]!;
    const b = DECODE[codes[i + 1]!]!;
    const c = padding === 2 ? 0 : DECODE[codes[i + 2]!]!;
    for (const [value, at] of [[a, i], [b, i + 1], [c, i + 2]] as const) if (value === 255) bad(at);
    const n = (a << 18) | (b << 12) | (c << 6);
    out[o++] = n >>> 16;
    if (padding === 1) out[o++] = (n >>> 8) & 0xff;
  }
  return out;
}

/** Cells stored in `data`: the strict upper triangle, or all K x K. */
export function packedCellCount(encoding: PackedMatrix['encoding'], k: number): number {
  return encoding === 'float64-upper-base64' ? (k * (k - 1)) / 2 : k * k;
}

/** Whether rows[i][j] and rows[j][i] are the same value to the bit (null with null) for every pair. */
function exactlySymmetric(rows: MatrixCells): boolean {
  for (let i = 0; i < rows.length; i++) {
    for (let j = i + 1; j < rows.length; j++) if (!Object.is(rows[i]![j], rows[j]![i])) return false;
  }
  return true;
}

/**
 * The packed form of a K x K matrix: upper triangle plus diagonal when exactly symmetric, all cells
 * otherwise (never a symmetrised copy: the file holds the numbers the metrics computed). null is NaN.
 */
export function packMatrix(rows: MatrixCells): PackedMatrix {
  const k = rows.length;
  for (const [i, row] of rows.entries()) if (row.length !== k) throw new Error(`packMatrix: row ${i} has ${row.length} cells, expected ${k}`);
  const upper = exactlySymmetric(rows);
  const encoding = upper ? 'float64-upper-base64' : 'float64-base64';
  const values = new Float64Array(packedCellCount(encoding, k));
  const view = new DataView(values.buffer);
  let n = 0;
  for (let i = 0; i < k; i++) {
    for (let j = upper ? i + 1 : 0; j < k; j++) view.setFloat64(8 * n++, rows[i]![j] ?? NaN, true);
  }
  const data = bytesToBase64(new Uint8Array(values.buffer));
  return upper ? { encoding, k, diagonal: rows.map((row, i) => row[i]!), data } : { encoding, k, data };
}

const LITTLE_ENDIAN = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

/** The stored cells of a packed matrix, NaN for null; throws PackedMatrixProblem naming what is wrong. */
export function packedValues(m: PackedMatrix): Float64Array {
  const expected = packedCellCount(m.encoding, m.k);
  const bytes = base64ToBytes(m.data);
  if (bytes.length !== 8 * expected) {
    throw new PackedMatrixProblem('data', `holds ${bytes.length} bytes, expected ${8 * expected} (${expected} float64 for ${m.encoding} of k = ${m.k})`);
  }
  let values: Float64Array;
  if (LITTLE_ENDIAN) values = new Float64Array(bytes.buffer, bytes.byteOffset, expected);
  else {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    values = Float64Array.from({ length: expected }, (_, n) => view.getFloat64(8 * n, true));
  }
  for (let n = 0; n < expected; n++) {
    const v = values[n]!;
    // NaN is the null marker; an infinity is no number a metric gives (results hold no Infinity).
    if (v === Infinity || v === -Infinity) throw new PackedMatrixProblem('data', `cell ${n} is ${v}; results hold no Infinity`);
  }
  return values;
}

/** Unpacked rows per packed object: a view redrawn for the same layer does not decode it again. */
const unpacked = new WeakMap<PackedMatrix, MatrixCells>();

/** The matrix as K rows of K numbers or nulls, whichever form the result holds it in. */
export function matrixRows(m: SquareMatrix): MatrixCells {
  if (!isPackedMatrix(m)) return m;
  const cached = unpacked.get(m);
  if (cached) return cached;
  const values = packedValues(m);
  const k = m.k;
  const cell = (v: number) => (Number.isNaN(v) ? null : v);
  const rows: MatrixCells = new Array(k);
  if (m.encoding === 'float64-upper-base64') {
    // Row i: cells j < i mirror (j, i), stored at j*k - j(j+1)/2 + (i - j - 1); cells j > i follow row i's start.
    for (let i = 0; i < k; i++) {
      const row: (number | null)[] = [];
      for (let j = 0; j < i; j++) row.push(cell(values[j * k - (j * (j + 1)) / 2 + (i - j - 1)]!));
      row.push(m.diagonal?.[i] ?? null);
      const start = i * k - (i * (i + 1)) / 2;
      for (let j = i + 1; j < k; j++) row.push(cell(values[start + (j - i - 1)]!));
      rows[i] = row;
    }
  } else {
    for (let i = 0; i < k; i++) rows[i] = Array.from(values.subarray(i * k, (i + 1) * k), cell);
  }
  unpacked.set(m, rows);
  return rows;
}

/** matrixRows for a field that may be absent or null. */
export function matrixRowsOrNull(m: SquareMatrix | null | undefined): MatrixCells | null {
  return m ? matrixRows(m) : null;
}

/** The matrix packed when there are more than PACK_ABOVE_CLASSES classes, as it was otherwise. */
export function packIfLarge(m: SquareMatrix): SquareMatrix {
  return !isPackedMatrix(m) && m.length > PACK_ABOVE_CLASSES ? packMatrix(m) : m;
}
