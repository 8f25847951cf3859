import * as path from 'node:path';
import type { LayerInfo, ModelGraph, ModelInputSpec } from '../types';
import { classifierFields, type ClassifierSearch } from './classifierFields';
import { TfjsModelError } from './errors';
import { isRecord, recordAt, stringAt, type JsonRecord } from './json';
import { product, type SampleShape } from './kerasShapes';
import { tfNodeIsAutoProbe } from './probeRule';
import {
  boolAttr,
  constShape,
  parseTensorRef,
  parseTfNodes,
  placeholderShape,
  recordedOutputShape,
  stringListAttr,
  topologicalOrder,
  type TfNode,
} from './tfGraphDef';
import { locateWeights, readWeightValues, type WeightLocation } from './weightValues';
import type { ResolvedWeightGroup } from './weightShards';

export interface TfjsGraphModelGraph extends ModelGraph {
  format: 'tfjs-graph';
  /** The pre-softmax logits layer, also when no linear classifier was read. */
  logitsLayer?: string;
  modelJson: JsonRecord;
  weightGroups: ResolvedWeightGroup[];
  /** The Placeholder fed with the batch. */
  inputNode: string;
  /** Nodes the model returns (signature outputs, else nodes nobody reads). */
  outputNodes: string[];
}

const NOT_A_LAYER = new Set(['Const', 'Placeholder', 'PlaceholderWithDefault', 'NoOp']);
const SHAPE_PRESERVING = new Set([
  'BiasAdd', 'Add', 'AddV2', 'Sub', 'Mul', 'RealDiv', 'Maximum', 'Minimum', 'Identity', 'Softmax', 'LogSoftmax',
  'Relu', 'Relu6', 'Elu', 'Selu', 'LeakyRelu', 'Sigmoid', 'Tanh', 'Softplus', 'Prelu', 'Swish', 'Gelu',
  'FusedBatchNorm', 'FusedBatchNormV3',
]);

interface GraphContext {
  file: string;
  byName: Map<string, TfNode>;
  consumers: Map<string, TfNode[]>;
  weights: Map<string, WeightLocation>;
}

/** The Const behind a node, looking through Identity (the converter keeps some weights behind one). */
function constBehind(ctx: GraphContext, name: string): TfNode | undefined {
  let node = ctx.byName.get(name);
  for (let hops = 0; node && hops < 16; hops++) {
    if (node.op === 'Const') return node;
    if (node.op !== 'Identity' || node.inputs.length !== 1) return undefined;
    node = ctx.byName.get(node.inputs[0].node);
  }
  return undefined;
}

function constFullShape(ctx: GraphContext, node: TfNode): (number | null)[] | null {
  return ctx.weights.get(node.name)?.spec.shape ?? constShape(node);
}

function readConst(ctx: GraphContext, node: TfNode): Float64Array | undefined {
  const at = ctx.weights.get(node.name);
  return at ? readWeightValues(at, ctx.file) : undefined;
}

function inferShape(ctx: GraphContext, node: TfNode, shapes: Map<string, SampleShape>): SampleShape {
  const recorded = recordedOutputShape(node);
  if (recorded && recorded.length > 0) return recorded.slice(1);
  if (node.op === 'Placeholder') return placeholderShape(node)?.slice(1) ?? [null];
  const dataInputs = node.inputs.filter((i) => !constBehind(ctx, i.node));
  const firstData = dataInputs[0] ? shapes.get(dataInputs[0].node) : undefined;
  if (node.op === 'MatMul' || node.op === '_FusedMatMul') {
    const weight = node.inputs[1] ? constBehind(ctx, node.inputs[1].node) : undefined;
    const w = weight ? constFullShape(ctx, weight) : null;
    if (w && w.length === 2) return [boolAttr(node, 'transpose_b') ? w[0] : w[1]];
    return [null];
  }
  if (node.op === 'Reshape') {
    const target = node.inputs[1] ? constBehind(ctx, node.inputs[1].node) : undefined;
    const values = target ? readConst(ctx, target) : undefined;
    if (!values || values.length === 0) return [null];
    const perSample = Array.from(values.slice(1));
    const known = product(perSample.filter((d) => d >= 0));
    const total = firstData ? product(firstData) : null;
    return perSample.map((d) => (d >= 0 ? d : total !== null && known ? total / known : null));
  }
  if (SHAPE_PRESERVING.has(node.op) && firstData) return firstData;
  return [null];
}

