/**
 * The one place the engine turns a model graph into a runner. Runtimes are loaded lazily so that an
 * ONNX analysis never loads TensorFlow.js and a TF.js one never loads the onnxruntime native addon.
 */
import type { ModelGraph, ModelRunner, RunnerOptions } from '../../core/model/types';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isOnnxModel } from '../../core/model/onnx/types';

/** Bundled, the engine finds the TF.js .wasm binaries beside it (webpack copies them to dist/wasm). */
function bundledWasmDir(): { wasmDir?: string } {
  const dir = join(__dirname, 'wasm');
  return existsSync(dir) ? { wasmDir: dir } : {};
}

export async function createRunner(graph: ModelGraph, options: RunnerOptions): Promise<ModelRunner> {
  switch (graph.format) {
    case 'onnx': {
      if (!isOnnxModel(graph)) throw new Error(`${graph.path}: an ONNX graph must come from loadOnnxGraph`);
      const { createOnnxRunner } = await import('./onnxRunner');
      return createOnnxRunner(graph, options);
    }
    case 'tfjs-layers':
    case 'tfjs-graph': {
      const { isTfjsModelGraph } = await import('../../core/model/tfjs');
      if (!isTfjsModelGraph(graph)) throw new Error(`${graph.path}: a TF.js graph must come from loadTfjsModelGraph`);
      const { createTfjsRunner } = await import('./tfjsRunner');
      return createTfjsRunner(graph, { ...options, ...bundledWasmDir() });
    }
  }
}
