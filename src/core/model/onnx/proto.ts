/**
 * Small readers over onnx-proto's decoded messages. protobufjs decodes int64 fields as Long objects
 * (because the `long` package is installed), so every integer read goes through `toInt`.
 */
import { onnx } from 'onnx-proto';

/** protobufjs gives int64 fields as Long objects; only their toNumber() is needed. */
export type IntLike = number | { toNumber(): number } | null | undefined;

/** ONNX element types (TensorProto.DataType) that hold real numbers the runner can read as float32. */
export const FLOAT_TYPES: ReadonlySet<number> = new Set([
  onnx.TensorProto.DataType.FLOAT,
  onnx.TensorProto.DataType.FLOAT16,
  onnx.TensorProto.DataType.DOUBLE,
]);

const TYPE_NAMES: Record<number, string> = {
  0: 'undefined', 1: 'float32', 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16', 6: 'int32', 7: 'int64',
  8: 'string', 9: 'bool', 10: 'float16', 11: 'float64', 12: 'uint32', 13: 'uint64', 14: 'complex64',
  15: 'complex128', 16: 'bfloat16',
};

export function dataTypeName(type: number): string {
  return TYPE_NAMES[type] ?? `type ${type}`;
}

/** Bytes per element for the fixed-width types that may be stored as raw data. */
export const ELEMENT_BYTES: Record<number, number> = {
  1: 4, 2: 1, 3: 1, 4: 2, 5: 2, 6: 4, 7: 8, 9: 1, 10: 2, 11: 8, 12: 4, 13: 8, 16: 2,
};

export function toInt(value: IntLike): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'number' ? value : value.toNumber();
}

export function findAttribute(node: onnx.INodeProto, name: string): onnx.IAttributeProto | undefined {
  return (node.attribute ?? []).find((a) => a.name === name);
}

export function intAttribute(node: onnx.INodeProto, name: string, fallback: number): number {
  const a = findAttribute(node, name);
  return a && a.i !== null && a.i !== undefined ? toInt(a.i) : fallback;
}

export function floatAttribute(node: onnx.INodeProto, name: string, fallback: number): number {
  const a = findAttribute(node, name);
  return a && typeof a.f === 'number' ? a.f : fallback;
}

export function intsAttribute(node: onnx.INodeProto, name: string): number[] | null {
  const a = findAttribute(node, name);
  return a && a.ints && a.ints.length > 0 ? a.ints.map(toInt) : null;
}

/** A tensor's dims as plain numbers. */
export function tensorDims(t: onnx.ITensorProto): number[] {
  return (t.dims ?? []).map(toInt);
}

/** Shape from a ValueInfo's type: numbers for fixed dims, the symbol (or null) for dynamic ones; null when absent. */
export function valueInfoShape(info: onnx.IValueInfoProto | undefined): (number | string | null)[] | null {
  const shape = info?.type?.tensorType?.shape;
  if (!shape) return null;
  return (shape.dim ?? []).map((d) => {
    if (d.dimValue !== null && d.dimValue !== undefined) return toInt(d.dimValue);
    return d.dimParam ? d.dimParam : null;
  });
}

export function valueInfoElemType(info: onnx.IValueInfoProto | undefined): number | null {
  const t = info?.type?.tensorType?.elemType;
  return typeof t === 'number' && t !== 0 ? t : null;
}
