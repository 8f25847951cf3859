import type { DecodedImage } from './decodedImage';

/** What the fast path needs from Node, passed in so the factory's source stands alone (see below). */
export interface PngFastPathDeps {
  /** zlib inflate of a whole zlib stream (header and Adler-32 checked). */
  inflate(compressed: Uint8Array): Uint8Array;
  /** CRC-32 (IEEE) of bytes[start, end). */
  crc32(bytes: Uint8Array, start: number, end: number): number;
}

export interface PngFastPath {
  /** Whether the bytes start with the PNG signature. */
  matches(bytes: Uint8Array): boolean;
  /**
   * Size and channels from the IHDR chunk (which PNG puts first), or null when there is no IHDR with a
   * good CRC there: read before decoding, to refuse an image too large to decode (see imageHeader.ts).
   */
  header(bytes: Uint8Array): { width: number; height: number; channels: 1 | 3 } | null;
  /**
   * Decodes 8-bit grey/RGB PNGs (with or without alpha, not interlaced), the common case: one inflate and
   * an unfilter, several times quicker than pngjs on small images. Returns null for the other PNGs
   * (palette, 16-bit, sub-byte, interlaced), which go to pngjs. Throws on a bad signature, CRC, or
   * truncated or missing chunks.
   */
  decode(bytes: Uint8Array): DecodedImage | null;
  /** Keeps the first `keep` of `samples` values per pixel (grey or RGB without alpha); the same array when nothing is dropped. */
  dropAlpha(pixels: Uint8Array, count: number, samples: number, keep: 1 | 3): Uint8Array;
  /** Whether a pixel of `samples` values per pixel (2 or 4: with alpha) is not fully opaque. */
  hasTransparency(pixels: Uint8Array, count: number, samples: number): boolean;
}

/**
 * The PNG fast path as a factory that references nothing outside its own body: the image-decoding
 * worker threads run `createPngFastPath.toString()` as their code, so the same decoder runs on the main
 * thread and in the workers, unbundled and in the webpack bundle alike. Keep it that way: no imports
 * used at run time, no module-level helpers (types are fine: they are erased).
 */
