/**
 * Feature reductions: how a probed tensor's per-sample value becomes the feature vector the metrics see.
 *
 * - `flatten`: the whole tensor, C-order (exact; the neural-collapse literature's default for conv maps).
 * - `gap`: the spatial mean of a C x H x W map, one value per channel (C features).
 * - `cls`: the class token (token 0) of a T x D token tensor (D features), as ViT papers read it.
 * - `mean`: the mean over the T tokens of a T x D tensor (D features), for transformers without a class token.
 *
 * Defaults (`auto`): a token tensor (T x D in a model with attention) takes `cls` when the model has a
 * class token, else `mean`; every other tensor is flattened. A conv map too wide for memory is refused
 * with `gap` offered by name (src/engine/analyze/memoryEstimate.ts), never reduced silently.
 */
import type { LayerInfo } from './types';
import type { LayerReduction } from '../result';

export type Reduction = LayerReduction;
/** Every reduction, in the order the CLI and the settings list them. */
export const REDUCTIONS: readonly Reduction[] = ['flatten', 'gap', 'cls', 'mean'];

/** What the user asked for: one choice for every probe, and per-layer choices that win over it. */
export interface ReductionRequest {
  /** `auto` (the defaults above) or one reduction for every probe it applies to (the others are flattened). */
  all: 'auto' | Reduction;
  /** Per layer name; a choice that does not fit the layer's shape is refused. */
  layers?: Record<string, Reduction>;
}

/** What the graph says about tokens: set for ONNX graphs with attention (a MatMul of two activations). */
export interface TokenModelInfo {
  /** True when a learned token is concatenated in front of the patch tokens (token 0 is the class token). */
  classToken: boolean;
}

/** The reduction of each probe, and the per-sample shape it produces. */
export interface PlannedReduction {
  reduction: Reduction;
  /** The probed tensor's per-sample shape, before reduction. */
  tensorShape: number[];
  /** The reduced per-sample shape (what the metrics see). */
  shape: number[];
  dim: number;
}

const product = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Why `reduction` cannot be applied to a tensor of this per-sample shape, or null when it can. */
export function reductionMismatch(shape: readonly number[], reduction: Reduction): string | null {
  const text = `[${shape.join(', ')}]`;
  if (reduction === 'gap' && shape.length !== 3) return `gap needs a C x H x W map, and this tensor is ${text}`;
  if ((reduction === 'cls' || reduction === 'mean') && shape.length !== 2) return `${reduction} needs a T x D token tensor, and this tensor is ${text}`;
  return null;
}

/** The per-sample shape after the reduction (the caller has checked that it applies). */
export function reducedShape(shape: readonly number[], reduction: Reduction): number[] {
  switch (reduction) {
    case 'flatten': return shape.slice();
    case 'gap': return [shape[0]];
    case 'cls':
    case 'mean': return [shape[1]];
  }
}

/** A C x H x W map with more than one position: what `gap` shrinks (by H x W), never a vector or a 1 x 1 pool. */
export function isSpatialMap(shape: readonly (number | null)[]): boolean {
  return shape.length === 3 && shape.every((d) => d !== null) && (shape[1] as number) * (shape[2] as number) > 1;
}

/** A T x D tensor of a model with attention: the transformer's token sequence (tokens on the first axis). */
export function isTokenTensor(shape: readonly number[], tokens: TokenModelInfo | undefined): boolean {
  return tokens !== undefined && shape.length === 2 && shape[0] > 1;
}

/** The default reduction of a tensor (see the module comment for why). */
export function autoReduction(shape: readonly number[], tokens: TokenModelInfo | undefined): Reduction {
  if (isTokenTensor(shape, tokens)) return tokens?.classToken ? 'cls' : 'mean';
  return 'flatten';
}

/** Parses `auto`, `gap`, `layer=gap`, or a comma list of them (CLI flag, setting). */
export function parseReductionRequest(text: string, what = '--reduce'): ReductionRequest {
  const request: ReductionRequest = { all: 'auto' };
  const layers: Record<string, Reduction> = {};
  const isReduction = (s: string): s is Reduction => (REDUCTIONS as readonly string[]).includes(s);
  const choices = `auto, ${REDUCTIONS.join(', ')}`;
  for (const raw of text.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    // A layer name may contain "=" only before the last one: split there.
    const eq = raw.lastIndexOf('=');
    if (eq < 0) {
      if (raw !== 'auto' && !isReduction(raw)) throw new Error(`${what}: "${raw}" is not a reduction (${choices}, or <layer>=<reduction>)`);
      request.all = raw;
      continue;
    }
    const name = raw.slice(0, eq).trim();
    const value = raw.slice(eq + 1).trim();
    if (!name) throw new Error(`${what}: "${raw}" names no layer before "="`);
    if (!isReduction(value)) throw new Error(`${what}: "${value}" (for layer "${name}") is not a reduction (${REDUCTIONS.join(', ')})`);
    layers[name] = value;
  }
  if (Object.keys(layers).length > 0) request.layers = layers;
  return request;
}

