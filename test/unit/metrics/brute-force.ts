/**
 * The independent check: every metric computed the plain way, straight from docs/metrics.md, with the
 * D x D matrices the literature's code forms (Sigma_W, Sigma_B) and a full pseudo-inverse of Sigma_B from
 * a cyclic Jacobi eigendecomposition. Slow (O(N D^2 + D^3)) and written for clarity, not speed; it shares
 * no code with src/core/metrics.
 */
import { gaussian, seededRandom, type Dataset } from './helpers';

/** Cyclic Jacobi: A = V diag(values) V^T for a symmetric n x n matrix (flat, row-major). */
export function jacobiEigen(input: Float64Array, n: number): { values: number[]; vectors: Float64Array } {
  const a = input.slice();
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  let total = 0;
  for (let i = 0; i < n * n; i++) total += a[i] * a[i];
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q] * a[p * n + q];
    if (off <= 1e-32 * total || off === 0) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (apq === 0) continue;
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        // A <- J^T A J on rows/columns p and q.
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p];
          const akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k];
          const aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p];
          const vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values: number[] = [];
  for (let i = 0; i < n; i++) values.push(a[i * n + i]);
  return { values, vectors: v };
}

function row(data: Dataset, i: number): number[] {
  return Array.from(data.features.subarray(i * data.dim, (i + 1) * data.dim));
}

export function classMeans(data: Dataset): { means: number[][]; counts: number[] } {
  const K = data.numClasses;
  const D = data.dim;
  const sums = Array.from({ length: K }, () => new Array<number>(D).fill(0));
  const counts = new Array<number>(K).fill(0);
  for (let i = 0; i < data.count; i++) {
    const c = data.labels[i];
    counts[c]++;
    const h = row(data, i);
    for (let k = 0; k < D; k++) sums[c][k] += h[k];
  }
  return { means: sums.map((s, c) => s.map((x) => x / counts[c])), counts };
}

function dot(a: number[], b: number[]): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k] * b[k];
  return s;
}

function squaredDistance(a: number[], b: number[]): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += (a[k] - b[k]) ** 2;
  return s;
}

function populationStd(values: number[]): number {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
}

/** The four NC2 numbers of K vectors, centred by their unweighted mean. */
export function etfReference(vectors: number[][]): { equinorm: number; equiangularity: number; maxAngle: number; etfDistance: number } {
  const K = vectors.length;
  const D = vectors[0].length;
  const centre = new Array<number>(D).fill(0);
  for (const v of vectors) for (let k = 0; k < D; k++) centre[k] += v[k] / K;
  const m = vectors.map((v) => v.map((x, k) => x - centre[k]));
  const norms = m.map((x) => Math.sqrt(dot(x, x)));
  const cosines: number[] = [];
  for (let c = 0; c < K; c++) for (let c2 = 0; c2 < K; c2++) if (c !== c2) cosines.push(dot(m[c], m[c2]) / (norms[c] * norms[c2]));
  const G = m.map((x) => m.map((y) => dot(x, y)));
  const gNorm = Math.sqrt(G.flat().reduce((a, b) => a + b * b, 0));
  let distance = 0;
  for (let c = 0; c < K; c++) {
    for (let c2 = 0; c2 < K; c2++) {
      const target = ((c === c2 ? 1 : 0) - 1 / K) / Math.sqrt(K - 1);
      distance += (G[c][c2] / gNorm - target) ** 2;
    }
  }
  return {
    equinorm: populationStd(norms) / (norms.reduce((a, b) => a + b, 0) / K),
    equiangularity: populationStd(cosines),
    maxAngle: cosines.reduce((a, b) => a + Math.abs(b + 1 / (K - 1)), 0) / cosines.length,
    etfDistance: Math.sqrt(distance),
  };
}

export interface BruteForceSplit {
  nc1: number;
  rank: number;
  equinorm: number;
  equiangularity: number;
  maxAngle: number;
  etfDistance: number;
  variability: number[];
  cdnvMatrix: number[][];
  cdnv: number;
  /** NCC accuracy against the given reference means. */
  nccAccuracy: number;
  /** argmin_c ||h_i - mu^ref_c|| per sample. */
  nearest: number[];
}

