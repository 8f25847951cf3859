import type { PreprocessingInfo } from '../../result';
import { product, sampleGeometry } from '../layout';
import type { BatchPreprocessor } from '../stream';
import type { DatasetSource, PreprocessingOptions, RawBatch } from '../types';
import { copyMap, imageMap, storedChannels, type LinearMap } from './linearMap';
import { formatShape, readModelInput, type ModelInputGeometry } from './modelInput';
import { DEFAULT_SCALE, floatPolicy } from './floatPolicy';

export { DEFAULT_SCALE };

/** Options as resolved by resolvePreprocessing (flags > collapse-lens.json > settings > defaults). */
export interface PreprocessorOptions extends PreprocessingOptions {
  perClass?: number | null;
  seed?: number;
  /** Where each option came from; copied into info.origin. */
  origin?: Record<string, string>;
  /** The collapse-lens.json whose values are marked 'collapse-lens.json' in origin; copied into info. */
  configFile?: string;
}

export interface Preprocessor extends BatchPreprocessor {
  info: PreprocessingInfo;
  /** Values per sample in the model's input. */
  sampleSize: number;
  /** The model's per-sample input shape that `apply` fills. */
  sampleShape: number[];
  apply(raw: RawBatch): Float32Array;
}

export type PreprocessSource = Pick<DatasetSource, 'source' | 'sampleShape' | 'sampleLayout' | 'dtype'>;

interface Plan {
  map: LinearMap;
  sampleShape: number[];
  layout: 'nchw' | 'nhwc' | 'flat';
  channels: number;
  resize: [number, number] | null;
  grayscale: 'to-rgb' | 'from-rgb' | null;
  notes: string[];
}

function planFor(source: PreprocessSource, model: ModelInputGeometry, inputShape: readonly (number | string | null)[], options: PreprocessorOptions): Plan {
  const stored = source.sampleShape;
  const storedSize = product(stored);
  const fail = (why: string): never => {
    throw new Error(`${source.source}: samples of shape [${stored.join(', ')}] do not fit the model input ${formatShape(inputShape)}: ${why}`);
  };
  const geometry = sampleGeometry(stored, source.sampleLayout);
  const bgr = options.channelOrder === 'bgr';

  if (model.layout === 'flat') {
    if (model.features !== null && model.features !== storedSize) fail(`${storedSize} values per sample, the model takes ${model.features}`);
    const channels = storedChannels(source.sampleLayout, geometry ?? { h: 1, w: storedSize, c: 1 });
    const map = copyMap(storedSize, channels.channelOf, bgr ? channels.swapRB : undefined);
    return { map, sampleShape: [storedSize], layout: 'flat', channels: geometry?.c ?? 1, resize: null, grayscale: null, notes: [] };
  }

  const layout = model.layout;
  if (!geometry) {
    // A flat array (e.g. MNIST as [N, 784]) fed to an image model: a reshape, when the sizes agree exactly.
    const { height: h, width: w } = model;
    if (h === null || w === null) fail('the stored samples are flat and the model input has no fixed height and width');
    const c = model.channels ?? storedSize / (h! * w!);
    if (!Number.isInteger(c) || c * h! * w! !== storedSize) fail(`${storedSize} values cannot be reshaped to ${h}x${w} with ${model.channels ?? 'any'} channel(s)`);
    const shape = !model.channelAxis ? [h!, w!] : layout === 'nchw' ? [c, h!, w!] : [h!, w!, c];
    const channelOf = (i: number): number => (layout === 'nchw' ? Math.floor(i / (h! * w!)) : i % c);
    return {
      map: copyMap(storedSize, model.channelAxis ? channelOf : () => 0),
      sampleShape: shape,
      layout,
      channels: c,
      resize: null,
      grayscale: null,
      notes: [`flat samples of ${storedSize} values reshaped to ${formatShape(['batch', ...shape])} in stored order`],
    };
  }

  if (geometry.c !== 1 && geometry.c !== 3) fail(`${geometry.c} channels are stored; 1 (grey) or 3 (RGB) are supported`);
  const c = model.channels ?? geometry.c;
  if (c !== 1 && c !== 3) fail(`the model takes ${c} channels; 1 or 3 are supported`);
  const h = model.height ?? geometry.h;
  const w = model.width ?? geometry.w;
  const resize = geometry.h !== h || geometry.w !== w;
  if (resize && options.resize === false) fail(`resizing is off (resize: false) and the image is ${geometry.h}x${geometry.w}, the model wants ${h}x${w}`);
  const grayscale = geometry.c === c ? null : c === 3 ? 'to-rgb' : 'from-rgb';
  const notes: string[] = [];
  if (grayscale === 'from-rgb') notes.push('RGB converted to grey with luma weights 0.299, 0.587, 0.114');
  if (grayscale === 'to-rgb') notes.push('grey copied into the R, G and B channels');
  if (resize) notes.push(`bilinear resize ${geometry.h}x${geometry.w} -> ${h}x${w} (half-pixel centres, no antialiasing)`);
  const map = imageMap(source.sampleLayout, geometry, { h, w, c, layout }, bgr);
  const shape = !model.channelAxis ? [h, w] : layout === 'nchw' ? [c, h, w] : [h, w, c];
  return { map, sampleShape: shape, layout, channels: c, resize: resize ? [h, w] : null, grayscale, notes };
}

