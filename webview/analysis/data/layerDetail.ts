/**
 * Result + a layer -> what the per-layer detail shows: the cosine matrix beside the ideal simplex ETF,
 * the CDNV heatmap and its most confused pairs, per-class variability, the 2-D projection and, at the
 * classifier's input, NC3/NC4 and the classifier's own ETF numbers. DOM-free.
 */
import type { AnalysisResult, LayerResult, MatrixCells, SplitName } from '../../../src/core/result';
import { matrixRowsOrNull } from '../../../src/core/packedMatrix';
import type { BarSpec, HeatmapSpec, ScatterSpec } from '../../charts/types';
import { resultSplits, SPLIT_COLORS, splitLabel } from './overview';

/**
 * A split's K x K matrix of a layer as rows, unpacked when the result packs it (K > 64): only the layer
 * the detail shows is ever unpacked, and once (packedMatrix.ts caches per matrix).
 */
export function layerMatrix(layer: LayerResult, split: SplitName, field: 'cdnvMatrix' | 'meanCosines'): MatrixCells | null {
  return matrixRowsOrNull(layer.metrics[split]?.[field]);
}

/** The split the detail shows: the one picked when the result has it, else the training split. */
export function detailSplit(result: AnalysisResult, picked: SplitName): SplitName {
  return resultSplits(result).includes(picked) ? picked : 'train';
}

/** The split whose projection the detail draws: the one shown, else the training split's (null: none). */
export function projectionSplit(layer: LayerResult, split: SplitName): SplitName | null {
  const order: SplitName[] = split === 'test' ? ['test', 'train'] : ['train'];
  return order.find((s) => (layer.metrics[s]?.projection?.means.length ?? 0) > 0) ?? null;
}

/** The simplex ETF's Gram matrix of unit vectors: 1 on the diagonal, -1/(K-1) elsewhere. */
export function idealEtfCosines(k: number): number[][] {
  if (!Number.isInteger(k) || k < 2) throw new Error(`idealEtfCosines: needs at least 2 classes, got ${k}`);
  const off = -1 / (k - 1);
  return Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => (i === j ? 1 : off)));
}

export interface MatrixCell {
  row: number;
  col: number;
  value: number;
}

/** The largest |cos - (-1/(K-1))| off the diagonal: how far the worst pair is from the ETF angle. */
export function worstEtfDeviation(cosines: (number | null)[][] | null): MatrixCell | null {
  if (!cosines || cosines.length < 2) return null;
  const ideal = -1 / (cosines.length - 1);
  let worst: MatrixCell | null = null;
  cosines.forEach((row, i) =>
    row.forEach((v, j) => {
      if (i === j || v === null || !Number.isFinite(v)) return;
      const d = Math.abs(v - ideal);
      if (worst === null || d > worst.value) worst = { row: i, col: j, value: d };
    }),
  );
  return worst;
}

export interface ConfusedPair {
  a: number;
  b: number;
  value: number;
}

/**
 * The class pairs with the largest CDNV (the hardest to tell apart), each unordered pair once; also used
 * for the largest cosines of the centred means (the diagonal is never a pair). The matrix is symmetric by
 * definition; when both halves are present their mean is used, so a writer's rounding in one half does
 * not change the order.
 */
export function mostConfusedPairs(matrix: (number | null)[][] | null, count: number): ConfusedPair[] {
  if (!matrix || count <= 0) return [];
  // Only the top `count` are kept while scanning (K = 1,000 has 499,500 pairs; sorting them all per draw is waste).
  const top: ConfusedPair[] = [];
  const before = (x: ConfusedPair, y: ConfusedPair): boolean => x.value > y.value || (x.value === y.value && (x.a < y.a || (x.a === y.a && x.b < y.b)));
  for (let a = 0; a < matrix.length; a++) {
    for (let b = a + 1; b < matrix.length; b++) {
      const ab = matrix[a]?.[b];
      const ba = matrix[b]?.[a];
      const okAb = typeof ab === 'number' && Number.isFinite(ab);
      const okBa = typeof ba === 'number' && Number.isFinite(ba);
      if (!okAb && !okBa) continue;
      const pair = { a, b, value: okAb && okBa ? (ab + ba) / 2 : okAb ? ab : (ba as number) };
      if (top.length === count && !before(pair, top[count - 1]!)) continue;
      let at = top.length;
      while (at > 0 && before(pair, top[at - 1]!)) at--;
      top.splice(at, 0, pair);
      if (top.length > count) top.pop();
    }
  }
  return top;
}

