/**
 * Bilinear resampling as Pillow does it (Resample.c, Pillow 9-11), which is what torchvision's Resize
 * runs on PIL images: a triangle filter whose support widens with the shrink factor (antialiasing: every
 * source pixel under the output pixel counts), weights normalised per output pixel and rounded to 22-bit
 * fixed point, the horizontal pass first with its result rounded and clipped to 8 bits, then the vertical
 * pass. Matching those roundings makes the output equal to PIL's byte for byte (checked against PIL's own
 * output in test/unit/dataset/imageTransform.test.ts), not merely close.
 *
 * Unlike preprocess/bilinear.ts (PyTorch's F.interpolate without antialiasing, for whole arrays), this is
 * the resize of the ImageNet evaluation transform, where shrinking a 500x375 photo to 341x256 without
 * antialiasing would alias.
 */

const PRECISION_BITS = 32 - 8 - 2;
const ONE = 1 << PRECISION_BITS;
const HALF = 1 << (PRECISION_BITS - 1);

/** Fixed-point taps of the output pixels first..first+count-1 along one axis. */
interface FixedTaps {
  /** First source index of each output pixel. */
  start: Int32Array;
  /** Taps per output pixel. */
  length: Int32Array;
  /** `ksize` weights per output pixel (the first `length` used), in units of 2^-22. */
  weights: Int32Array;
  ksize: number;
}

const triangle = (x: number): number => {
  const a = Math.abs(x);
  return a < 1 ? 1 - a : 0;
};

/** Pillow's precompute_coeffs + normalize_coeffs_8bpc for a bilinear filter, for a window of outputs. */
function fixedTaps(inSize: number, outSize: number, first: number, count: number): FixedTaps {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = filterScale; // the triangle's support is 1, widened by the shrink factor
  const ksize = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(count);
  const length = new Int32Array(count);
  const weights = new Int32Array(count * ksize);
  const raw = new Float64Array(ksize);
  const inverse = 1 / filterScale;
  for (let o = 0; o < count; o++) {
    const center = (first + o + 0.5) * scale;
    // C's (int) truncates toward zero; center - support + 0.5 can be negative, which Pillow then clamps.
    const xmin = Math.max(Math.trunc(center - support + 0.5), 0);
    const xmax = Math.min(Math.trunc(center + support + 0.5), inSize) - xmin;
    let sum = 0;
    for (let x = 0; x < xmax; x++) {
      const w = triangle((x + xmin - center + 0.5) * inverse);
      raw[x] = w;
      sum += w;
    }
    for (let x = 0; x < xmax; x++) {
      const k = sum !== 0 ? raw[x]! / sum : raw[x]!;
      weights[o * ksize + x] = k < 0 ? Math.trunc(-0.5 + k * ONE) : Math.trunc(0.5 + k * ONE);
    }
    start[o] = xmin;
    length[o] = xmax;
  }
  return { start, length, weights, ksize };
}

/**
 * Pillow's clip8: the fixed-point sum back to a byte. The sum fits an int32 (255 x 2^22 x the weights'
 * sum, about 1), so `>>` floors it exactly as C's shift of a negative int does.
 */
const clip8 = (sum: number): number => {
  const v = sum >> PRECISION_BITS;
  return v < 0 ? 0 : v > 255 ? 255 : v;
};

/** A window of the resized image: rows top..top+height-1, columns left..left+width-1. */
export interface CropBox {
  top: number;
  left: number;
  height: number;
  width: number;
}

/**
 * Resizes an 8-bit HWC image (c channels) to outH x outW as PIL's Image.resize(BILINEAR) does, and
 * returns only the `crop` window of the result. Each output pixel depends only on its own taps, so
 * computing the window alone gives the same bytes as resizing everything and cropping after, for less
 * work (a 500x375 photo to 341x256, cropped to 224: a third fewer columns). An axis whose size does not
 * change is copied, not filtered, as Pillow skips that pass.
 */
export function resizeCropAntialiased(data: Uint8Array, h: number, w: number, c: number, outH: number, outW: number, crop: CropBox): Uint8Array {
  const { top, left, height, width } = crop;
  if (top < 0 || left < 0 || top + height > outH || left + width > outW) {
    throw new Error(`crop ${width}x${height} at (${left}, ${top}) is outside the ${outW}x${outH} image`);
  }
  // Vertical taps first: they say which source rows the horizontal pass must produce.
  const vertical = outH === h ? null : fixedTaps(h, outH, top, height);
  let rowFirst = top;
  let rowEnd = top + height;
  if (vertical) {
    rowFirst = vertical.start[0]!;
    rowEnd = vertical.start[height - 1]! + vertical.length[height - 1]!;
  }
  const rows = rowEnd - rowFirst;
  // Horizontal pass over the needed rows, rounded to bytes as Pillow's intermediate image is.
  let mid: Uint8Array;
  if (outW === w) {
    mid = new Uint8Array(rows * width * c);
    for (let y = 0; y < rows; y++) mid.set(data.subarray(((rowFirst + y) * w + left) * c, ((rowFirst + y) * w + left + width) * c), y * width * c);
  } else {
    const taps = fixedTaps(w, outW, left, width);
    mid = new Uint8Array(rows * width * c);
    for (let y = 0; y < rows; y++) {
      const rowIn = (rowFirst + y) * w * c;
      const rowOut = y * width * c;
      for (let x = 0; x < width; x++) {
        const n = taps.length[x]!;
        const k0 = x * taps.ksize;
        let at = rowIn + taps.start[x]! * c;
        if (c === 3) {
          // The three channels share each tap's weight: one pass over the taps instead of three.
          let r = HALF;
          let g = HALF;
          let b = HALF;
          for (let t = 0; t < n; t++, at += 3) {
            const k = taps.weights[k0 + t]!;
            r += data[at]! * k;
            g += data[at + 1]! * k;
            b += data[at + 2]! * k;
          }
          mid[rowOut + x * 3] = clip8(r);
          mid[rowOut + x * 3 + 1] = clip8(g);
          mid[rowOut + x * 3 + 2] = clip8(b);
        } else {
          for (let ch = 0; ch < c; ch++) {
            let sum = HALF;
            for (let t = 0; t < n; t++) sum += data[at + t * c + ch]! * taps.weights[k0 + t]!;
            mid[rowOut + x * c + ch] = clip8(sum);
          }
        }
      }
    }
  }
  if (!vertical) return mid;
  const out = new Uint8Array(height * width * c);
  const stride = width * c;
  // Row by row: each tap adds a whole source row to the sums, reading memory in order.
  const sums = new Int32Array(stride);
  for (let y = 0; y < height; y++) {
    sums.fill(HALF);
    const y0 = vertical.start[y]! - rowFirst;
    const n = vertical.length[y]!;
    const k0 = y * vertical.ksize;
    for (let t = 0; t < n; t++) {
      const k = vertical.weights[k0 + t]!;
      const row = (y0 + t) * stride;
      for (let i = 0; i < stride; i++) sums[i] += mid[row + i]! * k;
    }
    const outRow = y * stride;
    for (let i = 0; i < stride; i++) out[outRow + i] = clip8(sums[i]!);
  }
  return out;
}