function perChannel(values: number[], channels: number, name: string, source: string): Float64Array {
  if (values.length === 1) return new Float64Array(channels).fill(values[0]!);
  if (values.length === channels) return Float64Array.from(values);
  throw new Error(`${source}: ${name} has ${values.length} values; give 1 or one per channel (${channels})`);
}

/**
 * Builds the function that turns raw batches of `source` into the model's input: scale, per-channel
 * mean/std, RGB/BGR, grey <-> RGB, bilinear resize, NCHW/NHWC or flat, all from the model's input shape
 * (batch dimension included) and the resolved options. Float samples are taken as they are unless
 * normalizeFloats is set or a scale/mean/std was given (see floatPolicy.ts).
 */
export function buildPreprocessor(
  source: PreprocessSource,
  input: { shape: readonly (number | string | null)[] },
  options: PreprocessorOptions = {},
): Preprocessor {
  let model: ModelInputGeometry;
  try {
    model = readModelInput(input.shape, options.layout, sampleGeometry(source.sampleShape, source.sampleLayout) ?? undefined);
  } catch (err) {
    throw new Error(`${source.source}: ${(err as Error).message}`);
  }
  const plan = planFor(source, model, input.shape, options);
  const isFloat = source.dtype !== 'uint8';
  const policy = isFloat ? floatPolicy(options, source.source) : { normalize: true, scale: options.scale ?? DEFAULT_SCALE, impliedBy: [] };
  const normalize = policy.normalize;
  const notes = [...plan.notes];
  if (policy.impliedBy.length > 0) {
    const keys = policy.impliedBy.join('/');
    notes.push(`float samples normalised because ${keys} ${policy.impliedBy.length > 1 ? 'were' : 'was'} given${policy.impliedBy.includes('scale') ? '' : ' (scale 1: floats are not divided by 255 unless a scale is given)'}`);
  }
  const scale = policy.scale;
  const meanValues = normalize ? options.mean ?? [0] : [0];
  const stdValues = normalize ? options.std ?? [1] : [1];
  if (!(scale > 0) || !Number.isFinite(scale)) throw new Error(`${source.source}: scale must be a positive number, got ${scale}`);
  const mean = perChannel(meanValues, plan.channels, 'mean', source.source);
  const std = perChannel(stdValues, plan.channels, 'std', source.source);
  if (std.some((s) => !(Math.abs(s) > 0) || !Number.isFinite(s))) throw new Error(`${source.source}: std must be non-zero numbers, got [${stdValues.join(', ')}]`);

  const { map } = plan;
  const storedSize = product(source.sampleShape);
  const lut = !isFloat && map.taps === 1 ? lookupTable(scale, mean, std) : null;
  const lutOffset = Int32Array.from(map.channel, (c) => c * 256);
  const identity = map.taps === 1 && map.index.every((v, i) => v === i);
  // Stored order already is the model's order and one channel: a straight table lookup per value.
  const straight = lut !== null && mean.length === 1 && identity;
  // Floats taken as they are, in the model's order: the batch is the input, rounded to float32 if it was
  // float64. The per-value loop below computes the same numbers (weight 1, scale 1, mean 0, std 1; it
  // turns -0 into +0), at ~14 us instead of ~5 us a 28x28 sample: its data access sees three array types.
  const floatsAsStored = isFloat && !normalize && identity && map.weight.every((w) => w === 1);

  const apply = (raw: RawBatch): Float32Array => {
    if (raw.data.length !== raw.count * storedSize) {
      throw new Error(`${source.source}: a batch of ${raw.count} samples has ${raw.data.length} values, expected ${raw.count * storedSize}`);
    }
    const out = new Float32Array(raw.count * map.size);
    const data = raw.data;
    if (floatsAsStored && !(data instanceof Uint8Array)) {
      out.set(data);
      return out;
    }
    if (lut && data instanceof Uint8Array) {
      if (straight) lookUpBytes(data, lut, out);
      else lookUpMappedBytes(data, lut, lutOffset, map.index, raw.count, storedSize, out);
      return out;
    }
    for (let b = 0; b < raw.count; b++) {
      const base = b * storedSize;
      const at = b * map.size;
      for (let o = 0; o < map.size; o++) {
        let sum = 0;
        for (let t = o * map.taps, end = t + map.taps; t < end; t++) sum += map.weight[t]! * data[base + map.index[t]!]!;
        const c = map.channel[o]!;
        out[at + o] = (sum * scale - mean[c]!) / std[c]!;
      }
    }
    return out;
  };

  // What the model's input shape decided is marked as such; the rest keeps the origin resolve gave it.
  const origin: Record<string, string> = { ...options.origin, inputShape: 'model-input', grayscale: 'model-input' };
  if (options.layout === undefined) origin.layout = 'model-input';
  if (policy.impliedBy.length > 0) origin.normalizeFloats = `implied by ${policy.impliedBy.join('/')}`;
  const fromConfig = Object.values(origin).includes('collapse-lens.json');
  const info: PreprocessingInfo = {
    scale,
    mean: Array.from(mean),
    std: Array.from(std),
    channelOrder: options.channelOrder ?? 'rgb',
    layout: plan.layout,
    resize: plan.resize,
    grayscale: plan.grayscale,
    ...(options.perClass !== undefined ? { perClass: options.perClass } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.transform !== undefined ? { transform: options.transform ? { resizeShorter: options.transform.resizeShorter ?? null, centerCrop: options.transform.centerCrop } : null } : {}),
    origin,
    ...(fromConfig && options.configFile ? { configFile: options.configFile } : {}),
    storedShape: source.sampleShape,
    storedDType: source.dtype,
    inputShape: plan.sampleShape,
    ...(isFloat ? { floatsTakenAsIs: !normalize } : {}),
    ...(notes.length ? { notes } : {}),
  };
  return { info, sampleSize: map.size, sampleShape: plan.sampleShape, apply };
}

