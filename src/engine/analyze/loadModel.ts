import type { ModelGraph } from '../../core/model/types';
import { sniffCheckpoint } from '../../core/model/sniff';
import { loadOnnxGraph } from '../../core/model/onnx';
import { loadTfjsModelGraph, TfjsModelError } from '../../core/model/tfjs';
import { fillOnnxShapesByRunning } from '../backends/onnxShapes';
import { UserError } from '../errors';

/**
 * Reads a checkpoint's graph by what its content is (not its name), with every layer's per-sample
 * shape known: ONNX exporters often leave intermediate shapes out, so one zero sample is run for them.
 */
export async function loadModelGraph(path: string, threads = 0): Promise<ModelGraph> {
  const sniff = await sniffCheckpoint(path);
  switch (sniff.kind) {
    case 'onnx':
      return fillOnnxShapesByRunning(await loadOnnxGraph(sniff.file), { threads });
    case 'tfjs-layers':
    case 'tfjs-graph':
      try {
        return loadTfjsModelGraph(sniff.file);
      } catch (err) {
        // A bad manifest or shard is the user's file to fix, not a crash: one clear line.
        throw err instanceof TfjsModelError ? new UserError(err.message) : err;
      }
    case 'unknown':
      throw new UserError(sniff.reason ?? `${path}: not an ONNX model or a TensorFlow.js model.json`);
  }
}
