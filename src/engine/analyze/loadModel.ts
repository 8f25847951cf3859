import type { ModelGraph } from '../../core/model/types';
import { sniffCheckpoint } from '../../core/model/sniff';
import { findNonFiniteInitializers, isOnnxModel, loadOnnxGraph } from '../../core/model/onnx';
import { findNonFiniteTfjsWeights, isTfjsModelGraph, loadTfjsModelGraph, TfjsModelError } from '../../core/model/tfjs';
import { nonFiniteWeightsMessage, type NonFiniteWeight } from '../../core/model/nonFiniteWeights';
import { fillOnnxShapesByRunning } from '../backends/onnxShapes';
import { UserError } from '../errors';

/**
 * Reads a checkpoint's graph by what its content is (not its name), with every layer's per-sample
 * shape known: ONNX exporters often leave intermediate shapes out, so one zero sample is run for them.
 */
export async function loadModelGraph(path: string, threads = 0): Promise<ModelGraph> {
  return withoutUnknownDefaults(await readModelGraph(path, threads));
}

/**
 * A default probe must have a per-sample shape: whatever the format, a layer whose shape is still not
 * fully known after resolution is taken out of the defaults (and says why), instead of failing the run.
 */
export function withoutUnknownDefaults(graph: ModelGraph): ModelGraph {
  if (!graph.layers.some((l) => l.auto && l.shape.some((d) => d === null))) return graph;
  const layers = graph.layers.map((l) =>
    l.auto && l.shape.some((d) => d === null)
      ? { ...l, auto: false, shapeUnknown: l.shapeUnknown ?? 'its per-sample shape could not be resolved' }
      : l,
  );
  return { ...graph, layers };
}

async function readModelGraph(path: string, threads: number): Promise<ModelGraph> {
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

/**
 * Refuses a model whose weights hold NaN (or infinite values where they cannot be meant): its features
 * would be NaN for every input. Checked once the graph is loaded, before any sample is read, so the message
 * names the weights instead of the first layer they poison.
 */
export function assertFiniteWeights(graph: ModelGraph): void {
  let found: NonFiniteWeight[] = [];
  if (isOnnxModel(graph)) found = findNonFiniteInitializers(graph.proto, graph.path);
  else if (isTfjsModelGraph(graph)) found = findNonFiniteTfjsWeights(graph.weightGroups, graph.path, graph.format === 'tfjs-layers');
  if (found.length > 0) throw new UserError(nonFiniteWeightsMessage(graph.path, found));
}
