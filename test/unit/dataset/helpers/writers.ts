/**
 * Writers for test datasets in every supported format, independent of the readers under test (only the
 * CRC-32 table is shared). Exported for the integration tests that compare metrics across formats.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { deflateRawSync, gzipSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { encode as encodeJpeg } from 'jpeg-js';
import { crc32 } from '../../../../src/core/dataset/crc32';

export function tempDir(prefix: string): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), `cl-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs `body` in a fresh temporary folder, removed afterwards whether it passed or threw. */
export async function withTempDir(prefix: string, body: (dir: string) => Promise<void> | void): Promise<void> {
  const { dir, cleanup } = tempDir(prefix);
  try {
    await body(dir);
  } finally {
    cleanup();
  }
}

function write(path: string, bytes: Uint8Array): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
  return path;
}

type Typed = Uint8Array | Int8Array | Int16Array | Int32Array | BigInt64Array | Float32Array | Float64Array;

function descrOf(data: Typed): string {
  if (data instanceof Uint8Array) return '|u1';
  if (data instanceof Int8Array) return '|i1';
  if (data instanceof Int16Array) return '<i2';
  if (data instanceof Int32Array) return '<i4';
  if (data instanceof BigInt64Array) return '<i8';
  if (data instanceof Float32Array) return '<f4';
  return '<f8';
}

/** A .npy file (format 1.0) in C order, or with the Fortran flag set when asked (data as given). */
export function npyBytes(data: Typed, shape: number[], options: { fortran?: boolean; descr?: string } = {}): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${options.descr ?? descrOf(data)}', 'fortran_order': ${options.fortran ? 'True' : 'False'}, 'shape': ${shapeText}, }`;
  // NumPy pads the header with spaces so the data starts on a 64-byte boundary, ending with a newline.
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]);
  out.set(Buffer.from(header, 'latin1'), 10);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + header.length);
  return out;
}

export function writeNpy(path: string, data: Typed, shape: number[], options?: { fortran?: boolean; descr?: string }): string {
  return write(path, npyBytes(data, shape, options));
}

/** A zip of .npy members, stored (np.savez) or deflated (np.savez_compressed). */
export function zipBytes(members: Record<string, Uint8Array>, compress: boolean): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(members)) {
    const nameBytes = Buffer.from(name, 'utf8');
    const body = compress ? deflateRawSync(content) : Buffer.from(content);
    const crc = crc32(content);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(compress ? 8 : 0, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(content.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(compress ? 8 : 0, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(content.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, body);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(members).length, 8);
  end.writeUInt16LE(Object.keys(members).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, directory, end]));
}

/**
 * An .npz of arrays given in C order; `fortran: true` stores that array in Fortran order (its data
 * transposed, the header flag set), as np.savez does for a transposed or F-contiguous array.
 */
export function writeNpz(path: string, arrays: Record<string, { data: Typed; shape: number[]; fortran?: boolean }>, compress = false): string {
  const members: Record<string, Uint8Array> = {};
  for (const [name, a] of Object.entries(arrays)) {
    members[`${name}.npy`] = a.fortran ? npyBytes(toFortranOrder(a.data, a.shape), a.shape, { fortran: true }) : npyBytes(a.data, a.shape);
  }
  return write(path, zipBytes(members, compress));
}

/** The items of a C-order array of `shape` in Fortran order (first axis fastest), written independently of the reader. */
export function toFortranOrder<T extends Typed>(data: T, shape: number[]): T {
  const out = data.slice() as T;
  const n = shape.reduce((a, d) => a * d, 1);
  const index = new Array<number>(shape.length).fill(0);
  for (let c = 0; c < n; c++) {
    let f = 0;
    for (let a = shape.length - 1; a >= 0; a--) f = f * shape[a]! + index[a]!;
    out[f] = data[c]!;
    for (let a = shape.length - 1; a >= 0; a--) {
      if (++index[a]! < shape[a]!) break;
      index[a] = 0;
    }
  }
  return out;
}

const IDX_TYPES = { uint8: 0x08, int8: 0x09, int16: 0x0b, int32: 0x0c, float32: 0x0d, float64: 0x0e } as const;