function signatureNames(modelJson: JsonRecord, key: 'inputs' | 'outputs'): string[] {
  const sig = recordAt(modelJson, 'signature');
  const entries = sig ? recordAt(sig, key) : undefined;
  if (!entries) return [];
  return Object.values(entries)
    .map((e) => (isRecord(e) ? stringAt(e, 'name') : undefined))
    .filter((n): n is string => n !== undefined)
    .map((n) => parseTensorRef(n).node);
}

function findClassifier(ctx: GraphContext, order: TfNode[], inputNode: string): ClassifierSearch {
  const none = (why: string): ClassifierSearch => ({ classifier: null, unavailable: why });
  const matmul = [...order].reverse().find((n) => n.op === 'MatMul' || n.op === '_FusedMatMul');
  if (!matmul) return none('the graph has no MatMul');
  if (boolAttr(matmul, 'transpose_a')) return none(`the last MatMul "${matmul.name}" transposes its input`);
  const [a, bRef] = matmul.inputs;
  if (!a || !bRef) return none(`the last MatMul "${matmul.name}" has fewer than two inputs`);
  const weightNode = constBehind(ctx, bRef.node);
  const weightShape = weightNode ? constFullShape(ctx, weightNode) : null;
  const kernel = weightNode ? readConst(ctx, weightNode) : undefined;
  if (!weightNode || !weightShape || !kernel) return none(`the weight of the last MatMul "${matmul.name}" is not a constant in the weights manifest`);
  if (weightShape.length !== 2 || weightShape[0] === null || weightShape[1] === null) {
    return none(`the weight of MatMul "${matmul.name}" has shape [${weightShape.join(', ')}], not 2-D`);
  }
  const transposeB = boolAttr(matmul, 'transpose_b');
  const [rows, cols] = weightShape as [number, number];
  const numClasses = transposeB ? rows : cols;
  const dim = transposeB ? cols : rows;
  // x @ B with B = D x K: W = B^T; with transpose_b, B is already K x D.
  const W = new Float64Array(numClasses * dim);
  for (let d = 0; d < dim; d++) {
    for (let k = 0; k < numClasses; k++) W[k * dim + d] = transposeB ? kernel[k * dim + d] : kernel[d * numClasses + k];
  }

  let logits = matmul;
  let biasNode: TfNode | undefined;
  let how = 'MatMul';
  if (matmul.op === '_FusedMatMul') {
    const fused = stringListAttr(matmul, 'fused_ops');
    const isBias = (op: string): boolean => op.toLowerCase() === 'biasadd';
    if (!fused.every(isBias)) return none(`the last MatMul "${matmul.name}" is fused with ${fused.join(' + ')}, so its output is not the logits`);
    if (fused.length > 0 && matmul.inputs[2]) biasNode = constBehind(ctx, matmul.inputs[2].node);
    how = `_FusedMatMul (${fused.join(' + ') || 'no bias'})`;
    if (fused.length > 0 && !biasNode) return none(`the bias of "${matmul.name}" is not a constant`);
  } else {
    const users = ctx.consumers.get(matmul.name) ?? [];
    const add = users.length === 1 && ['BiasAdd', 'Add', 'AddV2'].includes(users[0].op) ? users[0] : undefined;
    const other = add?.inputs.find((i) => i.node !== matmul.name);
    const bias = other ? constBehind(ctx, other.node) : undefined;
    const biasShape = bias ? constFullShape(ctx, bias) : null;
    if (add && bias && biasShape && biasShape.length === 1 && biasShape[0] === numClasses) {
      logits = add;
      biasNode = bias;
      how = `MatMul + ${add.op}`;
    }
  }
  const b = biasNode ? readConst(ctx, biasNode) : new Float64Array(numClasses);
  if (!b || b.length !== numClasses) return none(`the bias of "${logits.name}" does not have ${numClasses} values`);
  if (a.node === inputNode) return none(`the last MatMul "${matmul.name}" reads the model input directly, so there is no feature layer before it`);
  if (a.output !== 0) return none(`the last MatMul "${matmul.name}" reads output ${a.output} of "${a.node}", which is not probed`);
  return {
    classifier: {
      inputLayer: a.node,
      logitsLayer: logits.name,
      numClasses,
      dim,
      W,
      b,
      ...(biasNode ? {} : { biasless: true }),
      description: `${how}${transposeB ? ' (transpose_b)' : ' (weight transposed)'}${biasNode ? '' : ', no bias'}`,
    },
  };
}

