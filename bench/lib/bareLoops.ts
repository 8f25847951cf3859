/**
 * One bare runtime loop per runner kind: the runtime alone on images already in memory, fetching only
 * the model's output. This is the spot where the TF.js row plugs in (see bench/onnx.ts).
 */
import { bareOnnxLoop, type BareResult } from './bareOnnx';
import type { LoadedImages } from './fashionMnist';

export type RunnerKind = 'onnx' | 'tfjs';
export const RUNNER_KINDS: readonly RunnerKind[] = ['onnx', 'tfjs'];

/** Fashion-MNIST as the fixtures take it: one channel, 28 x 28 (NCHW; the same bytes as NHWC). */
export const FASHION_SAMPLE_SHAPE = [1, 28, 28];

export async function bareLoop(kind: RunnerKind, modelPath: string, images: LoadedImages, batchSize: number): Promise<BareResult> {
  switch (kind) {
    case 'onnx':
      return bareOnnxLoop(modelPath, images.input, images.labels, FASHION_SAMPLE_SHAPE, batchSize);
    case 'tfjs':
      // To add: load model.json with @tensorflow/tfjs on the wasm backend (same backend and threads as
      // src/engine/backends/tfjsBackend.ts), then predict() per batch on tensors made from images.input
      // (reshaped to the model's input, e.g. [rows, 28, 28, 1]) and read back only the output.
      throw new Error(`the bare TF.js loop is not written yet (bench/lib/bareLoops.ts); ${modelPath} cannot be benchmarked`);
  }
}
