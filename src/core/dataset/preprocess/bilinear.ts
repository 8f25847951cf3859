/**
 * Bilinear resampling with half-pixel centres and no antialiasing: the convention of PyTorch's
 * F.interpolate(mode='bilinear', align_corners=False) and TF2's tf.image.resize(method='bilinear',
 * antialias=False). PIL's resize differs when shrinking (it widens its filter).
 */
export interface AxisTaps {
  /** Lower source index per output index. */
  lo: Int32Array;
  /** Upper source index (equal to lo at the last pixel). */
  hi: Int32Array;
  /** Weight of `hi`; `lo` gets 1 - this. */
  frac: Float64Array;
}

export function bilinearAxis(inSize: number, outSize: number): AxisTaps {
  const lo = new Int32Array(outSize);
  const hi = new Int32Array(outSize);
  const frac = new Float64Array(outSize);
  const scale = inSize / outSize;
  for (let o = 0; o < outSize; o++) {
    const src = Math.max((o + 0.5) * scale - 0.5, 0);
    const i0 = Math.min(Math.floor(src), inSize - 1);
    lo[o] = i0;
    hi[o] = i0 < inSize - 1 ? i0 + 1 : i0;
    frac[o] = i0 < inSize - 1 ? src - i0 : 0;
  }
  return { lo, hi, frac };
}

/** Resizes an 8-bit HWC image, rounding to the nearest level. */
export function resizeUint8(data: Uint8Array, h: number, w: number, c: number, outH: number, outW: number): Uint8Array {
  const ys = bilinearAxis(h, outH);
  const xs = bilinearAxis(w, outW);
  const out = new Uint8Array(outH * outW * c);
  for (let y = 0; y < outH; y++) {
    const y0 = ys.lo[y]! * w;
    const y1 = ys.hi[y]! * w;
    const fy = ys.frac[y]!;
    for (let x = 0; x < outW; x++) {
      const x0 = xs.lo[x]!;
      const x1 = xs.hi[x]!;
      const fx = xs.frac[x]!;
      for (let k = 0; k < c; k++) {
        const top = data[(y0 + x0) * c + k]! * (1 - fx) + data[(y0 + x1) * c + k]! * fx;
        const bottom = data[(y1 + x0) * c + k]! * (1 - fx) + data[(y1 + x1) * c + k]! * fx;
        out[(y * outW + x) * c + k] = Math.round(top * (1 - fy) + bottom * fy);
      }
    }
  }
  return out;
}
