import * as path from 'node:path';
import type { ClassifierInfo, LayerInfo, ModelGraph, ModelInputSpec } from '../types';
import { classifierFields, type ClassifierSearch } from './classifierFields';
import { TfjsModelError } from './errors';
import { booleanAt, numberAt, stringAt, type JsonRecord } from './json';
import { inferKerasShapes, type SampleShape } from './kerasShapes';
import { flattenKerasTopology, type FlatLayerNode, type KerasFlatGraph } from './kerasTopology';
import { kerasLayerIsAutoProbe } from './probeRule';
import { locateWeights, readWeightValues, type WeightLocation } from './weightValues';
import type { ResolvedWeightGroup } from './weightShards';

/** The suffix of the synthetic probe holding a Dense layer's output before its activation. */
export const PRE_ACTIVATION_SUFFIX = '/logits';

export interface TfjsLayersGraph extends ModelGraph {
  format: 'tfjs-layers';
  /** The pre-softmax logits layer, also when no linear classifier was read. */
  logitsLayer?: string;
  /** model.json as parsed (the IOHandler hands its topology and metadata to tfjs). */
  modelJson: JsonRecord;
  weightGroups: ResolvedWeightGroup[];
  keras: KerasFlatGraph;
  /**
   * When the last Dense has a non-linear activation (softmax), its logits are a probe of their own: the
   * runner adds a linear copy of that Dense sharing its weights. `name` is the probe, `dense` the flat layer.
   */
  preActivation: { name: string; dense: string } | null;
}

function activationOf(node: FlatLayerNode): string | undefined {
  return stringAt(node.config, 'activation');
}

function opLabel(node: FlatLayerNode): string {
  const activation = activationOf(node);
  return node.className !== 'Activation' && activation !== undefined && activation !== 'linear'
    ? `${node.className}+${activation}`
    : node.className;
}

function stripDevice(name: string): string {
  return name.endsWith(':0') ? name.slice(0, -2) : name;
}

/**
 * Finds a layer's weight in the manifest. tfjs-layers names weights "<layer>/kernel"; the Python
 * converter may prefix nested model names or add ":0". Ambiguity is refused rather than guessed.
 */
function findLayerWeight(weights: Map<string, WeightLocation>, node: FlatLayerNode, which: string): WeightLocation | string {
  const byStripped = new Map<string, WeightLocation[]>();
  for (const [name, loc] of weights) {
    const key = stripDevice(name);
    byStripped.set(key, [...(byStripped.get(key) ?? []), loc]);
  }
  const full = [...node.modelPath, node.layerName, which].join('/');
  const leaf = `${node.layerName}/${which}`;
  for (const exact of [full, leaf]) {
    const hits = byStripped.get(exact);
    if (hits?.length === 1) return hits[0];
  }
  const suffixHits = [...byStripped.entries()].filter(([name]) => name.endsWith(`/${leaf}`));
  if (suffixHits.length === 1 && suffixHits[0][1].length === 1) return suffixHits[0][1][0];
  return suffixHits.length > 1
    ? `several weights match "${leaf}" (${suffixHits.map(([n]) => n).join(', ')})`
    : `no weight named "${leaf}" in the weights manifest`;
}

interface ClassifierOutcome extends ClassifierSearch {
  preActivation: { name: string; dense: string } | null;
}

