import * as tf from '@tensorflow/tfjs';
import type { FlatRef, TfjsLayersGraph } from '../../core/model/tfjs';

type Symbolic = tf.SymbolicTensor;

function runtimeLayer(model: tf.LayersModel, modelPath: string[], layerName: string): tf.layers.Layer {
  let container: tf.LayersModel = model;
  for (const nested of modelPath) {
    const inner = container.getLayer(nested);
    if (!(inner instanceof tf.LayersModel)) throw new Error(`layer "${nested}" of the loaded model is not a nested model`);
    container = inner;
  }
  return container.getLayer(layerName);
}

function asList(out: Symbolic | Symbolic[] | tf.Tensor | tf.Tensor[]): Symbolic[] {
  const list = Array.isArray(out) ? out : [out];
  return list.map((t) => {
    if (!(t instanceof tf.SymbolicTensor)) throw new Error('a layer returned a concrete tensor while tracing the probe model');
    return t;
  });
}

/**
 * A Dense layer's logits before its activation: a linear Dense with the same weights (copied once; the
 * values are identical, so the matmul and bias add are the same float32 computation as inside the layer).
 * Chosen over recomputing W h + b from the probed input because it stays in the same single inference.
 */
function linearTwin(dense: tf.layers.Layer, input: Symbolic): Symbolic {
  const config = dense.getConfig();
  const twin = tf.layers.dense({
    units: Number(config['units']),
    useBias: config['useBias'] !== false,
    activation: 'linear',
  });
  const out = asList(twin.apply(input))[0];
  twin.setWeights(dense.getWeights());
  return out;
}

/**
 * One multi-output model serving every probe: the layers are re-applied in the flat order of the graph
 * description, which opens nested models up so their inner layers become reachable from the outer input.
 * The layer objects (and their weights) are the loaded model's own.
 */
export function buildLayersProbeModel(model: tf.LayersModel, graph: TfjsLayersGraph, fetch: string[]): tf.LayersModel {
  const inputs = model.inputs;
  const traced = new Map<string, Symbolic[]>();
  const refTensor = (ref: FlatRef): Symbolic => {
    const t = ref.kind === 'input' ? inputs[ref.index] : traced.get(ref.node)?.[ref.tensor];
    if (!t) throw new Error(`probe model: ${ref.kind === 'input' ? `input ${ref.index}` : `output ${ref.tensor} of "${ref.node}"`} is not available`);
    return t;
  };
  const wanted = new Set(fetch);
  for (const node of graph.keras.nodes) {
    const layer = runtimeLayer(model, node.modelPath, node.layerName);
    const args = node.inputs.map(refTensor);
    traced.set(node.name, asList(layer.apply(args.length === 1 ? args[0] : args)));
    if (graph.preActivation?.dense === node.name && wanted.has(graph.preActivation.name)) {
      traced.set(graph.preActivation.name, [linearTwin(layer, args[0])]);
    }
  }
  const outputs = fetch.map((name) => {
    const t = traced.get(name)?.[0];
    if (!t) throw new Error(`probe model: no layer output named "${name}"`);
    return t;
  });
  return tf.model({ inputs, outputs });
}
