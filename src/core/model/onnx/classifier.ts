/**
 * Finds the classifier: the last linear map h -> W h + b that produces the logits, with W and b read
 * from the stored weights. PyTorch's nn.Linear exports as Gemm (transB=1), older/other exporters as
 * MatMul + Add (bias on either side), and Keras-to-ONNX as MatMul with the kernel D x K.
 */
import { onnx } from 'onnx-proto';
import type { ClassifierInfo } from '../types';
import type { OnnxGraphIndex } from './graphIndex';
import { constantValues, findLogits, isFlattenTo2D, skipPassThrough } from './patterns';
import { floatAttribute, intAttribute, tensorDims } from './proto';

export type ClassifierSearch = { classifier: ClassifierInfo; reason?: undefined } | { classifier: null; reason: string };

interface LinearMap {
  /** The tensor multiplied by the weights. */
  features: string;
  W: Float64Array;
  b: Float64Array;
  numClasses: number;
  dim: number;
  description: string;
  biasless: boolean;
}

const nodeLabel = (node: onnx.INodeProto): string => `${node.opType} node "${node.name || node.output?.[0]}"`;

/** Weights as a 2-D constant, or a reason why not. */
function weightMatrix(index: OnnxGraphIndex, node: onnx.INodeProto, name: string | undefined): { dims: number[]; values: Float64Array } | string {
  const t = name ? index.constants.get(name) : undefined;
  if (!t) return `the weights "${name}" of ${nodeLabel(node)} are computed in the graph, not stored as constants`;
  const dims = tensorDims(t);
  if (dims.length !== 2) return `the weights "${name}" of ${nodeLabel(node)} have shape [${dims.join(', ')}], not a matrix`;
  return { dims, values: constantValues(index, name) ?? new Float64Array(0) };
}

/** A bias of K values (or one value broadcast to K), scaled; a reason when it is computed or the wrong size. */
function biasVector(index: OnnxGraphIndex, node: onnx.INodeProto, name: string | undefined, k: number, scale: number): Float64Array | string {
  if (!name) return new Float64Array(k);
  const values = constantValues(index, name);
  if (!values) return `the bias "${name}" of ${nodeLabel(node)} is computed in the graph, not stored as a constant`;
  if (values.length !== k && values.length !== 1) {
    return `the bias "${name}" of ${nodeLabel(node)} has ${values.length} values for ${k} classes`;
  }
  return Float64Array.from({ length: k }, (_, c) => scale * values[values.length === 1 ? 0 : c]);
}

/** W (K x D) from a D x K matrix: the layout MatMul(x, B) and Gemm with transB=0 use. */
function transposeToKxD(values: Float64Array, d: number, k: number, scale: number): Float64Array {
  const W = new Float64Array(k * d);
  for (let i = 0; i < d; i++) for (let c = 0; c < k; c++) W[c * d + i] = scale * values[i * k + c];
  return W;
}

function fromGemm(index: OnnxGraphIndex, node: onnx.INodeProto): LinearMap | string {
  if (intAttribute(node, 'transA', 0) !== 0) return `${nodeLabel(node)} transposes its input (transA=1), so it is not a map on per-sample features`;
  const transB = intAttribute(node, 'transB', 0);
  const alpha = floatAttribute(node, 'alpha', 1);
  const beta = floatAttribute(node, 'beta', 1);
  const weights = weightMatrix(index, node, node.input?.[1]);
  if (typeof weights === 'string') return weights;
  const [rows, cols] = weights.dims;
  const [k, d] = transB ? [rows, cols] : [cols, rows];
  const W = transB ? weights.values.map((v) => alpha * v) : transposeToKxD(weights.values, d, k, alpha);
  const b = biasVector(index, node, node.input?.[2], k, beta);
  if (typeof b === 'string') return b;
  const scaling = alpha !== 1 || beta !== 1 ? `, alpha=${alpha}, beta=${beta}` : '';
  return { features: node.input?.[0] ?? '', W, b, numClasses: k, dim: d, description: `Gemm transB=${transB}${scaling}`, biasless: !node.input?.[2] };
}