function findClassifier(file: string, graph: KerasFlatGraph, shapes: Map<string, SampleShape>, groups: ResolvedWeightGroup[]): ClassifierOutcome {
  const dense = [...graph.nodes].reverse().find((n) => n.className === 'Dense');
  if (!dense) return { classifier: null, unavailable: 'the model has no Dense layer', preActivation: null };
  // The logits probe needs only the runtime layer, so it exists even when W cannot be read by name.
  const activation = activationOf(dense) ?? 'linear';
  const preActivation = activation === 'linear' ? null : { name: `${dense.name}${PRE_ACTIVATION_SUFFIX}`, dense: dense.name };
  const none = (why: string): ClassifierOutcome => ({ classifier: null, unavailable: why, preActivation });
  const input = dense.inputs[0];
  if (!input || input.kind === 'input') return none(`the last Dense "${dense.name}" reads the model input directly, so there is no feature layer before it`);
  if (input.tensor !== 0) return none(`the last Dense "${dense.name}" reads output ${input.tensor} of "${input.node}", which is not probed`);
  const inputShape = shapes.get(input.node);
  if (inputShape && inputShape.length > 1) {
    return none(`the last Dense "${dense.name}" acts on the last axis of a rank-${inputShape.length + 1} tensor, not on a feature vector`);
  }
  const weights = locateWeights(groups, file);
  const kernelAt = findLayerWeight(weights, dense, 'kernel');
  if (typeof kernelAt === 'string') return none(`the kernel of Dense "${dense.name}": ${kernelAt}`);
  const kernelShape = kernelAt.spec.shape;
  if (kernelShape.length !== 2) return none(`the kernel of Dense "${dense.name}" has shape [${kernelShape.join(', ')}], not [D, K]`);
  const [dim, numClasses] = kernelShape;
  const kernel = readWeightValues(kernelAt, file);
  // Keras stores the kernel D x K (h @ kernel); the metrics want W = K x D (W h).
  const W = new Float64Array(numClasses * dim);
  for (let d = 0; d < dim; d++) for (let k = 0; k < numClasses; k++) W[k * dim + d] = kernel[d * numClasses + k];
  let b = new Float64Array(numClasses);
  const usesBias = booleanAt(dense.config, 'use_bias') !== false;
  if (usesBias) {
    const biasAt = findLayerWeight(weights, dense, 'bias');
    if (typeof biasAt === 'string') return none(`the bias of Dense "${dense.name}": ${biasAt}`);
    if (biasAt.spec.shape.length !== 1 || biasAt.spec.shape[0] !== numClasses) {
      return none(`the bias of Dense "${dense.name}" has shape [${biasAt.spec.shape.join(', ')}], expected [${numClasses}]`);
    }
    b = readWeightValues(biasAt, file);
  }
  const classifier: ClassifierInfo = {
    inputLayer: input.node,
    logitsLayer: preActivation ? preActivation.name : dense.name,
    numClasses,
    dim,
    W,
    b,
    ...(usesBias ? {} : { biasless: true }),
    description:
      `Dense "${dense.name}" (kernel transposed${usesBias ? '' : ', no bias'})` +
      (preActivation ? `; logits read before its ${activation} by a linear copy of the layer` : ''),
  };
  return { classifier, preActivation };
}

/** Without a readable classifier: the model's output when linear, or what feeds a final softmax layer. */
function logitsWithoutClassifier(graph: KerasFlatGraph): string | undefined {
  const out = graph.outputs[0];
  if (graph.outputs.length !== 1 || out?.kind !== 'layer' || out.tensor !== 0) return undefined;
  const node = graph.nodes.find((n) => n.name === out.node);
  if (!node) return undefined;
  const activation = activationOf(node);
  const isSoftmax = node.className === 'Softmax' || (node.className === 'Activation' && activation === 'softmax');
  if (isSoftmax) {
    const input = node.inputs[0];
    return input?.kind === 'layer' && input.tensor === 0 ? input.node : undefined;
  }
  return activation === undefined || activation === 'linear' ? node.name : undefined;
}

function inputSpec(file: string, graph: KerasFlatGraph): ModelInputSpec {
  if (graph.inputs.length !== 1) {
    throw new TfjsModelError(file, `the model has ${graph.inputs.length} inputs (${graph.inputs.map((i) => i.name).join(', ')}); collapse-lens feeds exactly one`);
  }
  const [input] = graph.inputs;
  if (!input.batchShape) throw new TfjsModelError(file, `the input "${input.name}" has no recorded shape (batch_input_shape)`);
  const first = input.batchShape[0];
  return { name: input.name, dtype: 'float32', shape: input.batchShape, fixedBatch: typeof first === 'number' ? first : null };
}

/** The graph description of a LayersModel: every leaf layer output (nested models flattened), probes, classifier. */
export function buildLayersGraph(file: string, modelJson: JsonRecord, topology: JsonRecord, groups: ResolvedWeightGroup[]): TfjsLayersGraph {
  const keras = flattenKerasTopology(topology, file);
  const input = inputSpec(file, keras);
  const shapes = inferKerasShapes(keras);
  const found = findClassifier(file, keras, shapes, groups);
  const special = new Set<string>(found.classifier ? [found.classifier.inputLayer, found.classifier.logitsLayer] : []);
  const layers: LayerInfo[] = [];
  for (const node of keras.nodes) {
    layers.push({
      name: node.name,
      op: opLabel(node),
      shape: shapes.get(node.name) ?? [null],
      index: layers.length,
      auto: special.has(node.name) || kerasLayerIsAutoProbe(node.className, activationOf(node)),
    });
    if (found.preActivation?.dense === node.name) {
      const units = numberAt(node.config, 'units') ?? null;
      layers.push({ name: found.preActivation.name, op: 'Dense (pre-activation)', shape: [units], index: layers.length, auto: true });
    }
  }
  const logitsLayer = found.classifier?.logitsLayer ?? found.preActivation?.name ?? logitsWithoutClassifier(keras);
  const outputShape = keras.outputs[0]?.kind === 'layer' ? shapes.get(keras.outputs[0].node) : undefined;
  return {
    format: 'tfjs-layers',
    path: path.resolve(file),
    input,
    layers,
    ...classifierFields(found, outputShape, logitsLayer),
    modelJson,
    weightGroups: groups,
    keras,
    preActivation: found.preActivation,
  };
}