/**
 * The classes the 2-D projection colours and names when there are too many to tell apart (K > 20): the
 * classes of the most confused pairs, in order, then the lowest class indices, up to `count`.
 */
export function featuredClasses(matrix: (number | null)[][] | null, k: number, count: number): number[] {
  const chosen: number[] = [];
  const add = (c: number): void => {
    if (chosen.length < count && c >= 0 && c < k && !chosen.includes(c)) chosen.push(c);
  };
  for (const pair of mostConfusedPairs(matrix, count)) {
    add(pair.a);
    add(pair.b);
  }
  for (let c = 0; c < k && chosen.length < count; c++) add(c);
  return chosen;
}

/**
 * The class a search box names: an exact name (case-insensitive), else the first name that starts with
 * the text, else the first that contains it; null for empty text or no match.
 */
export function findClass(names: readonly string[], query: string): number | null {
  const q = query.trim().toLowerCase();
  if (q === '') return null;
  const lower = names.map((n) => n.toLowerCase());
  for (const test of [(n: string) => n === q, (n: string) => n.startsWith(q), (n: string) => n.includes(q)]) {
    const at = lower.findIndex(test);
    if (at >= 0) return at;
  }
  return null;
}

/** Positive, finite off-diagonal entries: what a log colour scale can show. */
function positiveOffDiagonal(matrix: (number | null)[][]): number[] {
  const out: number[] = [];
  matrix.forEach((row, i) =>
    row.forEach((v, j) => {
      if (i !== j && typeof v === 'number' && Number.isFinite(v) && v > 0) out.push(v);
    }),
  );
  return out;
}

/** The layer the detail shows: the selected one when the result has it, else the classifier's input, else the deepest. */
export function displayedLayer(result: AnalysisResult, selected: string | null): LayerResult | null {
  const byName = (name: string | null | undefined): LayerResult | undefined =>
    name ? result.layers.find((l) => l.name === name) : undefined;
  return byName(selected) ?? byName(result.classifier?.input) ?? result.layers[result.layers.length - 1] ?? null;
}

/** Class names, numbered where the result lacks them. */
export function classNames(result: AnalysisResult): string[] {
  return Array.from({ length: result.classes.count }, (_, i) => result.classes.names[i] ?? `class ${i}`);
}

export function cosineHeatmap(result: AnalysisResult, layer: LayerResult, split: SplitName): HeatmapSpec | null {
  const cosines = layerMatrix(layer, split, 'meanCosines');
  if (!cosines) return null;
  const names = classNames(result);
  return {
    id: `cosines-${split}`,
    title: 'Cosines of the centred class means',
    rowLabels: names,
    colLabels: names,
    values: cosines,
    colorScale: { kind: 'diverging', domain: [-1, 1] },
    valueLabel: 'cos',
    legendLabel: 'cos(μ_c − μ_G, μ_c′ − μ_G)',
  };
}

export function idealEtfHeatmap(result: AnalysisResult): HeatmapSpec | null {
  const k = result.classes.count;
  if (k < 2) return null;
  const names = classNames(result);
  return {
    id: 'ideal-etf',
    title: `Ideal simplex ETF (off-diagonal −1/${k - 1} = ${(-1 / (k - 1)).toPrecision(3)})`,
    rowLabels: names,
    colLabels: names,
    values: idealEtfCosines(k),
    colorScale: { kind: 'diverging', domain: [-1, 1] },
    valueLabel: 'cos',
    legendLabel: 'cos',
  };
}