export function createPngFastPath(deps: PngFastPathDeps): PngFastPath {
  const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  // Samples per pixel by PNG colour type: grey, RGB, palette, grey+alpha, RGBA.
  const SAMPLES: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

  /**
   * Reverses PNG's per-row filters; rows are `stride` bytes plus one filter byte each. The first row
   * (no row above) and each row's first pixel (nothing to the left) are their own loops: the filters
   * then reduce to simpler ones, and the per-byte loops test nothing but the loop bound (with a test
   * per byte, a 28x28 image took ~10 us).
   */
  const unfilter = (raw: Uint8Array, height: number, stride: number, bpp: number): Uint8Array => {
    const out = new Uint8Array(height * stride);
    const first = Math.min(bpp, stride);
    for (let y = 0; y < height; y++) {
      const filter = raw[y * (stride + 1)]!;
      const src = y * (stride + 1) + 1;
      const row = y * stride;
      const prev = row - stride;
      // Without a row above, Up is None, Average halves the left byte only, and Paeth is Sub.
      const kind = y > 0 ? filter : filter === 2 ? 0 : filter === 4 ? 1 : filter;
      if (kind === 0) {
        out.set(raw.subarray(src, src + stride), row);
      } else if (kind === 1) {
        for (let x = 0; x < first; x++) out[row + x] = raw[src + x]!;
        for (let x = first; x < stride; x++) out[row + x] = raw[src + x]! + out[row + x - bpp]!;
      } else if (kind === 2) {
        for (let x = 0; x < stride; x++) out[row + x] = raw[src + x]! + out[prev + x]!;
      } else if (kind === 3 && y === 0) {
        for (let x = 0; x < first; x++) out[row + x] = raw[src + x]!;
        for (let x = first; x < stride; x++) out[row + x] = raw[src + x]! + (out[row + x - bpp]! >> 1);
      } else if (kind === 3) {
        for (let x = 0; x < first; x++) out[row + x] = raw[src + x]! + (out[prev + x]! >> 1);
        for (let x = first; x < stride; x++) out[row + x] = raw[src + x]! + ((out[row + x - bpp]! + out[prev + x]!) >> 1);
      } else if (kind === 4) {
        // The first pixel has no left or upper-left neighbour: Paeth picks the byte above.
        for (let x = 0; x < first; x++) out[row + x] = raw[src + x]! + out[prev + x]!;
        for (let x = first; x < stride; x++) {
          const a = out[row + x - bpp]!;
          const b = out[prev + x]!;
          const c = out[prev + x - bpp]!;
          const pa = Math.abs(b - c);
          const pb = Math.abs(a - c);
          const pc = Math.abs(a + b - 2 * c);
          out[row + x] = raw[src + x]! + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
        }
      } else {
        throw new Error(`bad PNG row filter ${filter} in row ${y}`);
      }
    }
    return out;
  };

  /** Whether any pixel's alpha (the last of `samples` values) is below 255: what dropping alpha loses. */
  const hasTransparency = (pixels: Uint8Array, count: number, samples: number): boolean => {
    if (samples !== 2 && samples !== 4) return false;
    for (let i = samples - 1; i < count * samples; i += samples) if (pixels[i]! !== 255) return true;
    return false;
  };

  /** Keeps grey or RGB samples, dropping alpha. */
  const dropAlpha = (pixels: Uint8Array, count: number, samples: number, keep: 1 | 3): Uint8Array => {
    if (samples === keep) return pixels;
    const out = new Uint8Array(count * keep);
    for (let i = 0; i < count; i++) for (let k = 0; k < keep; k++) out[i * keep + k] = pixels[i * samples + k]!;
    return out;
  };

  const matches = (bytes: Uint8Array): boolean => bytes.length >= 8 && SIGNATURE.every((b, i) => bytes[i] === b);

  const header = (bytes: Uint8Array): { width: number; height: number; channels: 1 | 3 } | null => {
    // Signature (8), IHDR length (4) and type (4), width, height, bit depth, colour type, 3 more bytes, CRC.
    if (!matches(bytes) || bytes.length < 33) return null;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const isIhdr = view.getUint32(8) === 13 && bytes[12] === 0x49 && bytes[13] === 0x48 && bytes[14] === 0x44 && bytes[15] === 0x52;
    if (!isIhdr || deps.crc32(bytes, 12, 29) !== view.getUint32(29)) return null;
    const colorType = bytes[25]!;
    return { width: view.getUint32(16), height: view.getUint32(20), channels: colorType === 0 || colorType === 4 ? 1 : 3 };
  };

  const decode = (bytes: Uint8Array): DecodedImage | null => {
    if (!matches(bytes)) throw new Error('not a PNG (bad signature)');
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let header: { width: number; height: number; bitDepth: number; colorType: number; interlace: number } | null = null;
    const idat: Uint8Array[] = [];
    let at = 8;
    let ended = false;
    while (at < bytes.length) {
      if (at + 12 > bytes.length) throw new Error('truncated PNG chunk');
      const length = view.getUint32(at);
      const type = String.fromCharCode(bytes[at + 4]!, bytes[at + 5]!, bytes[at + 6]!, bytes[at + 7]!);
      const dataStart = at + 8;
      const dataEnd = dataStart + length;
      if (dataEnd + 4 > bytes.length) throw new Error(`truncated PNG (${type} chunk runs past the end of the file)`);
      if (deps.crc32(bytes, at + 4, dataEnd) !== view.getUint32(dataEnd)) throw new Error(`PNG ${type} chunk fails its CRC check`);
      if (type === 'IHDR') {
        header = {
          width: view.getUint32(dataStart),
          height: view.getUint32(dataStart + 4),
          bitDepth: bytes[dataStart + 8]!,
          colorType: bytes[dataStart + 9]!,
          interlace: bytes[dataStart + 12]!,
        };
      } else if (type === 'IDAT') {
        idat.push(bytes.subarray(dataStart, dataEnd));
      } else if (type === 'IEND') {
        ended = true;
        break;
      }
      at = dataEnd + 4;
    }
    if (!header) throw new Error('PNG without IHDR');
    if (!ended) throw new Error('truncated PNG (no IEND chunk)');
    if (idat.length === 0) throw new Error('PNG without image data');
    const samples = SAMPLES[header.colorType];
    if (samples === undefined) throw new Error(`bad PNG colour type ${header.colorType}`);
    if (header.bitDepth !== 8 || header.interlace !== 0 || header.colorType === 3) return null;

    const { width, height } = header;
    const stride = width * samples;
    let compressed = idat[0]!;
    if (idat.length > 1) {
      compressed = new Uint8Array(idat.reduce((n, c) => n + c.length, 0));
      let offset = 0;
      for (const chunk of idat) {
        compressed.set(chunk, offset);
        offset += chunk.length;
      }
    }
    const expected = height * (stride + 1);
    const raw = deps.inflate(compressed);
    if (raw.length < expected) throw new Error(`truncated PNG image data (${raw.length} of ${expected} bytes)`);
    const pixels = unfilter(raw, height, stride, samples);
    const channels: 1 | 3 = header.colorType === 0 || header.colorType === 4 ? 1 : 3;
    const image: DecodedImage = { width, height, channels, data: dropAlpha(pixels, width * height, samples, channels) };
    if (hasTransparency(pixels, width * height, samples)) image.droppedAlpha = true;
    return image;
  };

  return { matches, header, decode, dropAlpha, hasTransparency };
}
