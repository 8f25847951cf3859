/**
 * NC2 geometry of K vectors in R^D (class means, or classifier rows): centred by their unweighted mean,
 * then norms, cosines, Gram matrix and the four simplex-ETF numbers of docs/metrics.md.
 */
import type { EtfNumbers } from '../result';
import { ABSOLUTE_SQUARED_TOLERANCE } from './tolerances';

export interface SimplexGeometry {
  count: number;
  dim: number;
  /** Unweighted mean of the rows (D). */
  centre: Float64Array;
  /** Rows minus the centre (K x D row-major). */
  centred: Float64Array;
  /** Gram matrix of the centred rows (K x K). */
  gram: Float64Array;
  /** ||row_c - row_c'||^2 of the rows as given (K x K), computed directly, not from the Gram matrix. */
  squaredDistances: Float64Array;
  /** Mean squared norm of the rows as given: the scale that "zero" is measured against. */
  scale: number;
  /** ||row_c - centre||. */
  norms: Float64Array;
  /** Rows whose centred norm is rounding noise (see ABSOLUTE_SQUARED_TOLERANCE). */
  zeroRows: number[];
  /** Cosines of the centred rows; null where a row is zero; 1 on the diagonal otherwise. */
  cosines: (number | null)[][];
  etf: EtfNumbers;
  /** Why an ETF number is null, keyed by its name. */
  unavailable: Record<string, string>;
}

/**
 * `what` names the vectors in reasons ("class mean", "classifier row"). The standard deviations are
 * population ones (divide by the count), so counting each unordered pair once or twice is the same.
 */
export function simplexGeometry(rows: Float64Array, count: number, dim: number, what: string): SimplexGeometry {
  const centre = new Float64Array(dim);
  for (let c = 0; c < count; c++) {
    const row = c * dim;
    for (let k = 0; k < dim; k++) centre[k] += rows[row + k];
  }
  for (let k = 0; k < dim; k++) centre[k] /= count;
  const centred = new Float64Array(count * dim);
  let scale = 0;
  for (let c = 0; c < count; c++) {
    const row = c * dim;
    for (let k = 0; k < dim; k++) {
      const v = rows[row + k];
      centred[row + k] = v - centre[k];
      scale += v * v;
    }
  }
  scale /= count;

  const { gram, squaredDistances } = gramAndDistances(centred, rows, count, dim);
  const norms = new Float64Array(count);
  const zeroRows: number[] = [];
  const zeroLevel = ABSOLUTE_SQUARED_TOLERANCE * scale;
  for (let c = 0; c < count; c++) {
    const g = gram[c * count + c];
    norms[c] = Math.sqrt(g);
    if (g <= zeroLevel) zeroRows.push(c);
  }
  const isZero = new Uint8Array(count);
  for (const c of zeroRows) isZero[c] = 1;
  const cosines: (number | null)[][] = [];
  for (let c = 0; c < count; c++) {
    const line: (number | null)[] = [];
    for (let c2 = 0; c2 < count; c2++) {
      if (isZero[c] || isZero[c2]) line.push(null);
      else if (c === c2) line.push(1);
      else line.push(clampUnit(gram[c * count + c2] / (norms[c] * norms[c2])));
    }
    cosines.push(line);
  }

  const unavailable: Record<string, string> = {};
  const etf = etfNumbers(gram, norms, cosines, zeroRows, count, what, unavailable);
  return { count, dim, centre, centred, gram, squaredDistances, scale, norms, zeroRows, cosines, etf, unavailable };
}