export function cdnvHeatmap(result: AnalysisResult, layer: LayerResult, split: SplitName, highlightCount: number): HeatmapSpec | null {
  const matrix = layerMatrix(layer, split, 'cdnvMatrix');
  if (!matrix) return null;
  const positive = positiveOffDiagonal(matrix);
  // A loop, not Math.min(...positive): K = 1,000 gives 999,000 values, past the engine's argument limit.
  let lo = positive.length > 0 ? Infinity : 0.01;
  let hi = positive.length > 0 ? -Infinity : 1;
  for (const v of positive) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (hi <= lo) {
    lo /= 2;
    hi *= 2;
  }
  const names = classNames(result);
  return {
    id: `cdnv-matrix-${split}`,
    title: 'CDNV between classes (higher = harder to separate)',
    rowLabels: names,
    colLabels: names,
    values: matrix,
    colorScale: { kind: 'sequential', domain: [lo, hi], log: true },
    valueLabel: 'CDNV',
    highlighted: mostConfusedPairs(matrix, highlightCount).flatMap((p): [number, number][] => [
      [p.a, p.b],
      [p.b, p.a],
    ]),
    blankDiagonal: true,
    legendLabel: 'CDNV (log colour scale)',
  };
}

export function variabilityBars(result: AnalysisResult, layer: LayerResult): BarSpec | null {
  const series = resultSplits(result)
    .map((split) => ({ split, values: layer.metrics[split]?.classVariability ?? null }))
    .filter((s): s is { split: SplitName; values: (number | null)[] } => s.values !== null)
    .map((s) => ({ id: s.split, label: splitLabel(result, s.split), color: SPLIT_COLORS[s.split], values: s.values }));
  if (series.length === 0) return null;
  return {
    id: 'class-variability',
    title: 'Within-class variability per class',
    labels: classNames(result),
    series,
    valueLabel: 'Var_c = mean ‖h − μ_c‖² (feature units²)',
  };
}

/** The projection of the split asked for, or the training one (the only one a writer must provide). */
/** Above this many classes the projection colours and names only the featured ones (and a searched one). */
export const FEATURED_ABOVE = 20;
const FEATURED_CLASSES = 10;

export function projectionScatter(result: AnalysisResult, layer: LayerResult, split: SplitName): { spec: ScatterSpec; split: SplitName } | null {
  const s = projectionSplit(layer, split);
  const projection = s === null ? null : layer.metrics[s]?.projection;
  if (s === null || !projection) return null;
  return {
    split: s,
    spec: {
      id: `projection-${s}`,
      title: '2-D projection of the class means',
      groupLabels: classNames(result),
      centres: projection.means.map(([x, y], group) => ({ x, y, group })),
      points: (projection.points ?? []).map((p) => ({ x: p.x, y: p.y, group: p.label })),
      xLabel: 'PC 1 of the centred class means',
      yLabel: 'PC 2',
      ...(result.classes.count > FEATURED_ABOVE ? { featured: featuredClasses(layerMatrix(layer, s, 'cdnvMatrix'), result.classes.count, FEATURED_CLASSES) } : {}),
    },
  };
}

export interface ClassifierRow {
  label: string;
  /** The class means at this layer (training split). */
  means: number | null;
  /** The classifier's rows w_c, centred by their mean. */
  weights: number | null;
}

export interface ClassifierFacts {
  nc3: number | null;
  nc4Train: number | null;
  nc4Test: number | null;
  hasTest: boolean;
  etf: ClassifierRow[];
  unavailable: string[];
}

/** NC3, NC4 and the ETF numbers of classifier vs means, when `layer` is the classifier's input. */
export function classifierFacts(result: AnalysisResult, layer: LayerResult): ClassifierFacts | null {
  const c = result.classifier;
  if (!c || c.input !== layer.name) return null;
  const train = layer.metrics.train;
  return {
    nc3: c.nc3,
    nc4Train: c.nc4.train,
    nc4Test: c.nc4.test ?? null,
    hasTest: resultSplits(result).includes('test'),
    etf: [
      { label: 'Equinorm', means: train.equinorm, weights: c.weights.equinorm },
      { label: 'Equiangularity', means: train.equiangularity, weights: c.weights.equiangularity },
      { label: 'Max-angle', means: train.maxAngle, weights: c.weights.maxAngle },
      { label: 'ETF distance', means: train.etfDistance, weights: c.weights.etfDistance },
    ],
    unavailable: Object.entries(c.unavailable ?? {}).map(([k, why]) => `${k}: ${why}`),
  };
}
