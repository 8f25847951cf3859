/**
 * Reads the numbers out of an ONNX TensorProto (initializers and Constant values), whichever of the
 * storage fields the exporter used: typed fields (float_data, int64_data, ...) or little-endian raw_data.
 * External data must have been inlined before (see externalData.ts).
 */
import { onnx } from 'onnx-proto';
import { bfloat16ToFloat, halfToFloat } from '../../float16';
import { ELEMENT_BYTES, dataTypeName, tensorDims, toInt } from './proto';

const T = onnx.TensorProto.DataType;

export function tensorElementCount(t: onnx.ITensorProto): number {
  return tensorDims(t).reduce((a, b) => a * b, 1);
}

function readRaw(raw: Uint8Array, type: number, count: number, label: string): Float64Array {
  const width = ELEMENT_BYTES[type];
  if (width === undefined) throw new Error(`${label}: cannot read ${dataTypeName(type)} values`);
  if (raw.byteLength !== count * width) {
    throw new Error(`${label}: raw data holds ${raw.byteLength} bytes but ${count} ${dataTypeName(type)} values need ${count * width}`);
  }
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const at = i * width;
    switch (type) {
      case T.FLOAT: out[i] = view.getFloat32(at, true); break;
      case T.DOUBLE: out[i] = view.getFloat64(at, true); break;
      case T.FLOAT16: out[i] = halfToFloat(view.getUint16(at, true)); break;
      case T.BFLOAT16: out[i] = bfloat16ToFloat(view.getUint16(at, true)); break;
      case T.INT8: out[i] = view.getInt8(at); break;
      case T.UINT8: case T.BOOL: out[i] = view.getUint8(at); break;
      case T.INT16: out[i] = view.getInt16(at, true); break;
      case T.UINT16: out[i] = view.getUint16(at, true); break;
      case T.INT32: out[i] = view.getInt32(at, true); break;
      case T.UINT32: out[i] = view.getUint32(at, true); break;
      case T.INT64: out[i] = Number(view.getBigInt64(at, true)); break;
      case T.UINT64: out[i] = Number(view.getBigUint64(at, true)); break;
      default: throw new Error(`${label}: cannot read ${dataTypeName(type)} values`);
    }
  }
  return out;
}

function typedField(t: onnx.ITensorProto): number[] | null {
  const type = t.dataType ?? 0;
  const pick = <V>(values: V[] | null | undefined, map: (v: V) => number): number[] | null =>
    values && values.length > 0 ? values.map(map) : null;
  switch (type) {
    case T.FLOAT: return pick(t.floatData, (v) => v);
    case T.DOUBLE: return pick(t.doubleData, (v) => v);
    case T.FLOAT16: return pick(t.int32Data, (v) => halfToFloat(v));
    case T.BFLOAT16: return pick(t.int32Data, (v) => bfloat16ToFloat(v));
    case T.INT64: return pick(t.int64Data, toInt);
    case T.UINT32: case T.UINT64: return pick(t.uint64Data, toInt);
    default: return pick(t.int32Data, (v) => v);
  }
}

/** Every value of the tensor as float64, in row-major order. `label` names the tensor (and file) in errors. */
export function tensorToFloat64(t: onnx.ITensorProto, label: string): Float64Array {
  if (t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) {
    throw new Error(`${label}: its data lives in an external file that was not loaded`);
  }
  const type = t.dataType ?? 0;
  const count = tensorElementCount(t);
  if (t.rawData && t.rawData.byteLength > 0) return readRaw(t.rawData, type, count, label);
  const values = typedField(t) ?? [];
  if (values.length !== count) {
    throw new Error(`${label}: holds ${values.length} values but its dims [${tensorDims(t).join(', ')}] need ${count}`);
  }
  return Float64Array.from(values);
}
