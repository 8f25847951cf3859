import { halfToFloat } from '../../float16';
import { TfjsModelError } from './errors';
import { elementCount, weightByteSize, type TfjsWeightSpec } from './weightsManifest';
import { readGroupBytes, type ResolvedWeightGroup } from './weightShards';

/** Decodes one weight's stored bytes (little-endian, as TF.js writes them) to float64 values. */
export function decodeWeightBytes(spec: TfjsWeightSpec, bytes: Uint8Array, file: string): Float64Array<ArrayBuffer> {
  const n = elementCount(spec.shape);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float64Array(n);
  const q = spec.quantization;
  if (q) {
    if (q.dtype === 'float16') {
      for (let i = 0; i < n; i++) out[i] = halfToFloat(view.getUint16(2 * i, true));
    } else {
      const scale = q.scale ?? 1;
      const min = q.min ?? 0;
      for (let i = 0; i < n; i++) {
        const stored = q.dtype === 'uint8' ? view.getUint8(i) : view.getUint16(2 * i, true);
        out[i] = stored * scale + min;
      }
    }
    return out;
  }
  switch (spec.dtype) {
    case 'float32':
      for (let i = 0; i < n; i++) out[i] = view.getFloat32(4 * i, true);
      return out;
    case 'int32':
      for (let i = 0; i < n; i++) out[i] = view.getInt32(4 * i, true);
      return out;
    case 'bool':
      for (let i = 0; i < n; i++) out[i] = view.getUint8(i) ? 1 : 0;
      return out;
    default:
      throw new TfjsModelError(file, `weight "${spec.name}" has dtype ${spec.dtype}, which is not a real-valued tensor`);
  }
}

export interface WeightLocation {
  group: ResolvedWeightGroup;
  spec: TfjsWeightSpec;
  /** Byte offset inside the group's concatenated shards. */
  offset: number;
}

/** Where each named weight lies in the shards (the first occurrence wins, as in tf.io.decodeWeights). */
export function locateWeights(groups: ResolvedWeightGroup[], modelJsonFile: string): Map<string, WeightLocation> {
  const where = new Map<string, WeightLocation>();
  for (const group of groups) {
    let offset = 0;
    for (const spec of group.weights) {
      if (!where.has(spec.name)) where.set(spec.name, { group, spec, offset });
      offset += weightByteSize(spec, modelJsonFile);
    }
  }
  return where;
}

/** Reads one weight's values from its shard(s) without loading the rest. */
export function readWeightValues(location: WeightLocation, modelJsonFile: string): Float64Array<ArrayBuffer> {
  const length = weightByteSize(location.spec, modelJsonFile);
  const bytes = readGroupBytes(location.group, location.offset, length);
  const file = location.group.shards[0]?.file ?? modelJsonFile;
  return decodeWeightBytes(location.spec, bytes, file);
}
