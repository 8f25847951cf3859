/**
 * Everything pass 1 gives about one layer on one split: counts, class means, within-class variability,
 * the geometry of the centred means (NC2), the spectrum of G = M~^T M~ used by NC1's pseudo-inverse,
 * and CDNV. Built by ClassStatsAccumulator.finish().
 */
import type { EtfNumbers } from '../result';
import { symmetricEigen, type SymmetricEigen } from './eigen';
import { listClasses, simplexGeometry, type SimplexGeometry } from './geometry';
import { ABSOLUTE_SQUARED_TOLERANCE, RELATIVE_EIGEN_TOLERANCE } from './tolerances';

export interface Nc2Numbers extends EtfNumbers {
  /** K x K cosines of the centred means (null entries where a centred mean is zero). */
  cosines: (number | null)[][] | null;
  /** ||mu_c - mu_G|| per class. */
  norms: (number | null)[] | null;
}

export interface ClassStats {
  layer: string;
  numClasses: number;
  dim: number;
  sampleCount: number;
  counts: number[];
  /** Classes with no sample in this split. */
  missingClasses: number[];
  /** Class means mu_c (K x D row-major, float64); a missing class's row is zero. */
  means: Float64Array;
  /** sum_{i in c} ||h_i - mu_c||^2 per class. */
  scatter: Float64Array;
  /** Var_c = scatter_c / n_c (null for a missing class). */
  variability: (number | null)[];
  /** mu_G, the unweighted mean of the class means; null when K < 2 or a class is missing. */
  globalMean: Float64Array | null;
  /** M~ stored as K rows mu_c - mu_G (K x D); null like globalMean. */
  centredMeans: Float64Array | null;
  /** G = M~^T M~ (K x K). */
  gram: Float64Array | null;
  /**
   * Eigendecomposition of G, eigenvalues descending; each eigenvector's largest-magnitude component is
   * made positive so the 2-D projection does not flip between runs.
   */
  eigen: SymmetricEigen | null;
  /** Number of eigenvalues kept by the pseudo-inverse (<= K-1). */
  rank: number | null;
  /** Eigenvalues above this were kept. */
  eigenThreshold: number | null;
  nc2: Nc2Numbers;
  /** ||mu_c - mu_c'||^2 between present classes (K x K; zero where a class is missing). */
  squaredDistances: Float64Array;
  /** CDNV(c, c') = (Var_c + Var_c') / (2 ||mu_c - mu_c'||^2); null on the diagonal's complement where undefined. */
  cdnvMatrix: (number | null)[][] | null;
  /** Mean of CDNV over pairs c != c'. */
  cdnv: number | null;
  /** Why a null number is null, keyed by metric name (nc1, equinorm, cdnv, ...). */
  unavailable: Record<string, string>;
}

export interface PassOneTotals {
  layer: string;
  numClasses: number;
  dim: number;
  counts: Float64Array;
  means: Float64Array;
  scatter: Float64Array;
}

export function buildClassStats(totals: PassOneTotals): ClassStats {
  const { layer, numClasses: K, dim: D } = totals;
  const counts = Array.from(totals.counts);
  const sampleCount = counts.reduce((a, b) => a + b, 0);
  const missingClasses = counts.flatMap((n, c) => (n === 0 ? [c] : []));
  const present = counts.map((n) => n > 0);
  const means = totals.means.slice();
  const scatter = totals.scatter.slice();
  const variability = counts.map((n, c) => (n > 0 ? scatter[c] / n : null));
  const unavailable: Record<string, string> = {};

  let geometry: SimplexGeometry | null = null;
  let squaredDistances: Float64Array;
  let scale: number;
  const whyNoGeometry = K < 2 ? `needs at least 2 classes (K = ${K})` : missingClasses.length > 0 ? noSampleReason(missingClasses) : null;
  if (whyNoGeometry === null) {
    geometry = simplexGeometry(means, K, D, 'class mean');
    squaredDistances = geometry.squaredDistances;
    scale = geometry.scale;
  } else {
    for (const key of ['nc1', 'nc1Rank', 'equinorm', 'equiangularity', 'maxAngle', 'etfDistance', 'meanCosines', 'meanNorms', 'projection']) {
      unavailable[key] = whyNoGeometry;
    }
    ({ squaredDistances, scale } = presentPairDistances(means, present, K, D));
  }

  let eigen: SymmetricEigen | null = null;
  let rank: number | null = null;
  let eigenThreshold: number | null = null;
  if (geometry !== null) {
    eigen = symmetricEigen(geometry.gram, K);
    normaliseSigns(eigen);
    const largest = eigen.values[0];
    eigenThreshold = Math.max(RELATIVE_EIGEN_TOLERANCE * largest, ABSOLUTE_SQUARED_TOLERANCE * scale);
    rank = 0;
    while (rank < K - 1 && eigen.values[rank] > eigenThreshold) rank++;
    if (rank === 0) {
      unavailable.nc1 = 'all class means coincide (Sigma_B has rank 0)';
      unavailable.projection = unavailable.nc1;
    }
    Object.assign(unavailable, geometry.unavailable);
  }

  const nc2: Nc2Numbers =
    geometry === null
      ? { equinorm: null, equiangularity: null, maxAngle: null, etfDistance: null, cosines: null, norms: null }
      : { ...geometry.etf, cosines: geometry.cosines, norms: Array.from(geometry.norms) };

  if (missingClasses.length > 0) {
    unavailable.classVariability = `null for class${missingClasses.length > 1 ? 'es' : ''} ${listClasses(missingClasses)}: no sample in this split`;
  }
  const { matrix: cdnvMatrix, mean: cdnv } = cdnvFrom(variability, squaredDistances, present, missingClasses, K, scale, unavailable);
  return {
    layer,
    numClasses: K,
    dim: D,
    sampleCount,
    counts,
    missingClasses,
    means,
    scatter,
    variability,
    globalMean: geometry?.centre ?? null,
    centredMeans: geometry?.centred ?? null,
    gram: geometry?.gram ?? null,
    eigen,
    rank,
    eigenThreshold,
    nc2,
    squaredDistances,
    cdnvMatrix,
    cdnv,
    unavailable,
  };
}

