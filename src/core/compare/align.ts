import type { AnalysisResult, LayerResult, SplitName } from '../result';
import { nc1RankDeficient } from '../lowRankNc1';

/** The scalar metrics a comparison shows; NC1 and CDNV span decades and are compared on a log scale. */
export const COMPARED_METRICS = ['nc1', 'nccAccuracy', 'cdnv', 'etfDistance', 'equinorm', 'equiangularity', 'maxAngle'] as const;
export type ComparedMetric = (typeof COMPARED_METRICS)[number];
export const LOG_SCALE_METRICS: ReadonlySet<ComparedMetric> = new Set(['nc1', 'cdnv']);

export type Alignment = 'name' | 'relative-depth';

export interface AlignedCell {
  layer: string;
  depth: number;
  relativeDepth: number;
  train: Record<ComparedMetric, number | null>;
  test: Record<ComparedMetric, number | null> | null;
  /** The splits whose NC1 is low-rank here (Σ_B rank < K−1, see nc1RankDeficient); absent when none is. */
  nc1LowRank?: SplitName[];
}

export interface AlignedRow {
  /** The layer name (name alignment) or the first run's layer at that relative depth. */
  key: string;
  relativeDepth: number;
  cells: (AlignedCell | null)[];
  /** Last run against the first, on the training split: log10 ratio for NC1/CDNV, difference otherwise. */
  change: Record<ComparedMetric, number | null>;
  /** The largest of |change| over the metrics: the table sorts on it. */
  score: number;
}

export const relativeDepth = (index: number, count: number): number => (count <= 1 ? 1 : index / (count - 1));

function scalars(m: LayerResult['metrics']['train'] | undefined): Record<ComparedMetric, number | null> {
  const out = {} as Record<ComparedMetric, number | null>;
  for (const k of COMPARED_METRICS) out[k] = m ? m[k] : null;
  return out;
}

function cell(layer: LayerResult, index: number, count: number, classCount: number): AlignedCell {
  const out: AlignedCell = { layer: layer.name, depth: index, relativeDepth: relativeDepth(index, count), train: scalars(layer.metrics.train), test: layer.metrics.test ? scalars(layer.metrics.test) : null };
  const lowRank = (['train', 'test'] as const).filter((split) => nc1RankDeficient(layer.metrics[split], classCount));
  if (lowRank.length > 0) out.nc1LowRank = lowRank;
  return out;
}

/** Name alignment needs the same layer names in the same order in every run (same architecture). */
export function chooseAlignment(results: AnalysisResult[]): Alignment {
  const names = results.map((r) => r.layers.map((l) => l.name).join('\u0000'));
  return names.every((n) => n === names[0]) ? 'name' : 'relative-depth';
}

/**
 * Whether a row's NC1 change (last run against the first, training split) involves a low-rank NC1 at
 * either end: such a change does not measure a change in collapse and is marked wherever it is shown.
 */
export function nc1ChangeLowRank(row: Pick<AlignedRow, 'cells'>): boolean {
  const ends = [row.cells[0], row.cells[row.cells.length - 1]];
  return ends.some((c) => c?.nc1LowRank?.includes('train') ?? false);
}

export function metricChange(metric: ComparedMetric, first: number | null, last: number | null): number | null {
  if (first === null || last === null) return null;
  if (LOG_SCALE_METRICS.has(metric)) return first > 0 && last > 0 ? Math.log10(last / first) : null;
  return last - first;
}

/**
 * Puts the runs' layers side by side: by name when the architectures match, otherwise each run's
 * layer nearest in relative depth (0 = first probe, 1 = last) to each of the first run's layers.
 */
export function alignRuns(results: AnalysisResult[]): { alignment: Alignment; rows: AlignedRow[] } {
  if (results.length < 2) throw new Error(`a comparison needs at least two runs, got ${results.length}`);
  const alignment = chooseAlignment(results);
  const base = results[0].layers;
  const rows: AlignedRow[] = base.map((layer, i) => {
    const rd = relativeDepth(i, base.length);
    const cells = results.map((r) => {
      const L = r.layers.length;
      if (L === 0) return null;
      if (alignment === 'name') return cell(r.layers[i], i, L, r.classes.count);
      let best = 0;
      for (let j = 1; j < L; j++) if (Math.abs(relativeDepth(j, L) - rd) < Math.abs(relativeDepth(best, L) - rd)) best = j;
      return cell(r.layers[best], best, L, r.classes.count);
    });
    const first = cells[0];
    const last = cells[cells.length - 1];
    const change = {} as Record<ComparedMetric, number | null>;
    let score = 0;
    for (const k of COMPARED_METRICS) {
      change[k] = metricChange(k, first?.train[k] ?? null, last?.train[k] ?? null);
      if (change[k] !== null) score = Math.max(score, Math.abs(change[k] as number));
    }
    return { key: layer.name, relativeDepth: rd, cells, change, score };
  });
  return { alignment, rows };
}
