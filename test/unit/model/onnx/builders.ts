/**
 * Builds small ONNX models in JS (onnx-proto) for the graph and runner tests, plus the plain-JS
 * arithmetic the tests compare onnxruntime's values against.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onnx } from 'onnx-proto';
import { loadOnnxGraph, type OnnxModel } from '../../../../src/core/model/onnx';

const DataType = onnx.TensorProto.DataType;
const AttributeType = onnx.AttributeProto.AttributeType;

export type Dim = number | string;

export function valueInfo(name: string, dims: Dim[] | null, elemType: number = DataType.FLOAT): onnx.IValueInfoProto {
  const shape = dims === null ? undefined : { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) };
  return { name, type: { tensorType: { elemType, shape } } };
}

/** A float32 tensor stored as raw little-endian bytes ('raw', what PyTorch writes) or in float_data ('typed'). */
export function floatTensor(name: string, dims: number[], values: ArrayLike<number>, encoding: 'raw' | 'typed' = 'raw'): onnx.ITensorProto {
  const data = Float32Array.from(values);
  if (encoding === 'typed') return { name, dims, dataType: DataType.FLOAT, floatData: Array.from(data) };
  return { name, dims, dataType: DataType.FLOAT, rawData: new Uint8Array(data.buffer) };
}

export function int64Tensor(name: string, dims: number[], values: number[]): onnx.ITensorProto {
  return { name, dims, dataType: DataType.INT64, int64Data: values };
}

/** A float32 initializer whose bytes live in `location`, beside the model. */
export function externalFloatTensor(name: string, dims: number[], location: string, offset: number, length: number): onnx.ITensorProto {
  return {
    name,
    dims,
    dataType: DataType.FLOAT,
    dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
    externalData: [
      { key: 'location', value: location },
      { key: 'offset', value: String(offset) },
      { key: 'length', value: String(length) },
    ],
  };
}

export const intAttr = (name: string, i: number): onnx.IAttributeProto => ({ name, type: AttributeType.INT, i });
export const floatAttr = (name: string, f: number): onnx.IAttributeProto => ({ name, type: AttributeType.FLOAT, f });
export const intsAttr = (name: string, ints: number[]): onnx.IAttributeProto => ({ name, type: AttributeType.INTS, ints });

export function node(opType: string, input: string[], output: string[], attribute: onnx.IAttributeProto[] = []): onnx.INodeProto {
  return { opType, input, output, attribute, name: `${opType}_${output[0]}` };
}

export interface ModelParts {
  inputs: onnx.IValueInfoProto[];
  outputs: onnx.IValueInfoProto[];
  nodes: onnx.INodeProto[];
  initializers?: onnx.ITensorProto[];
  valueInfo?: onnx.IValueInfoProto[];
  opset?: number;
}

export function buildModel(parts: ModelParts): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'collapse-lens-tests',
    opsetImport: [{ domain: '', version: parts.opset ?? 13 }],
    graph: {
      name: 'test',
      input: parts.inputs,
      output: parts.outputs,
      node: parts.nodes,
      initializer: parts.initializers ?? [],
      valueInfo: parts.valueInfo ?? [],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

/** A fresh temporary folder and its remover. */
export async function tempFolder(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'collapse-lens-onnx-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export async function writeModel(dir: string, file: string, bytes: Uint8Array): Promise<string> {
  const path = join(dir, file);
  await writeFile(path, bytes);
  return path;
}

/** A built model read back by the ONNX graph reader (it reads files: written to a temporary one, removed after). */
export async function loadModelBytes(bytes: Uint8Array): Promise<OnnxModel> {
  const folder = await tempFolder();
  try {
    return await loadOnnxGraph(await writeModel(folder.dir, 'model.onnx', bytes));
  } finally {
    await folder.remove();
  }
}

// ---- plain-JS reference arithmetic (float64) ----

/** rows x K = x (rows x D) times W^T (W is K x D row-major) plus b. */
export function linear(x: ArrayLike<number>, rows: number, W: ArrayLike<number>, b: ArrayLike<number>, k: number): Float64Array {
  const d = W.length / k;
  const out = new Float64Array(rows * k);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < k; c++) {
      let s = b[c];
      for (let i = 0; i < d; i++) s += x[r * d + i] * W[c * d + i];
      out[r * k + c] = s;
    }
  }
  return out;
}

export const relu = (v: Float64Array): Float64Array => v.map((x) => Math.max(0, x));

/** D x K (row-major) from K x D: the layout MatMul and Gemm transB=0 store. */
export function transpose(values: ArrayLike<number>, rows: number, cols: number): number[] {
  const out = new Array<number>(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = values[r * cols + c];
  return out;
}

/** Weights of a 4 -> 3 -> 2 MLP. W2 and B2 are exact in float32, so the classifier read back can be compared exactly. */
export const W1 = [0.5, -1, 0.25, 2, -0.5, 1.5, 1, -0.75, 1, 0.5, -0.25, 0.125]; // 3 x 4
export const B1 = [0.1, -0.2, 0.3];
export const W2 = [1, -1, 0.5, -2, 0.75, 1.25]; // 2 x 3
export const B2 = [0.25, -0.5];
