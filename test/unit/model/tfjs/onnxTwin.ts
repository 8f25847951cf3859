/**
 * Writes the committed TF.js MLP's weights as an ONNX model (onnx-proto), for checking TF.js against
 * onnxruntime. fc1 uses Gemm with a transposed weight, fc2 and the classifier MatMul + Add, so both
 * ONNX spellings of a Dense layer are covered. Every probe is a graph output, the softmax first.
 */
import { onnx } from 'onnx-proto';
import { readRawWeights, weight, type RawWeight } from './helpers';

const FLOAT = onnx.TensorProto.DataType.FLOAT;

function initializer(name: string, dims: number[], values: Float32Array): onnx.ITensorProto {
  return { name, dims, dataType: FLOAT, rawData: new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength)) };
}

function transposed(w: RawWeight): Float32Array {
  const [d, k] = w.shape;
  const out = new Float32Array(d * k);
  for (let i = 0; i < d; i++) for (let j = 0; j < k; j++) out[j * d + i] = w.values[i * k + j];
  return out;
}

function info(name: string, dims: (number | string)[]): onnx.IValueInfoProto {
  return { name, type: { tensorType: { elemType: FLOAT, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } } };
}

/** ONNX output name for each TF.js LayersModel probe of the fixture. */
export const ONNX_NAME_OF_PROBE: Record<string, string> = {
  flatten: 'flat',
  fc1: 'fc1',
  fc2: 'fc2',
  'classifier/logits': 'logits',
  classifier: 'probs',
};

export function onnxTwinOfMlp(layersModelJson: string): Uint8Array {
  const w = readRawWeights(layersModelJson);
  const k1 = weight(w, 'fc1/kernel');
  const node = (opType: string, input: string[], output: string, attribute: onnx.IAttributeProto[] = []): onnx.INodeProto => ({
    opType, input, output: [output], attribute, name: `${opType}_${output}`,
  });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'collapse-lens-tfjs-tests',
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'fashion_mlp_twin',
      input: [info('x', ['N', 28, 28, 1])],
      // The prediction goes first: the ONNX loader takes the first graph output as the model's answer
      // (logits, or the input of its Softmax) and finds the classifier from it.
      output: [info('probs', ['N', 10]), info('flat', ['N', 784]), info('fc1', ['N', 128]), info('fc2', ['N', 64]), info('logits', ['N', 10])],
      initializer: [
        initializer('W1t', [k1.shape[1], k1.shape[0]], transposed(k1)),
        initializer('b1', [128], weight(w, 'fc1/bias').values),
        initializer('K2', [128, 64], weight(w, 'fc2/kernel').values),
        initializer('b2', [64], weight(w, 'fc2/bias').values),
        initializer('K3', [64, 10], weight(w, 'classifier/kernel').values),
        initializer('b3', [10], weight(w, 'classifier/bias').values),
      ],
      node: [
        node('Flatten', ['x'], 'flat', [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 1 }]),
        node('Gemm', ['flat', 'W1t', 'b1'], 'fc1_pre', [{ name: 'transB', type: onnx.AttributeProto.AttributeType.INT, i: 1 }]),
        node('Relu', ['fc1_pre'], 'fc1'),
        node('MatMul', ['fc1', 'K2'], 'fc2_mm'),
        node('Add', ['fc2_mm', 'b2'], 'fc2_pre'),
        node('Relu', ['fc2_pre'], 'fc2'),
        node('MatMul', ['fc2', 'K3'], 'logits_mm'),
        node('Add', ['logits_mm', 'b3'], 'logits'),
        node('Softmax', ['logits'], 'probs', [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 1 }]),
      ],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}
