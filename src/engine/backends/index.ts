/**
 * The one place the engine turns a model graph into a runner. Runtimes are loaded lazily so that an
 * ONNX analysis never loads TensorFlow.js and a TF.js one never loads the onnxruntime native addon.
 */
import type { ModelGraph, ModelRunner, RunnerOptions } from '../../core/model/types';
import { isOnnxModel } from '../../core/model/onnx/types';

export async function createRunner(graph: ModelGraph, options: RunnerOptions): Promise<ModelRunner> {
  switch (graph.format) {
    case 'onnx': {
      if (!isOnnxModel(graph)) throw new Error(`${graph.path}: an ONNX graph must come from loadOnnxGraph`);
      const { createOnnxRunner } = await import('./onnxRunner');
      return createOnnxRunner(graph, options);
    }
    case 'tfjs-layers':
    case 'tfjs-graph':
      // TF.js: add `const { createTfjsRunner } = await import('./tfjsRunner'); return createTfjsRunner(graph, options);`
      throw new Error(`${graph.path}: no runner for ${graph.format} models yet`);
  }
}