/** The request as one line (the result's settings, the CLI's note). */
export function describeReductionRequest(request: ReductionRequest | undefined): string {
  if (!request) return 'auto';
  const layers = Object.entries(request.layers ?? {}).map(([name, r]) => `${name}=${r}`);
  return [request.all, ...layers].join(',');
}

/**
 * The reduction of every probe. Per-layer choices must name a probe and fit its shape (else refused,
 * naming the layer); a global choice applies where it fits and leaves the other probes flattened.
 * `probes` must have fully known shapes.
 */
export function planReductions(
  modelPath: string,
  probes: readonly LayerInfo[],
  request: ReductionRequest | undefined,
  tokens: TokenModelInfo | undefined,
): Map<string, PlannedReduction> {
  const perLayer = request?.layers ?? {};
  const probeNames = new Set(probes.map((p) => p.name));
  const strays = Object.keys(perLayer).filter((name) => !probeNames.has(name));
  if (strays.length > 0) {
    throw new Error(`${modelPath}: a reduction was given for ${strays.map((s) => `"${s}"`).join(', ')}, which ${strays.length > 1 ? 'are' : 'is'} not probed (probes: ${probes.map((p) => p.name).join(', ')})`);
  }
  const plan = new Map<string, PlannedReduction>();
  for (const p of probes) {
    const shape = p.shape.map((d) => d ?? NaN);
    let reduction: Reduction;
    const own = perLayer[p.name];
    if (own) {
      const mismatch = reductionMismatch(shape, own);
      if (mismatch) throw new Error(`${modelPath}: layer "${p.name}": ${mismatch}`);
      reduction = own;
    } else if (request && request.all !== 'auto') {
      reduction = reductionMismatch(shape, request.all) === null ? request.all : 'flatten';
    } else {
      reduction = autoReduction(shape, tokens);
    }
    const reduced = reducedShape(shape, reduction);
    plan.set(p.name, { reduction, tensorShape: shape, shape: reduced, dim: product(reduced) });
  }
  return plan;
}

/**
 * Applies a reduction to `rows` samples laid out row-major (rows x prod(tensorShape)), returning
 * rows x dim. `flatten` returns the input itself. Sums in float64, then stored in the input's type:
 * float32 like the fetched values, float64 for a features .npz saved in float64 (never narrowed).
 */
export function reduceRows<T extends Float32Array | Float64Array>(values: T, rows: number, planned: PlannedReduction): T {
  if (planned.reduction === 'flatten') return values;
  const size = product(planned.tensorShape);
  if (values.length !== rows * size) throw new Error(`reduction ${planned.reduction}: ${values.length} values are not ${rows} samples of [${planned.tensorShape.join(', ')}]`);
  const out = (values instanceof Float64Array ? new Float64Array(rows * planned.dim) : new Float32Array(rows * planned.dim)) as T;
  if (planned.reduction === 'cls') {
    const d = planned.tensorShape[1];
    for (let r = 0; r < rows; r++) out.set(values.subarray(r * size, r * size + d), r * d);
    return out;
  }
  // gap: C groups of H*W contiguous values; mean: T groups of D, averaged position-wise.
  const [outer, inner] = planned.reduction === 'gap'
    ? [planned.tensorShape[0], planned.tensorShape[1] * planned.tensorShape[2]]
    : [planned.tensorShape[0], planned.tensorShape[1]];
  const acc = new Float64Array(planned.dim);
  for (let r = 0; r < rows; r++) {
    const base = r * size;
    acc.fill(0);
    if (planned.reduction === 'gap') {
      for (let c = 0; c < outer; c++) {
        let s = 0;
        for (let k = 0; k < inner; k++) s += values[base + c * inner + k];
        acc[c] = s / inner;
      }
    } else {
      for (let t = 0; t < outer; t++) for (let k = 0; k < inner; k++) acc[k] += values[base + t * inner + k];
      for (let k = 0; k < inner; k++) acc[k] /= outer;
    }
    for (let k = 0; k < planned.dim; k++) out[r * planned.dim + k] = acc[k];
  }
  return out;
}
