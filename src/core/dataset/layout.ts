import type { DatasetSource } from './types';

export type SampleLayout = DatasetSource['sampleLayout'];

const CHANNEL_COUNTS = new Set([1, 3, 4]);

/**
 * How a stored sample's shape reads as an image. A channel count of 1, 3 or 4 last means HWC (NumPy/Keras
 * habit), first means CHW (PyTorch habit); anything else is flat (features for an MLP).
 */
export function inferSampleLayout(shape: number[]): SampleLayout {
  if (shape.length === 2) return 'hw';
  if (shape.length === 3) {
    if (CHANNEL_COUNTS.has(shape[2]!)) return 'hwc';
    if (CHANNEL_COUNTS.has(shape[0]!)) return 'chw';
  }
  return 'flat';
}

/** Height, width and channels of a sample, or null for a flat one. */
export function sampleGeometry(shape: number[], layout: SampleLayout): { h: number; w: number; c: number } | null {
  switch (layout) {
    case 'hw':
      return { h: shape[0]!, w: shape[1]!, c: 1 };
    case 'hwc':
      return { h: shape[0]!, w: shape[1]!, c: shape[2]! };
    case 'chw':
      return { h: shape[1]!, w: shape[2]!, c: shape[0]! };
    default:
      return null;
  }
}

export function product(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