/** An IDX file; values are written big-endian as the format wants. */
export function idxBytes(type: keyof typeof IDX_TYPES, dims: number[], values: ArrayLike<number>): Uint8Array {
  const size = { uint8: 1, int8: 1, int16: 2, int32: 4, float32: 4, float64: 8 }[type];
  const out = Buffer.alloc(4 + 4 * dims.length + values.length * size);
  out[2] = IDX_TYPES[type];
  out[3] = dims.length;
  dims.forEach((d, i) => out.writeUInt32BE(d, 4 + 4 * i));
  let at = 4 + 4 * dims.length;
  for (let i = 0; i < values.length; i++, at += size) {
    const v = values[i]!;
    if (type === 'uint8') out.writeUInt8(v, at);
    else if (type === 'int8') out.writeInt8(v, at);
    else if (type === 'int16') out.writeInt16BE(v, at);
    else if (type === 'int32') out.writeInt32BE(v, at);
    else if (type === 'float32') out.writeFloatBE(v, at);
    else out.writeDoubleBE(v, at);
  }
  return new Uint8Array(out);
}

export function writeIdx(path: string, type: keyof typeof IDX_TYPES, dims: number[], values: ArrayLike<number>, gzip = false): string {
  const bytes = idxBytes(type, dims, values);
  return write(path, gzip ? new Uint8Array(gzipSync(bytes)) : bytes);
}

/** CIFAR records: [coarse,] label, then the 3x32x32 image planes. */
export function cifarBytes(records: { labels: number[]; image: Uint8Array }[]): Uint8Array {
  const size = records[0]!.labels.length + 3072;
  const out = new Uint8Array(records.length * size);
  records.forEach((r, i) => {
    out.set(r.labels, i * size);
    out.set(r.image, i * size + r.labels.length);
  });
  return out;
}

export function writeCifar(path: string, records: { labels: number[]; image: Uint8Array }[]): string {
  return write(path, cifarBytes(records));
}

/** An 8-bit PNG from grey (1 channel) or RGB (3 channels) pixels, HWC order. */
export function pngBytes(width: number, height: number, channels: 1 | 3, pixels: Uint8Array): Uint8Array {
  const png = new PNG({ width, height });
  const colorType = channels === 1 ? 0 : 2;
  png.data = Buffer.from(pixels);
  return new Uint8Array(PNG.sync.write(png, { colorType, inputColorType: colorType, inputHasAlpha: false }));
}

export function writePng(path: string, width: number, height: number, channels: 1 | 3, pixels: Uint8Array): string {
  return write(path, pngBytes(width, height, channels, pixels));
}

/** An 8-bit RGBA PNG (colour type 6) from RGBA pixels, HWC order. */
export function pngRgbaBytes(width: number, height: number, rgba: Uint8Array): Uint8Array {
  const png = new PNG({ width, height });
  png.data = Buffer.from(rgba);
  return new Uint8Array(PNG.sync.write(png, { colorType: 6, inputColorType: 6, inputHasAlpha: true }));
}

/**
 * The PNG signature and a valid IHDR (CRC included) claiming width x height 8-bit grey, and nothing
 * after it: what a header-only check must refuse without decoding (the pixels would not even be there).
 */
export function pngHeaderOnly(width: number, height: number): Uint8Array {
  const chunk = Buffer.alloc(12 + 13);
  chunk.writeUInt32BE(13, 0);
  chunk.write('IHDR', 4, 'latin1');
  chunk.writeUInt32BE(width, 8);
  chunk.writeUInt32BE(height, 12);
  chunk[16] = 8; // bit depth; colour type 0 (grey), compression, filter and interlace 0
  chunk.writeUInt32BE(crc32(chunk.subarray(4, 21)), 21);
  return new Uint8Array(Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk]));
}

/** SOI and a baseline frame header (SOF0) claiming width x height with `components` channels, and nothing after. */
export function jpegHeaderOnly(width: number, height: number, components: 1 | 3): Uint8Array {
  const length = 8 + 3 * components;
  const out = [0xff, 0xd8, 0xff, 0xc0, length >> 8, length & 0xff, 8, height >> 8, height & 0xff, width >> 8, width & 0xff, components];
  for (let c = 0; c < components; c++) out.push(c + 1, 0x11, 0);
  return Uint8Array.from(out);
}

export function writeJpeg(path: string, width: number, height: number, rgb: Uint8Array, quality = 90): string {
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    rgba.set(rgb.subarray(i * 3, i * 3 + 3), i * 4);
    rgba[i * 4 + 3] = 255;
  }
  return write(path, new Uint8Array(encodeJpeg({ data: rgba, width, height }, quality).data));
}

export function writeBytes(path: string, bytes: Uint8Array | string): string {
  return write(path, typeof bytes === 'string' ? Buffer.from(bytes) : bytes);
}

/** Pixels whose values depend on position, sample and channel, so any misplaced value shows. */
export function patternImage(sample: number, h: number, w: number, c: number): Uint8Array {
  const out = new Uint8Array(h * w * c);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let k = 0; k < c; k++) out[(y * w + x) * c + k] = (sample * 37 + y * 11 + x * 3 + k * 71) & 0xff;
  return out;
}