// The byte paths below are separate functions so that each element access sees one array type: inside
// `apply`, `raw.data` is a union of three typed arrays, and V8's generic access made the straight lookup
// several times slower than the inference it feeds (bench:onnx, TF.js row).

/** out[i] = lut[bytes[i]]: stored order is the model's order, one channel. */
function lookUpBytes(bytes: Uint8Array, lut: Float32Array, out: Float32Array): void {
  for (let i = 0; i < out.length; i++) out[i] = lut[bytes[i]!]!;
}

/** One stored byte per model value (a copy or a layout change), with that value's channel table. */
function lookUpMappedBytes(bytes: Uint8Array, lut: Float32Array, lutOffset: Int32Array, index: Int32Array, count: number, storedSize: number, out: Float32Array): void {
  const size = index.length;
  for (let b = 0; b < count; b++) {
    const base = b * storedSize;
    const at = b * size;
    for (let o = 0; o < size; o++) out[at + o] = lut[lutOffset[o]! + bytes[base + index[o]!]!]!;
  }
}

/** (v * scale - mean_c) / std_c for every byte value and channel, rounded once to float32. */
function lookupTable(scale: number, mean: Float64Array, std: Float64Array): Float32Array {
  const lut = new Float32Array(mean.length * 256);
  for (let c = 0; c < mean.length; c++) for (let v = 0; v < 256; v++) lut[c * 256 + v] = (v * scale - mean[c]!) / std[c]!;
  return lut;
}
