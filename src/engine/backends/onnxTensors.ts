import type { Tensor } from 'onnxruntime-node';
import { halfToFloat } from '../../core/float16';

/**
 * The tensor's values as float32: float32 data is returned as is (no copy), float64 and float16 are
 * converted, anything else is refused (an integer or boolean tensor is not a feature).
 */
export function tensorAsFloat32(tensor: Tensor, name: string, modelPath: string): Float32Array {
  const data: unknown = tensor.data;
  switch (tensor.type) {
    case 'float32':
      if (data instanceof Float32Array) return data;
      break;
    case 'float64':
      if (data instanceof Float64Array) return Float32Array.from(data);
      break;
    case 'float16':
      // onnxruntime-node gives float16 as raw bits in a Uint16Array (or a Float16Array where Node has one).
      if (data instanceof Uint16Array) return Float32Array.from(data, halfToFloat);
      if (ArrayBuffer.isView(data) && 'length' in data) return Float32Array.from(data as unknown as ArrayLike<number>);
      break;
    default:
      throw new Error(`${modelPath}: tensor "${name}" is ${tensor.type}; only float tensors can be probed`);
  }
  throw new Error(`${modelPath}: tensor "${name}" (${tensor.type}) came back in an unexpected container`);
}