/** One split, with `referenceMeans` (the training split's) for NCC. */
export function bruteForceSplit(data: Dataset, referenceMeans: number[][]): BruteForceSplit {
  const K = data.numClasses;
  const D = data.dim;
  const N = data.count;
  const { means } = classMeans(data);
  const muG = new Array<number>(D).fill(0);
  for (const mu of means) for (let k = 0; k < D; k++) muG[k] += mu[k] / K;

  const sigmaW = new Float64Array(D * D);
  const variabilitySums = new Array<number>(K).fill(0);
  const counts = new Array<number>(K).fill(0);
  for (let i = 0; i < N; i++) {
    const c = data.labels[i];
    const d = row(data, i).map((x, k) => x - means[c][k]);
    counts[c]++;
    variabilitySums[c] += dot(d, d);
    for (let a = 0; a < D; a++) for (let b = 0; b < D; b++) sigmaW[a * D + b] += (d[a] * d[b]) / N;
  }
  const sigmaB = new Float64Array(D * D);
  for (const mu of means) {
    const m = mu.map((x, k) => x - muG[k]);
    for (let a = 0; a < D; a++) for (let b = 0; b < D; b++) sigmaB[a * D + b] += (m[a] * m[b]) / K;
  }
  // Full pseudo-inverse: keep the eigenvalues above 1e-10 x the largest, at most K-1 of them.
  const { values, vectors } = jacobiEigen(sigmaB, D);
  const order = values.map((_, j) => j).sort((x, y) => values[y] - values[x]);
  const largest = values[order[0]];
  const kept = order.filter((j, position) => position < K - 1 && values[j] > 1e-10 * largest);
  const pinv = new Float64Array(D * D);
  for (const j of kept) {
    for (let a = 0; a < D; a++) for (let b = 0; b < D; b++) pinv[a * D + b] += (vectors[a * D + j] * vectors[b * D + j]) / values[j];
  }
  let trace = 0;
  for (let a = 0; a < D; a++) for (let b = 0; b < D; b++) trace += sigmaW[a * D + b] * pinv[b * D + a];

  const variability = variabilitySums.map((s, c) => s / counts[c]);
  const cdnvMatrix = means.map((mu, c) =>
    means.map((mu2, c2) => (c === c2 ? 0 : (variability[c] + variability[c2]) / (2 * squaredDistance(mu, mu2)))),
  );
  let cdnvSum = 0;
  for (let c = 0; c < K; c++) for (let c2 = c + 1; c2 < K; c2++) cdnvSum += cdnvMatrix[c][c2];

  const nearest: number[] = [];
  let correct = 0;
  for (let i = 0; i < N; i++) {
    const h = row(data, i);
    let best = 0;
    for (let c = 1; c < K; c++) if (squaredDistance(h, referenceMeans[c]) < squaredDistance(h, referenceMeans[best])) best = c;
    nearest.push(best);
    if (best === data.labels[i]) correct++;
  }
  return {
    nc1: trace / K,
    rank: kept.length,
    ...etfReference(means),
    variability,
    cdnvMatrix,
    cdnv: cdnvSum / ((K * (K - 1)) / 2),
    nccAccuracy: correct / N,
    nearest,
  };
}

/** The network's logits W h + b in float64. */
export function logitsOf(data: Dataset, W: Float64Array, b: Float64Array): Float64Array {
  const K = data.numClasses;
  const D = data.dim;
  const out = new Float64Array(data.count * K);
  for (let i = 0; i < data.count; i++) {
    for (let c = 0; c < K; c++) {
      let s = b[c];
      for (let k = 0; k < D; k++) s += W[c * D + k] * data.features[i * D + k];
      out[i * K + c] = s;
    }
  }
  return out;
}

export function nc4Reference(logits: ArrayLike<number>, nearest: number[], K: number): { nc4: number; accuracy: (labels: Int32Array) => number } {
  const predictions = nearest.map((_, i) => {
    let best = 0;
    for (let c = 1; c < K; c++) if (logits[i * K + c] > logits[i * K + best]) best = c;
    return best;
  });
  const disagree = predictions.filter((p, i) => p !== nearest[i]).length;
  return {
    nc4: disagree / nearest.length,
    accuracy: (labels) => predictions.filter((p, i) => p === labels[i]).length / nearest.length,
  };
}

/** NC3 = || W^T/||W||_F - M~/||M~||_F ||_F^2 with M~ the centred training means. */
export function nc3Reference(W: Float64Array, means: number[][]): number {
  const K = means.length;
  const D = means[0].length;
  const muG = new Array<number>(D).fill(0);
  for (const mu of means) for (let k = 0; k < D; k++) muG[k] += mu[k] / K;
  const M = means.map((mu) => mu.map((x, k) => x - muG[k]));
  const mNorm = Math.sqrt(M.flat().reduce((a, b) => a + b * b, 0));
  const wNorm = Math.sqrt(Array.from(W).reduce((a, b) => a + b * b, 0));
  let sum = 0;
  for (let c = 0; c < K; c++) for (let k = 0; k < D; k++) sum += (W[c * D + k] / wNorm - M[c][k] / mNorm) ** 2;
  return sum;
}

/**
 * max |A v_j - lambda_j v_j| (relative to max |A|) and max |V^T V - I| with the vectors as contiguous rows:
 * column walks are too slow at K = 1000. Used by eigen.test.ts and bench:metrics.
 */
export function eigenResiduals(a: Float64Array, n: number, values: Float64Array, vectors: Float64Array): { residual: number; orthogonality: number } {
  const rows = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) rows[j * n + i] = vectors[i * n + j];
  let residual = 0;
  let orthogonality = 0;
  for (let j = 0; j < n; j++) {
    const v = j * n;
    for (let i = 0; i < n; i++) {
      let av = 0;
      for (let k = 0; k < n; k++) av += a[i * n + k] * rows[v + k];
      residual = Math.max(residual, Math.abs(av - values[j] * rows[v + i]));
    }
    for (let l = 0; l <= j; l++) {
      let dot = 0;
      for (let k = 0; k < n; k++) dot += rows[l * n + k] * rows[v + k];
      orthogonality = Math.max(orthogonality, Math.abs(dot - (l === j ? 1 : 0)));
    }
  }
  return { residual: residual / Math.max(a.reduce((m, x) => Math.max(m, Math.abs(x)), 0), 1e-300), orthogonality };
}


/** The centred Gram of K random means in D dimensions: PSD of rank K - 1 with the ones vector as null space, like Sigma_B's G. */
export function centredGram(K: number, D: number, seed: number): Float64Array {
  const random = seededRandom(seed);
  const means = Float64Array.from({ length: K * D }, () => gaussian(random));
  for (let d = 0; d < D; d++) {
    let mean = 0;
    for (let c = 0; c < K; c++) mean += means[c * D + d];
    mean /= K;
    for (let c = 0; c < K; c++) means[c * D + d] -= mean;
  }
  const gram = new Float64Array(K * K);
  for (let i = 0; i < K; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let d = 0; d < D; d++) s += means[i * D + d] * means[j * D + d];
      gram[i * K + j] = gram[j * K + i] = s;
    }
  }
  return gram;
}
