import { bilinearAxis } from './bilinear';
import { LUMA } from '../color';
import type { SampleLayout } from '../layout';

/**
 * Every preprocessing step but the final affine one is linear in the stored values: each model input value
 * is a weighted sum of `taps` stored values (1 for a copy or layout change, 3 for RGB -> grey, 4 for
 * bilinear, 12 for both). `channel` says which mean/std applies to each output value.
 */
export interface LinearMap {
  size: number;
  taps: number;
  index: Int32Array;
  weight: Float64Array;
  channel: Uint8Array;
}

export interface ImageGeometry {
  h: number;
  w: number;
  c: number;
}

export interface ImageTarget {
  h: number;
  w: number;
  c: number;
  layout: 'nchw' | 'nhwc';
}

function sourceIndexer(layout: SampleLayout, g: ImageGeometry): (y: number, x: number, c: number) => number {
  switch (layout) {
    case 'chw':
      return (y, x, c) => c * g.h * g.w + y * g.w + x;
    case 'hwc':
      return (y, x, c) => (y * g.w + x) * g.c + c;
    default:
      return (y, x) => y * g.w + x;
  }
}

/** Stored channels (with weights) that make model channel `c`. */
function channelTaps(sourceChannels: number, targetChannels: number, c: number, bgr: boolean): [number, number][] {
  if (sourceChannels === targetChannels) return [[bgr && targetChannels === 3 ? 2 - c : c, 1]];
  if (sourceChannels === 1) return [[0, 1]];
  return [
    [0, LUMA[0]],
    [1, LUMA[1]],
    [2, LUMA[2]],
  ];
}

/** Image to image: channel conversion, bilinear resize when sizes differ, output in the model's layout. */
export function imageMap(layout: SampleLayout, g: ImageGeometry, target: ImageTarget, bgr: boolean): LinearMap {
  const src = sourceIndexer(layout, g);
  const resize = g.h !== target.h || g.w !== target.w;
  const ys = bilinearAxis(g.h, target.h);
  const xs = bilinearAxis(g.w, target.w);
  const spatial = resize ? 4 : 1;
  const perChannel = Array.from({ length: target.c }, (_, c) => channelTaps(g.c, target.c, c, bgr));
  const taps = spatial * perChannel[0]!.length;
  const size = target.h * target.w * target.c;
  const index = new Int32Array(size * taps);
  const weight = new Float64Array(size * taps);
  const channel = new Uint8Array(size);
  for (let y = 0; y < target.h; y++) {
    for (let x = 0; x < target.w; x++) {
      const points: [number, number, number][] = resize
        ? [
            [ys.lo[y]!, xs.lo[x]!, (1 - ys.frac[y]!) * (1 - xs.frac[x]!)],
            [ys.lo[y]!, xs.hi[x]!, (1 - ys.frac[y]!) * xs.frac[x]!],
            [ys.hi[y]!, xs.lo[x]!, ys.frac[y]! * (1 - xs.frac[x]!)],
            [ys.hi[y]!, xs.hi[x]!, ys.frac[y]! * xs.frac[x]!],
          ]
        : [[y, x, 1]];
      for (let c = 0; c < target.c; c++) {
        const o = target.layout === 'nchw' ? (c * target.h + y) * target.w + x : (y * target.w + x) * target.c + c;
        channel[o] = c;
        let t = o * taps;
        for (const [py, px, pw] of points) {
          for (const [sc, cw] of perChannel[c]!) {
            index[t] = src(py, px, sc);
            weight[t] = pw * cw;
            t++;
          }
        }
      }
    }
  }
  return { size, taps, index, weight, channel };
}

/**
 * Values kept in stored order (flatten for an MLP, or a flat array reshaped to the model's image). Only
 * a BGR request on an RGB image reorders; `channelOf` gives the mean/std channel of each value.
 */
export function copyMap(size: number, channelOf: (i: number) => number, permute: (i: number) => number = (i) => i): LinearMap {
  const index = new Int32Array(size);
  const channel = new Uint8Array(size);
  for (let i = 0; i < size; i++) {
    index[i] = permute(i);
    channel[i] = channelOf(i);
  }
  return { size, taps: 1, index, weight: new Float64Array(size).fill(1), channel };
}

/** Channel of element i and the BGR swap, for a flattened stored image. */
export function storedChannels(layout: SampleLayout, g: ImageGeometry): { channelOf: (i: number) => number; swapRB: (i: number) => number } {
  const plane = g.h * g.w;
  if (layout === 'chw') {
    return {
      channelOf: (i) => Math.floor(i / plane),
      swapRB: (i) => {
        const c = Math.floor(i / plane);
        return g.c === 3 ? (2 - c) * plane + (i % plane) : i;
      },
    };
  }
  if (layout === 'hwc') {
    return {
      channelOf: (i) => i % g.c,
      swapRB: (i) => (g.c === 3 ? i - (i % 3) + (2 - (i % 3)) : i),
    };
  }
  return { channelOf: () => 0, swapRB: (i) => i };
}
