/**
 * One bare runtime loop per runner kind: the runtime alone on images already in memory, fetching only
 * the model's output.
 */
import { bareOnnxLoop } from './bareOnnx';
import { bareTfjsLoop } from './bareTfjs';
import type { LoadedImages } from './fashionMnist';
import type { BareResult } from './timedAccuracyLoop';

export type RunnerKind = 'onnx' | 'tfjs';
export const RUNNER_KINDS: readonly RunnerKind[] = ['onnx', 'tfjs'];

/** Fashion-MNIST as the fixtures take it: one channel, 28 x 28 (NCHW; the same bytes as NHWC). */
export const FASHION_SAMPLE_SHAPE = [1, 28, 28];

export async function bareLoop(kind: RunnerKind, modelPath: string, images: LoadedImages, batchSize: number): Promise<BareResult> {
  switch (kind) {
    case 'onnx':
      return bareOnnxLoop(modelPath, images.input, images.labels, FASHION_SAMPLE_SHAPE, batchSize);
    case 'tfjs':
      return bareTfjsLoop(modelPath, images.input, images.labels, FASHION_SAMPLE_SHAPE.reduce((a, b) => a * b, 1), batchSize);
  }
}
