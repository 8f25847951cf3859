/** A result of LARGE_K classes (above PACK_ABOVE_CLASSES) with every K x K matrix, as rows, for tests of packing and its readers. */
import type { AnalysisResult, MatrixCells } from '../../../src/core/result';
import { PACK_ABOVE_CLASSES } from '../../../src/core/packedMatrix';
import { seededRandom } from '../../../src/core/dataset/sampling';
import { syntheticResult } from './syntheticResult';

export const LARGE_K = PACK_ABOVE_CLASSES + 6;

/** Values JSON's shortest form and float64 both have to carry exactly: subnormals, -0, extremes, 1/3. */
const AWKWARD = [Number.MIN_VALUE, -0, Number.MAX_VALUE, 1 / 3, -1 / 7, 2 ** -1074 * 3, 0.1 + 0.2, -1 / (LARGE_K - 1)];

/** A symmetric K x K matrix of random doubles with awkward values and null cells, `diagonal` on the diagonal. */
export function symmetric(k: number, diagonal: number | null, seed = 7): MatrixCells {
  const random = seededRandom(seed);
  const rows: MatrixCells = Array.from({ length: k }, () => new Array<number | null>(k).fill(0));
  let n = 0;
  for (let i = 0; i < k; i++) {
    rows[i]![i] = diagonal;
    for (let j = i + 1; j < k; j++) {
      const v = j === k - 1 && i % 5 === 0 ? null : n < AWKWARD.length ? AWKWARD[n]! : (random() - 0.5) * 10 ** Math.floor(random() * 20 - 10);
      n++;
      rows[i]![j] = rows[j]![i] = v;
    }
  }
  return rows;
}

/** A K-class result with both splits' matrices and the classifier's cosines, as rows. */
export function largeResult(seed = 1): AnalysisResult {
  const r = syntheticResult({ layers: [{ name: 'l0', nc1: 2, ncc: 0.5 }, { name: 'l1', nc1: 0.5, ncc: 0.9 }] });
  r.classes = { count: LARGE_K, names: Array.from({ length: LARGE_K }, (_, i) => `c${i}`) };
  r.layers.forEach((layer, i) => {
    Object.assign(layer.metrics.train, { cdnvMatrix: symmetric(LARGE_K, 0, seed + i), meanCosines: symmetric(LARGE_K, 1, seed + 10 + i) });
    layer.metrics.test = { ...layer.metrics.train, cdnvMatrix: symmetric(LARGE_K, 0, seed + 20 + i), meanCosines: symmetric(LARGE_K, 1, seed + 30 + i) };
  });
  r.splits.test = { samples: 100, accuracy: 0.9 };
  r.classifier = { input: 'l1', nc3: 0.1, nc4: { train: 0 }, weights: { equinorm: 0.1, equiangularity: 0.2, maxAngle: 0.1, etfDistance: 0.2 }, cosines: symmetric(LARGE_K, 1, seed + 40) };
  return r;
}

