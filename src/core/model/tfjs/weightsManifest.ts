import { TfjsModelError } from './errors';
import { arrayAt, isRecord, numberAt, stringAt, type JsonRecord } from './json';

export type TfjsWeightDtype = 'float32' | 'int32' | 'bool' | 'string' | 'complex64';
export type TfjsQuantizationDtype = 'uint8' | 'uint16' | 'float16';

export interface TfjsWeightSpec {
  name: string;
  shape: number[];
  dtype: TfjsWeightDtype;
  /** Present when the converter stored the weight quantized (value = q * scale + min, or float16). */
  quantization?: { dtype: TfjsQuantizationDtype; scale?: number; min?: number };
}

/** One entry of `weightsManifest`: its weights are stored back to back across its shard files, in order. */
export interface TfjsWeightGroup {
  paths: string[];
  weights: TfjsWeightSpec[];
}

const WEIGHT_DTYPES: readonly TfjsWeightDtype[] = ['float32', 'int32', 'bool', 'string', 'complex64'];
const QUANTIZATION_DTYPES: readonly TfjsQuantizationDtype[] = ['uint8', 'uint16', 'float16'];
const BYTES_PER_VALUE: Record<Exclude<TfjsWeightDtype, 'string'> | TfjsQuantizationDtype, number> = {
  float32: 4,
  int32: 4,
  bool: 1,
  complex64: 8,
  uint8: 1,
  uint16: 2,
  float16: 2,
};

function parseSpec(raw: unknown, where: string, file: string): TfjsWeightSpec {
  if (!isRecord(raw)) throw new TfjsModelError(file, `${where} is not an object`);
  const name = stringAt(raw, 'name');
  if (name === undefined) throw new TfjsModelError(file, `${where} has no "name"`);
  const shapeRaw = arrayAt(raw, 'shape');
  if (shapeRaw === undefined || !shapeRaw.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0)) {
    throw new TfjsModelError(file, `weight "${name}" (${where}) has no valid "shape" (a list of non-negative integers)`);
  }
  const dtype = stringAt(raw, 'dtype') ?? 'float32';
  if (!(WEIGHT_DTYPES as readonly string[]).includes(dtype)) {
    throw new TfjsModelError(file, `weight "${name}" has unknown dtype "${dtype}" (expected ${WEIGHT_DTYPES.join(', ')})`);
  }
  const spec: TfjsWeightSpec = { name, shape: shapeRaw as number[], dtype: dtype as TfjsWeightDtype };
  const q = raw['quantization'];
  if (q !== undefined && q !== null) {
    if (!isRecord(q)) throw new TfjsModelError(file, `weight "${name}" has a "quantization" that is not an object`);
    const qDtype = stringAt(q, 'dtype');
    if (qDtype === undefined || !(QUANTIZATION_DTYPES as readonly string[]).includes(qDtype)) {
      throw new TfjsModelError(file, `weight "${name}" has quantization dtype "${String(q['dtype'])}" (expected uint8, uint16 or float16)`);
    }
    const scale = numberAt(q, 'scale');
    const min = numberAt(q, 'min');
    if (qDtype !== 'float16' && (scale === undefined || min === undefined)) {
      throw new TfjsModelError(file, `weight "${name}" is quantized to ${qDtype} but lacks "scale" and "min"`);
    }
    spec.quantization = { dtype: qDtype as TfjsQuantizationDtype, scale, min };
  }
  return spec;
}

/** Reads and checks `weightsManifest` (absent means a model without weights). */
export function parseWeightsManifest(json: JsonRecord, file: string): TfjsWeightGroup[] {
  const manifest = json['weightsManifest'];
  if (manifest === undefined || manifest === null) return [];
  if (!Array.isArray(manifest)) throw new TfjsModelError(file, '"weightsManifest" is not a list');
  return manifest.map((group, g) => {
    if (!isRecord(group)) throw new TfjsModelError(file, `weightsManifest[${g}] is not an object`);
    const paths = arrayAt(group, 'paths');
    if (paths === undefined || !paths.every((p): p is string => typeof p === 'string')) {
      throw new TfjsModelError(file, `weightsManifest[${g}].paths is not a list of file names`);
    }
    const weights = arrayAt(group, 'weights') ?? [];
    return { paths, weights: weights.map((w, i) => parseSpec(w, `weightsManifest[${g}].weights[${i}]`, file)) };
  });
}

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Bytes one weight occupies in its shard: elements x bytes per stored value (the quantized dtype when
 * quantized). String weights have no fixed size, so they cannot be checked and are refused.
 */
export function weightByteSize(spec: TfjsWeightSpec, file: string): number {
  if (spec.quantization) return elementCount(spec.shape) * BYTES_PER_VALUE[spec.quantization.dtype];
  if (spec.dtype === 'string') {
    throw new TfjsModelError(file, `weight "${spec.name}" has dtype string, which collapse-lens does not read`);
  }
  return elementCount(spec.shape) * BYTES_PER_VALUE[spec.dtype];
}

export function groupByteSize(group: TfjsWeightGroup, file: string): number {
  return group.weights.reduce((sum, w) => sum + weightByteSize(w, file), 0);
}