function fromMatMul(index: OnnxGraphIndex, matmul: onnx.INodeProto, bias: { node: onnx.INodeProto; name: string; first: boolean } | null): LinearMap | string {
  const weights = weightMatrix(index, matmul, matmul.input?.[1]);
  if (typeof weights === 'string') {
    return index.constants.has(matmul.input?.[0] ?? '')
      ? `${nodeLabel(matmul)} multiplies constant weights on the left (W x), not the per-sample features`
      : weights;
  }
  const [d, k] = weights.dims;
  const b = bias ? biasVector(index, bias.node, bias.name, k, 1) : new Float64Array(k);
  if (typeof b === 'string') return b;
  const description = bias ? `MatMul + Add${bias.first ? ' (bias first)' : ''}` : 'MatMul (no bias)';
  return { features: matmul.input?.[0] ?? '', W: transposeToKxD(weights.values, d, k, 1), b, numClasses: k, dim: d, description, biasless: bias === null };
}

function linearMapProducing(index: OnnxGraphIndex, logits: string): LinearMap | string {
  const node = index.producer.get(logits);
  if (!node) return `the logits "${logits}" are not computed by any node`;
  if (node.opType === 'Gemm') return fromGemm(index, node);
  if (node.opType === 'MatMul') return fromMatMul(index, node, null);
  if (node.opType === 'Add') {
    const [left, right] = [node.input?.[0] ?? '', node.input?.[1] ?? ''];
    const biasFirst = index.constants.has(left);
    const [product, bias] = biasFirst ? [right, left] : [left, right];
    const matmul = index.producer.get(skipPassThrough(index, product));
    if (index.constants.has(bias) && matmul?.opType === 'MatMul') {
      return fromMatMul(index, matmul, { node, name: bias, first: biasFirst });
    }
    if (index.constants.has(bias) && matmul?.opType === 'Gemm' && !matmul.input?.[2]) {
      const gemm = fromGemm(index, matmul);
      if (typeof gemm === 'string') return gemm;
      const b = biasVector(index, node, bias, gemm.numClasses, 1);
      return typeof b === 'string' ? b : { ...gemm, b, description: `${gemm.description} + Add`, biasless: false };
    }
    return `the logits "${logits}" come from an Add that is not a MatMul plus a constant bias`;
  }
  return `the logits "${logits}" come from a ${node.opType} node, not a linear map (Gemm, or MatMul with an optional Add)`;
}

/** Walks back over Flatten/Reshape-to-2D and no-ops to the layer whose per-sample values are the features. */
function featureLayer(index: OnnxGraphIndex, features: string, dim: number): { name: string; flattened: boolean } {
  let current = skipPassThrough(index, features);
  let flattened = false;
  for (;;) {
    const node = index.producer.get(current);
    const source = node?.input?.[0];
    if (!node || !source || !isFlattenTo2D(index, node) || !index.producer.has(skipPassThrough(index, source))) break;
    const known = index.shapes.get(source);
    const perSample = known && known.length > 1 ? known.slice(1) : null;
    if (perSample && perSample.every((v): v is number => typeof v === 'number') && perSample.reduce((a, b) => a * b, 1) !== dim) break;
    current = skipPassThrough(index, source);
    flattened = true;
  }
  return { name: current, flattened };
}

export function findClassifier(index: OnnxGraphIndex): ClassifierSearch {
  const logitsInfo = findLogits(index);
  const map = linearMapProducing(index, logitsInfo.logits);
  if (typeof map === 'string') return { classifier: null, reason: map };
  if (index.constants.has(map.features) || !index.sampleDependent.has(map.features)) {
    return { classifier: null, reason: `the classifier's input "${map.features}" does not depend on the model input` };
  }
  const feature = featureLayer(index, map.features, map.dim);
  if (feature.name === index.inputName) {
    return { classifier: null, reason: 'the classifier reads the model input directly: there is no learned feature layer before it' };
  }
  const notes = [map.description];
  if (feature.flattened) notes.push(`after flattening "${feature.name}"`);
  if (logitsInfo.softmax) notes.push(`before ${logitsInfo.softmax}`);
  return {
    classifier: {
      inputLayer: feature.name,
      logitsLayer: logitsInfo.logits,
      numClasses: map.numClasses,
      dim: map.dim,
      W: map.W,
      b: map.b,
      ...(map.biasless ? { biasless: true } : {}),
      description: notes.join(', '),
    },
  };
}
