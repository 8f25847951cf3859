import { arrayAt, numberAt, shapeAt, stringAt, type JsonRecord } from './json';
import type { FlatRef, KerasFlatGraph } from './kerasTopology';

/** Per-sample shape (no batch dimension); null entries where unknown. */
export type SampleShape = (number | null)[];

const UNKNOWN: SampleShape = [null];

const SAME_SHAPE = new Set([
  'Activation', 'ReLU', 'LeakyReLU', 'PReLU', 'ELU', 'ThresholdedReLU', 'Softmax', 'Dropout', 'SpatialDropout1D',
  'SpatialDropout2D', 'SpatialDropout3D', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout', 'BatchNormalization',
  'LayerNormalization', 'Masking', 'Rescaling', 'Normalization', 'Identity',
]);
const ELEMENTWISE_MERGE = new Set(['Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Minimum']);

/** Values per sample, or null while a dimension is unknown. */
export function product(dims: SampleShape): number | null {
  let p = 1;
  for (const d of dims) {
    if (d === null) return null;
    p *= d;
  }
  return p;
}

function numberList(config: JsonRecord, key: string, rank: number, fallback: number): number[] {
  const list = arrayAt(config, key);
  if (list && list.every((v) => typeof v === 'number')) return list as number[];
  const single = numberAt(config, key);
  return new Array<number>(rank).fill(single ?? fallback);
}

/** Spatial output length of a convolution or pooling kernel sweep. */
function windowOut(size: number | null, kernel: number, stride: number, dilation: number, padding: string): number | null {
  if (size === null) return null;
  if (padding === 'same') return Math.ceil(size / stride);
  const effective = (kernel - 1) * dilation + 1;
  return Math.floor((size - effective) / stride) + 1;
}

function spatialLayer(className: string, config: JsonRecord, input: SampleShape): SampleShape {
  const rank = input.length - 1;
  if (rank < 1) return UNKNOWN;
  const channelsFirst = stringAt(config, 'data_format') === 'channels_first';
  const spatial = channelsFirst ? input.slice(1) : input.slice(0, -1);
  const channels = channelsFirst ? input[0] : input[input.length - 1];
  const isPool = className.includes('Pooling');
  const kernel = numberList(config, isPool ? 'pool_size' : 'kernel_size', rank, 2);
  const strides = numberList(config, 'strides', rank, isPool ? kernel[0] : 1);
  const dilation = numberList(config, 'dilation_rate', rank, 1);
  const padding = stringAt(config, 'padding') ?? 'valid';
  const outSpatial = spatial.map((s, i) => windowOut(s, kernel[i] ?? kernel[0], strides[i] ?? strides[0], dilation[i] ?? 1, padding));
  let outChannels: number | null = channels;
  if (!isPool) {
    const filters = numberAt(config, 'filters');
    if (className.startsWith('DepthwiseConv')) outChannels = channels === null ? null : channels * (numberAt(config, 'depth_multiplier') ?? 1);
    else outChannels = filters ?? null;
  }
  return channelsFirst ? [outChannels, ...outSpatial] : [...outSpatial, outChannels];
}

/** Output shape of one leaf layer from its config and input shapes; [null] when the class is not modelled. */
export function kerasLayerOutputShape(className: string, config: JsonRecord, inputs: SampleShape[]): SampleShape {
  const input = inputs[0] ?? UNKNOWN;
  if (SAME_SHAPE.has(className) || ELEMENTWISE_MERGE.has(className)) return input;
  switch (className) {
    case 'Dense': {
      const units = numberAt(config, 'units') ?? null;
      return [...input.slice(0, -1), units];
    }
    case 'Flatten':
      return [product(input)];
    case 'Reshape': {
      const target = shapeAt(config, 'target_shape');
      if (!target) return UNKNOWN;
      const known = product(target.filter((d): d is number => d !== null && d !== -1));
      const total = product(input);
      return target.map((d) => (d === null || d === -1 ? (total !== null && known ? total / known : null) : d));
    }
    case 'GlobalAveragePooling1D':
    case 'GlobalAveragePooling2D':
    case 'GlobalAveragePooling3D':
    case 'GlobalMaxPooling1D':
    case 'GlobalMaxPooling2D':
    case 'GlobalMaxPooling3D':
      return [stringAt(config, 'data_format') === 'channels_first' ? input[0] : input[input.length - 1]];
    case 'Concatenate': {
      const axis = numberAt(config, 'axis') ?? -1;
      const rank = input.length;
      const at = axis < 0 ? rank + axis : axis - 1;
      if (at < 0 || at >= rank) return UNKNOWN;
      const sum = inputs.reduce<number | null>((s, shape) => (s === null || shape[at] === null || shape[at] === undefined ? null : s + (shape[at] as number)), 0);
      return input.map((d, i) => (i === at ? sum : d));
    }
    default:
      if (/^(Conv[123]D|DepthwiseConv2D|SeparableConv[12]D|(Max|Average)Pooling[123]D)$/.test(className)) {
        return spatialLayer(className, config, input);
      }
      return UNKNOWN;
  }
}

/** Infers every flat layer's per-sample output shape in one forward sweep. */
export function inferKerasShapes(graph: KerasFlatGraph): Map<string, SampleShape> {
  const shapes = new Map<string, SampleShape>();
  const shapeOf = (ref: FlatRef): SampleShape => {
    if (ref.kind === 'input') return graph.inputs[ref.index]?.batchShape?.slice(1) ?? UNKNOWN;
    return ref.tensor === 0 ? shapes.get(ref.node) ?? UNKNOWN : UNKNOWN;
  };
  for (const node of graph.nodes) {
    shapes.set(node.name, kerasLayerOutputShape(node.className, node.config, node.inputs.map(shapeOf)));
  }
  return shapes;
}