function etfNumbers(
  gram: Float64Array,
  norms: Float64Array,
  cosines: (number | null)[][],
  zeroRows: number[],
  count: number,
  what: string,
  unavailable: Record<string, string>,
): EtfNumbers {
  const etf: EtfNumbers = { equinorm: null, equiangularity: null, maxAngle: null, etfDistance: null };
  if (count < 2) {
    const reason = `needs at least 2 classes (K = ${count})`;
    for (const key of ['equinorm', 'equiangularity', 'maxAngle', 'etfDistance'] as const) unavailable[key] = reason;
    return etf;
  }
  if (zeroRows.length === count) {
    const reason = `every centred ${what} is zero (they all coincide)`;
    for (const key of ['equinorm', 'equiangularity', 'maxAngle', 'etfDistance'] as const) unavailable[key] = reason;
    return etf;
  }

  let normSum = 0;
  for (let c = 0; c < count; c++) normSum += norms[c];
  const normMean = normSum / count;
  let normVar = 0;
  for (let c = 0; c < count; c++) normVar += (norms[c] - normMean) ** 2;
  etf.equinorm = Math.sqrt(normVar / count) / normMean;

  if (zeroRows.length > 0) {
    const reason = `the centred ${what} of class${zeroRows.length > 1 ? 'es' : ''} ${listClasses(zeroRows)} is zero (coincides with the global mean): its angles are undefined`;
    unavailable.equiangularity = reason;
    unavailable.maxAngle = reason;
  } else {
    const pairs = (count * (count - 1)) / 2;
    const offset = 1 / (count - 1);
    let cosSum = 0;
    let maxAngleSum = 0;
    for (let c = 0; c < count; c++) {
      for (let c2 = 0; c2 < c; c2++) {
        const cos = cosines[c][c2] as number;
        cosSum += cos;
        maxAngleSum += Math.abs(cos + offset);
      }
    }
    const cosMean = cosSum / pairs;
    let cosVar = 0;
    for (let c = 0; c < count; c++) {
      for (let c2 = 0; c2 < c; c2++) cosVar += ((cosines[c][c2] as number) - cosMean) ** 2;
    }
    etf.equiangularity = Math.sqrt(cosVar / pairs);
    etf.maxAngle = maxAngleSum / pairs;
  }

  let gramNormSq = 0;
  for (let i = 0; i < count * count; i++) gramNormSq += gram[i] * gram[i];
  const gramNorm = Math.sqrt(gramNormSq);
  const etfScale = 1 / Math.sqrt(count - 1);
  let distanceSq = 0;
  for (let c = 0; c < count; c++) {
    for (let c2 = 0; c2 < count; c2++) {
      const target = ((c === c2 ? 1 : 0) - 1 / count) * etfScale;
      distanceSq += (gram[c * count + c2] / gramNorm - target) ** 2;
    }
  }
  etf.etfDistance = Math.sqrt(distanceSq);
  return etf;
}

/**
 * One sweep over all pairs gives both the Gram matrix of `centred` and the squared distances between
 * the rows of `raw` (the distances from raw rows avoid the cancellation of G_cc + G_c'c' - 2 G_cc').
 */
export function gramAndDistances(
  centred: Float64Array,
  raw: Float64Array,
  count: number,
  dim: number,
): { gram: Float64Array; squaredDistances: Float64Array } {
  const gram = new Float64Array(count * count);
  const squaredDistances = new Float64Array(count * count);
  for (let c = 0; c < count; c++) {
    const rowC = c * dim;
    for (let c2 = 0; c2 <= c; c2++) {
      const rowC2 = c2 * dim;
      let dot0 = 0;
      let dot1 = 0;
      let dist0 = 0;
      let dist1 = 0;
      let k = 0;
      for (; k + 1 < dim; k += 2) {
        dot0 += centred[rowC + k] * centred[rowC2 + k];
        dot1 += centred[rowC + k + 1] * centred[rowC2 + k + 1];
        const x0 = raw[rowC + k] - raw[rowC2 + k];
        const x1 = raw[rowC + k + 1] - raw[rowC2 + k + 1];
        dist0 += x0 * x0;
        dist1 += x1 * x1;
      }
      if (k < dim) {
        dot0 += centred[rowC + k] * centred[rowC2 + k];
        const x0 = raw[rowC + k] - raw[rowC2 + k];
        dist0 += x0 * x0;
      }
      const dot = dot0 + dot1;
      const dist = dist0 + dist1;
      gram[c * count + c2] = dot;
      gram[c2 * count + c] = dot;
      squaredDistances[c * count + c2] = dist;
      squaredDistances[c2 * count + c] = dist;
    }
  }
  return { gram, squaredDistances };
}

export function listClasses(classes: readonly (number | string)[], max = 8): string {
  const shown = classes.slice(0, max).join(', ');
  return classes.length > max ? `${shown} and ${classes.length - max} more` : shown;
}

function clampUnit(x: number): number {
  return x > 1 ? 1 : x < -1 ? -1 : x;
}