/** Without a readable classifier: the output node, or the input of a final Softmax (behind Identity). */
function logitsWithoutClassifier(ctx: GraphContext, outputNodes: string[]): string | undefined {
  if (outputNodes.length !== 1) return undefined;
  let node = ctx.byName.get(outputNodes[0]);
  while (node?.op === 'Identity' && node.inputs.length === 1) node = ctx.byName.get(node.inputs[0].node);
  if (!node) return undefined;
  if (node.op !== 'Softmax') return node.name;
  const input = node.inputs[0];
  return input && input.output === 0 ? input.node : undefined;
}

function inputSpec(file: string, order: TfNode[], modelJson: JsonRecord): ModelInputSpec & { node: string } {
  const placeholders = order.filter((n) => n.op === 'Placeholder');
  const signed = signatureNames(modelJson, 'inputs');
  const inputs = signed.length > 0 ? placeholders.filter((p) => signed.includes(p.name)) : placeholders;
  if (inputs.length !== 1) {
    throw new TfjsModelError(file, `the graph has ${inputs.length} inputs (${inputs.map((p) => p.name).join(', ') || 'no Placeholder'}); collapse-lens feeds exactly one`);
  }
  const [node] = inputs;
  const dtype = stringAt(recordAt(node.attr, 'dtype') ?? {}, 'type');
  if (dtype !== undefined && dtype !== 'DT_FLOAT') throw new TfjsModelError(file, `the input "${node.name}" has dtype ${dtype}; collapse-lens feeds float32`);
  const shape = placeholderShape(node);
  if (!shape) throw new TfjsModelError(file, `the input "${node.name}" has no declared shape`);
  const first = shape[0];
  return { node: node.name, name: node.name, dtype: 'float32', shape, fixedBatch: typeof first === 'number' ? first : null };
}

/** The graph description of a GraphModel: node outputs, probes, classifier (last MatMul + BiasAdd). */
export function buildGraphModelGraph(file: string, modelJson: JsonRecord, topology: JsonRecord, groups: ResolvedWeightGroup[]): TfjsGraphModelGraph {
  const nodes = parseTfNodes(topology, file);
  const order = topologicalOrder(nodes, file);
  const consumers = new Map<string, TfNode[]>();
  for (const n of order) for (const i of n.inputs) consumers.set(i.node, [...(consumers.get(i.node) ?? []), n]);
  const ctx: GraphContext = { file, byName: new Map(nodes.map((n) => [n.name, n])), consumers, weights: locateWeights(groups, file) };
  const { node: inputNode, ...input } = inputSpec(file, order, modelJson);

  const shapes = new Map<string, SampleShape>();
  for (const n of order) if (n.op !== 'Const') shapes.set(n.name, inferShape(ctx, n, shapes));
  const found = findClassifier(ctx, order, inputNode);
  const special = new Set(found.classifier ? [found.classifier.inputLayer, found.classifier.logitsLayer] : []);

  const layers: LayerInfo[] = [];
  for (const n of order) {
    if (NOT_A_LAYER.has(n.op) || constBehind(ctx, n.name)) continue;
    const shape = shapes.get(n.name) ?? [null];
    const addsTwoTensors = n.inputs.length === 2 && n.inputs.every((i) => !constBehind(ctx, i.node));
    const auto = special.has(n.name) || tfNodeIsAutoProbe(n.op, stringListAttr(n, 'fused_ops'), addsTwoTensors, shape.length === 1);
    layers.push({ name: n.name, op: n.op, shape, index: layers.length, auto });
  }
  const signedOutputs = signatureNames(modelJson, 'outputs');
  const outputNodes = signedOutputs.length > 0
    ? signedOutputs
    : order.filter((n) => !NOT_A_LAYER.has(n.op) && (consumers.get(n.name) ?? []).length === 0).map((n) => n.name);
  const logitsLayer = found.classifier?.logitsLayer ?? logitsWithoutClassifier(ctx, outputNodes);
  const outShape = outputNodes[0] ? shapes.get(outputNodes[0]) : undefined;
  return {
    format: 'tfjs-graph',
    path: path.resolve(file),
    input,
    layers,
    ...classifierFields(found, outShape, logitsLayer),
    modelJson,
    weightGroups: groups,
    inputNode,
    outputNodes,
  };
}
