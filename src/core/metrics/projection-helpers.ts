/** The small per-class computations behind ProjectionAccumulator: set-up constants and per-sample argmaxes. */
import type { ClassStats } from './class-stats';
import { listClasses } from './geometry';
import type { LinearClassifier } from './projection-accumulator';
import type { FeatureRows } from './batch-input';

export function referenceProblem(reference: ClassStats): string | null {
  if (reference.numClasses < 2) return `needs at least 2 classes (K = ${reference.numClasses})`;
  if (reference.missingClasses.length > 0) {
    const m = reference.missingClasses;
    return `the reference split has no sample of class${m.length > 1 ? 'es' : ''} ${listClasses(m)}, so it has no NCC centre for ${m.length > 1 ? 'them' : 'it'}`;
  }
  if (reference.centredMeans === null || !reference.rank) return 'the reference class means all coincide: every class is equally near';
  return null;
}

/** z_c = out[base + c] for c < K-1, and z_{K-1} = -sum of the others (the centred means sum to zero). */
export function fillCentredProducts(out: Float64Array, base: number, z: Float64Array, K: number): void {
  let sum = 0;
  for (let c = 0; c < K - 1; c++) {
    const v = out[base + c];
    z[c] = v;
    sum += v;
  }
  z[K - 1] = -sum;
}

/** mu_G of the present classes, when a class is missing (any centre works for NCC and NC4). */
export function meanOfPresentMeans(stats: ClassStats): Float64Array {
  const D = stats.dim;
  const centre = new Float64Array(D);
  let present = 0;
  for (let c = 0; c < stats.numClasses; c++) {
    if (stats.counts[c] === 0) continue;
    present++;
    for (let k = 0; k < D; k++) centre[k] += stats.means[c * D + k];
  }
  if (present > 0) for (let k = 0; k < D; k++) centre[k] /= present;
  return centre;
}

/** ||row_c - point||^2 for the K rows of a K x D matrix. */
export function squaredDistancesTo(rows: Float64Array, point: Float64Array, K: number, D: number): Float64Array {
  const out = new Float64Array(K);
  for (let c = 0; c < K; c++) {
    let sum = 0;
    for (let k = 0; k < D; k++) {
      const x = rows[c * D + k] - point[k];
      sum += x * x;
    }
    out[c] = sum;
  }
  return out;
}

export function classifierOffsets(classifier: LinearClassifier, centre: Float64Array, K: number, D: number): Float64Array {
  const offsets = new Float64Array(K);
  for (let c = 0; c < K; c++) {
    let sum = 0;
    for (let k = 0; k < D; k++) sum += classifier.W[c * D + k] * centre[k];
    offsets[c] = sum + classifier.b[c];
  }
  return offsets;
}

/** First index of the largest value (the network's prediction; ties go to the lower class). */
export function argmaxOfRow(values: FeatureRows, start: number, K: number): number {
  let best = 0;
  for (let c = 1; c < K; c++) if (values[start + c] > values[start + best]) best = c;
  return best;
}

/** Top-1 agreement of row-major logits (count x K) with the labels. */
export function countCorrect(logits: FeatureRows, labels: Int32Array, numClasses: number): number {
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (argmaxOfRow(logits, i * numClasses, numClasses) === labels[i]) correct++;
  return correct;
}

export function argmaxShifted(values: Float64Array, start: number, shift: Float64Array, K: number): number {
  let best = 0;
  let bestValue = values[start] + shift[0];
  for (let c = 1; c < K; c++) {
    const v = values[start + c] + shift[c];
    if (v > bestValue) {
      best = c;
      bestValue = v;
    }
  }
  return best;
}
