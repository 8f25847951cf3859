/**
 * One pass over an ONNX graph that every later question (which tensors are layers, which are auto
 * probes, where is the classifier) reads from: producers, consumers, constant values, element types and
 * known shapes of every tensor, and which tensors depend on the model input at all.
 */
import { onnx } from 'onnx-proto';
import { findAttribute, intAttribute, toInt, valueInfoElemType, valueInfoShape } from './proto';

const T = onnx.TensorProto.DataType;

export interface OnnxGraphIndex {
  /** Nodes in topological order. */
  nodes: onnx.INodeProto[];
  producer: Map<string, onnx.INodeProto>;
  consumers: Map<string, onnx.INodeProto[]>;
  /** Initializers and Constant nodes' values, by tensor name. */
  constants: Map<string, onnx.ITensorProto>;
  /** The single non-initializer graph input. */
  inputName: string;
  outputNames: string[];
  /** Element type of each tensor: declared (value_info, outputs) or inferred from the ops. */
  elemType: Map<string, number>;
  /** Full shapes (batch dimension included) declared in value_info / graph inputs and outputs. */
  shapes: Map<string, (number | string | null)[]>;
  /** Tensors computed from the model input (the others are constants folded at run time). */
  sampleDependent: Set<string>;
}

/** Turns a Constant node's value attribute (any of its forms) into a TensorProto. */
function constantNodeValue(node: onnx.INodeProto): onnx.ITensorProto | null {
  const name = node.output?.[0] ?? '';
  for (const a of node.attribute ?? []) {
    switch (a.name) {
      case 'value': return a.t ? { ...a.t, name } : null;
      case 'value_float': return { name, dataType: T.FLOAT, dims: [], floatData: [a.f ?? 0] };
      case 'value_floats': return { name, dataType: T.FLOAT, dims: [a.floats?.length ?? 0], floatData: a.floats ?? [] };
      case 'value_int': return { name, dataType: T.INT64, dims: [], int64Data: [a.i ?? 0] };
      case 'value_ints': return { name, dataType: T.INT64, dims: [a.ints?.length ?? 0], int64Data: a.ints ?? [] };
      default: break;
    }
  }
  return null;
}

/**
 * ONNX requires nodes in topological order, but some tools write them otherwise; this keeps the file's
 * order whenever it is valid and fails clearly on a tensor nobody produces.
 */
function topologicalOrder(nodes: onnx.INodeProto[], available: Set<string>, modelPath: string): onnx.INodeProto[] {
  const known = new Set(available);
  known.add('');
  const ordered: onnx.INodeProto[] = [];
  let remaining = nodes;
  while (remaining.length > 0) {
    const stuck: onnx.INodeProto[] = [];
    for (const node of remaining) {
      if ((node.input ?? []).every((i) => known.has(i))) {
        ordered.push(node);
        for (const o of node.output ?? []) known.add(o);
      } else {
        stuck.push(node);
      }
    }
    if (stuck.length === remaining.length) {
      const node = stuck[0];
      const missing = (node.input ?? []).find((i) => !known.has(i));
      throw new Error(`${modelPath}: node "${node.name || node.opType}" reads tensor "${missing}", which no node, input or initializer provides`);
    }
    remaining = stuck;
  }
  return ordered;
}

