/**
 * NC2 on the classifier alone: the geometry of the last layer's rows w_c (and the spread of its bias),
 * from the weights, with no data. The one implementation behind the analysis result's
 * `classifier.weights` (with `rowNorms`, `bias`, `cosines`), `collapse-lens classifier` and the
 * "Classifier (from weights)" cards, so the three can never disagree.
 */
import type { BiasSpread, ClassifierResult, EtfNumbers } from '../result';
import { simplexGeometry } from './geometry';

export interface ClassifierGeometry extends EtfNumbers {
  numClasses: number;
  dim: number;
  /** ||w_c - w_bar||, the centred row norms (equinorm is their coefficient of variation). */
  rowNorms: number[];
  /** Spread of b over the classes; null when there is no bias term. */
  bias: BiasSpread | null;
  /** K x K cosines of the centred rows: 1 on the diagonal, null where a centred row is zero. */
  cosines: (number | null)[][];
  /** Why an ETF number is null, keyed by its name. */
  unavailable: Record<string, string>;
}

/**
 * `W` is K x D row-major (row c scores class c); `b` has K entries, or is null for a map without a bias.
 * The rows are centred by their unweighted mean w_bar = (1/K) sum_c w_c before anything is measured, the
 * convention of the class means (docs/metrics-implementation.md): a component shared by every row shifts
 * every logit equally and never changes a prediction. A non-finite weight is refused, naming its place.
 */
export function classifierGeometry(W: Float64Array, b: Float64Array | null, K: number, D: number): ClassifierGeometry {
  if (!Number.isInteger(K) || !Number.isInteger(D) || K < 1 || D < 1) throw new Error(`classifier: ${K} classes x ${D} features is not a weight matrix`);
  if (W.length !== K * D) throw new Error(`classifier: W has ${W.length} values; expected ${K} x ${D} (classes x features)`);
  if (b !== null && b.length !== K) throw new Error(`classifier: b has ${b.length} values; expected ${K} (one per class)`);
  for (let i = 0; i < W.length; i++) {
    if (!Number.isFinite(W[i])) throw new Error(`classifier: W[${Math.floor(i / D)}][${i % D}] is ${W[i]}, not a finite number`);
  }
  if (b) {
    for (let c = 0; c < K; c++) if (!Number.isFinite(b[c])) throw new Error(`classifier: b[${c}] is ${b[c]}, not a finite number`);
  }
  const g = simplexGeometry(W, K, D, 'classifier row');
  return {
    ...g.etf,
    numClasses: K,
    dim: D,
    rowNorms: Array.from(g.norms),
    bias: b ? biasSpread(b) : null,
    cosines: g.cosines,
    unavailable: { ...g.unavailable },
  };
}

export function biasSpread(b: Float64Array): BiasSpread {
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of b) {
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = sum / b.length;
  let variance = 0;
  for (const v of b) variance += (v - mean) ** 2;
  return { mean, std: Math.sqrt(variance / b.length), min, max };
}

/** The four ETF numbers alone (the result's `classifier.weights`). */
export function etfPart(g: ClassifierGeometry): EtfNumbers {
  return { equinorm: g.equinorm, equiangularity: g.equiangularity, maxAngle: g.maxAngle, etfDistance: g.etfDistance };
}

/** The fields of the result's classifier block that come from the weights alone. */
export function classifierWeightFields(g: ClassifierGeometry): Pick<ClassifierResult, 'weights' | 'rowNorms' | 'bias' | 'cosines'> {
  return { weights: etfPart(g), rowNorms: g.rowNorms, bias: g.bias, cosines: g.cosines };
}