function cdnvFrom(
  variability: (number | null)[],
  squaredDistances: Float64Array,
  present: boolean[],
  missingClasses: number[],
  K: number,
  scale: number,
  unavailable: Record<string, string>,
): { matrix: (number | null)[][] | null; mean: number | null } {
  if (K < 2) {
    unavailable.cdnv = `needs at least 2 classes (K = ${K})`;
    unavailable.cdnvMatrix = unavailable.cdnv;
    return { matrix: null, mean: null };
  }
  const zeroLevel = ABSOLUTE_SQUARED_TOLERANCE * scale;
  const coincident: string[] = [];
  const matrix: (number | null)[][] = [];
  let sum = 0;
  let defined = 0;
  for (let c = 0; c < K; c++) {
    const line: (number | null)[] = [];
    for (let c2 = 0; c2 < K; c2++) {
      if (c === c2) {
        line.push(present[c] ? 0 : null);
        continue;
      }
      if (!present[c] || !present[c2]) {
        line.push(null);
        continue;
      }
      const distance = squaredDistances[c * K + c2];
      if (distance <= zeroLevel) {
        line.push(null);
        if (c2 > c) coincident.push(`${c} and ${c2}`);
        continue;
      }
      const value = ((variability[c] as number) + (variability[c2] as number)) / (2 * distance);
      line.push(value);
      if (c2 > c) {
        sum += value;
        defined++;
      }
    }
    matrix.push(line);
  }
  if (missingClasses.length > 0) {
    unavailable.cdnv = noSampleReason(missingClasses);
    return { matrix, mean: null };
  }
  if (coincident.length > 0) {
    unavailable.cdnv = `the means of classes ${listClasses(coincident, 4)} coincide: CDNV of that pair is unbounded`;
    return { matrix, mean: null };
  }
  return { matrix, mean: sum / defined };
}

function noSampleReason(missingClasses: number[]): string {
  const several = missingClasses.length > 1;
  return `class${several ? 'es' : ''} ${listClasses(missingClasses)} ha${several ? 've' : 's'} no sample in this split`;
}

/** Squared distances between the means of present classes, and the scale zero is measured against. */
function presentPairDistances(
  means: Float64Array,
  present: boolean[],
  K: number,
  D: number,
): { squaredDistances: Float64Array; scale: number } {
  const squaredDistances = new Float64Array(K * K);
  let scale = 0;
  let presentCount = 0;
  for (let c = 0; c < K; c++) {
    if (!present[c]) continue;
    presentCount++;
    const rowC = c * D;
    for (let k = 0; k < D; k++) scale += means[rowC + k] * means[rowC + k];
    for (let c2 = 0; c2 < c; c2++) {
      if (!present[c2]) continue;
      const rowC2 = c2 * D;
      let sum = 0;
      for (let k = 0; k < D; k++) {
        const x = means[rowC + k] - means[rowC2 + k];
        sum += x * x;
      }
      squaredDistances[c * K + c2] = sum;
      squaredDistances[c2 * K + c] = sum;
    }
  }
  return { squaredDistances, scale: presentCount > 0 ? scale / presentCount : 0 };
}

/** Makes each eigenvector's largest-magnitude component positive (the first such on ties). */
function normaliseSigns(eigen: SymmetricEigen): void {
  const { n, vectors } = eigen;
  for (let j = 0; j < n; j++) {
    let best = 0;
    let bestAbs = -1;
    for (let i = 0; i < n; i++) {
      const a = Math.abs(vectors[i * n + j]);
      if (a > bestAbs * (1 + 1e-9)) {
        best = i;
        bestAbs = a;
      }
    }
    if (vectors[best * n + j] < 0) for (let i = 0; i < n; i++) vectors[i * n + j] = -vectors[i * n + j];
  }
}