function inferOutputTypes(node: onnx.INodeProto, elemType: Map<string, number>): (number | undefined)[] {
  const inputType = (k: number): number | undefined => elemType.get(node.input?.[k] ?? '');
  const firstKnown = (node.input ?? []).map((i) => elemType.get(i)).find((t) => t !== undefined);
  switch (node.opType) {
    case 'Cast': return [intAttribute(node, 'to', 0) || undefined];
    case 'CastLike': return [inputType(1)];
    case 'Shape': case 'Size': case 'NonZero': case 'ArgMax': case 'ArgMin': return [T.INT64];
    case 'TopK': return [inputType(0), T.INT64];
    case 'MaxPool': return [inputType(0), T.INT64];
    case 'Dropout': return [inputType(0), T.BOOL];
    case 'Equal': case 'Less': case 'Greater': case 'LessOrEqual': case 'GreaterOrEqual':
    case 'And': case 'Or': case 'Xor': case 'Not': case 'IsNaN': case 'IsInf':
      return [T.BOOL];
    case 'ConstantOfShape': return [findAttribute(node, 'value')?.t?.dataType ?? T.FLOAT];
    case 'Where': return [inputType(1)];
    case 'DequantizeLinear': return [inputType(1) ?? T.FLOAT];
    case 'QuantizeLinear': return [inputType(2) ?? T.UINT8];
    case 'RandomNormal': case 'RandomUniform': case 'EyeLike':
      return [intAttribute(node, 'dtype', 0) || (node.opType === 'EyeLike' ? inputType(0) : T.FLOAT)];
    default: return (node.output ?? []).map(() => firstKnown);
  }
}

export function buildGraphIndex(model: onnx.IModelProto, modelPath: string): OnnxGraphIndex {
  const graph = model.graph;
  if (!graph) throw new Error(`${modelPath} is not a valid ONNX model: it has no graph`);
  const constants = new Map<string, onnx.ITensorProto>();
  for (const t of graph.initializer ?? []) if (t.name) constants.set(t.name, t);
  for (const node of graph.node ?? []) {
    if (node.opType !== 'Constant') continue;
    const value = constantNodeValue(node);
    if (value && value.name) constants.set(value.name, value);
  }

  const realInputs = (graph.input ?? []).filter((i) => i.name && !constants.has(i.name));
  if (realInputs.length !== 1) {
    const names = realInputs.map((i) => `"${i.name}"`).join(', ') || 'none';
    throw new Error(`${modelPath}: Collapse Lens needs a model with exactly one input, but this one has ${realInputs.length} (${names})`);
  }
  const inputName = realInputs[0].name ?? '';

  const declared = [...(graph.input ?? []), ...(graph.output ?? []), ...(graph.valueInfo ?? [])];
  const elemType = new Map<string, number>();
  const shapes = new Map<string, (number | string | null)[]>();
  for (const info of declared) {
    if (!info.name) continue;
    const type = valueInfoElemType(info);
    if (type !== null) elemType.set(info.name, type);
    const shape = valueInfoShape(info);
    if (shape) shapes.set(info.name, shape);
  }
  for (const [name, t] of constants) {
    if (t.dataType) elemType.set(name, t.dataType);
    shapes.set(name, (t.dims ?? []).map(toInt));
  }

  const nodes = topologicalOrder(graph.node ?? [], new Set([inputName, ...constants.keys()]), modelPath);
  const producer = new Map<string, onnx.INodeProto>();
  const consumers = new Map<string, onnx.INodeProto[]>();
  const sampleDependent = new Set<string>([inputName]);
  for (const node of nodes) {
    const inferred = inferOutputTypes(node, elemType);
    const dependent = node.opType !== 'Constant' && (node.input ?? []).some((i) => sampleDependent.has(i));
    (node.output ?? []).forEach((o, k) => {
      if (!o) return;
      producer.set(o, node);
      if (dependent) sampleDependent.add(o);
      const type = inferred[k];
      if (!elemType.has(o) && type !== undefined) elemType.set(o, type);
    });
    for (const i of node.input ?? []) {
      if (!i) continue;
      const list = consumers.get(i);
      if (list) list.push(node);
      else consumers.set(i, [node]);
    }
  }

  const outputNames = (graph.output ?? []).map((o) => o.name ?? '').filter((n) => n !== '');
  if (outputNames.length === 0) throw new Error(`${modelPath}: the graph has no outputs`);
  return { nodes, producer, consumers, constants, inputName, outputNames, elemType, shapes, sampleDependent };
}
