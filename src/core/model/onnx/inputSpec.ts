import { onnx } from 'onnx-proto';
import type { ModelInputSpec } from '../types';
import type { OnnxGraphIndex } from './graphIndex';
import { dataTypeName } from './proto';

/** The model input as the runner must feed it: float32, with the batch as its first dimension. */
export function readInputSpec(index: OnnxGraphIndex, modelPath: string): ModelInputSpec {
  const name = index.inputName;
  const type = index.elemType.get(name);
  if (type !== onnx.TensorProto.DataType.FLOAT) {
    const what = type === undefined ? 'not a tensor of known type' : dataTypeName(type);
    throw new Error(`${modelPath}: the model input "${name}" is ${what}; Collapse Lens feeds float32 inputs`);
  }
  const shape = index.shapes.get(name);
  if (!shape || shape.length === 0) {
    throw new Error(`${modelPath}: the model input "${name}" has no declared shape (a batch dimension and the sample shape are needed)`);
  }
  const first = shape[0];
  return { name, dtype: 'float32', shape, fixedBatch: typeof first === 'number' && first > 0 ? first : null };
}
