/**
 * Classifier-side metrics from the last linear layer and the TRAINING split's class statistics at the
 * layer that feeds it: NC3 (self-duality) and the simplex-ETF numbers of the classifier rows.
 */
import type { EtfNumbers } from '../result';
import type { ClassStats } from './class-stats';
import { classifierGeometry, etfPart, type ClassifierGeometry } from './classifier-geometry';
import { ABSOLUTE_SQUARED_TOLERANCE } from './tolerances';

export interface ClassifierMetrics {
  /** || W^T/||W||_F - M~/||M~||_F ||_F^2 (squared, as Papyan), with W as given (not centred). */
  nc3: number | null;
  /** ETF numbers of the rows w_c. */
  weights: EtfNumbers;
  /** Everything the weights alone give (classifierGeometry): `weights` is its ETF part. */
  geometry: ClassifierGeometry;
  unavailable: Record<string, string>;
}

/**
 * `W` is K x D row-major (row c scores class c), `b` has K entries.
 *
 * The ETF numbers of the classifier rows are computed on the rows CENTRED by their unweighted mean,
 * w_c - (1/K) sum_c' w_c', the same centring as the class means. A component shared by every row adds
 * the same amount to every logit and never changes a prediction, so it says nothing about the
 * classifier's geometry; Papyan's and Zhu et al.'s code use the raw rows, which agree with this when
 * the rows already sum to zero (as they tend to in the terminal phase). NC3 uses W uncentred, exactly as
 * defined in docs/metrics.md.
 */
export function classifierMetrics(W: Float64Array, b: Float64Array, trainStats: ClassStats, options: { biasless?: boolean } = {}): ClassifierMetrics {
  const K = trainStats.numClasses;
  const D = trainStats.dim;
  if (W.length !== K * D || b.length !== K) {
    throw new Error(
      `classifier for layer "${trainStats.layer}": W has ${W.length} and b ${b.length} values; expected ${K} x ${D} and ${K} (classes x layer width)`,
    );
  }
  const geometry = withLayer(trainStats.layer, () => classifierGeometry(W, options.biasless ? null : b, K, D));
  const unavailable: Record<string, string> = { ...geometry.unavailable };
  return { nc3: selfDuality(W, trainStats, unavailable), weights: etfPart(geometry), geometry, unavailable };
}

/** classifierGeometry's refusals, naming the layer the classifier reads. */
function withLayer<T>(layer: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof Error) err.message = err.message.replace(/^classifier: /, `classifier for layer "${layer}": `);
    throw err;
  }
}

function selfDuality(W: Float64Array, stats: ClassStats, unavailable: Record<string, string>): number | null {
  const centred = stats.centredMeans;
  if (centred === null) {
    unavailable.nc3 = stats.unavailable.equinorm ?? 'training class means unavailable';
    return null;
  }
  let wNormSq = 0;
  for (let i = 0; i < W.length; i++) wNormSq += W[i] * W[i];
  let mNormSq = 0;
  for (let i = 0; i < centred.length; i++) mNormSq += centred[i] * centred[i];
  let meanScale = 0;
  for (let i = 0; i < stats.means.length; i++) meanScale += stats.means[i] * stats.means[i];
  meanScale /= stats.numClasses;
  if (wNormSq === 0) {
    unavailable.nc3 = 'the classifier weights are all zero';
    return null;
  }
  if (mNormSq <= ABSOLUTE_SQUARED_TOLERANCE * meanScale) {
    unavailable.nc3 = 'all training class means coincide (M~ = 0)';
    return null;
  }
  const wNorm = Math.sqrt(wNormSq);
  const mNorm = Math.sqrt(mNormSq);
  let sum = 0;
  for (let i = 0; i < W.length; i++) {
    const x = W[i] / wNorm - centred[i] / mNorm;
    sum += x * x;
  }
  return sum;
}
