/**
 * The table of per-layer differences (largest change first) and its CSV. DOM-free.
 *
 * A change is the last run against the first on the training split, as the comparison computed it:
 * the log10 ratio for NC1 and CDNV, the difference otherwise. Its sign is read as a direction of
 * collapse: NC1, CDNV and the ETF distance fall as features collapse, NCC accuracy rises.
 */
import type { ComparedMetric } from '../../../src/core/compare/align';
import { COMPARED_METRICS, nc1ChangeLowRank } from '../../../src/core/compare/align';
import type { CompareResult } from '../../../src/core/compare/compareResult';
import { csvField } from '../../analysis/data/layerTable';
import { changeName } from './compareCharts';

/** The columns the table shows; the CSV has every compared metric. */
export const TABLE_METRICS: readonly ComparedMetric[] = ['nc1', 'nccAccuracy', 'cdnv', 'etfDistance'];

/** Below this a change prints as 0.000 and is not coloured. */
export const NEGLIGIBLE_CHANGE = 5e-4;

export type ChangeDirection = 'collapse' | 'spread' | 'none';

const RISES_WITH_COLLAPSE: ReadonlySet<ComparedMetric> = new Set(['nccAccuracy']);

export function changeDirection(metric: ComparedMetric, value: number | null): ChangeDirection {
  if (value === null || !Number.isFinite(value) || Math.abs(value) < NEGLIGIBLE_CHANGE) return 'none';
  const collapses = RISES_WITH_COLLAPSE.has(metric) ? value > 0 : value < 0;
  return collapses ? 'collapse' : 'spread';
}

export interface DifferenceCell {
  metric: ComparedMetric;
  value: number | null;
  direction: ChangeDirection;
  /** An NC1 change where the first or the last run's NC1 is low-rank (Σ_B rank < K−1): not a change in collapse. */
  lowRank?: true;
}

export interface DifferenceRow {
  key: string;
  /** Position of the row in depth order (the charts' band follows the key). */
  depthIndex: number;
  relativeDepth: number;
  score: number;
  /** The layer of each run placed in this row (differs from the key under relative-depth alignment). */
  layers: (string | null)[];
  cells: DifferenceCell[];
}

/** comparison.largestChanges in its order (largest first), with each run's aligned layer. */
export function differenceRows(comparison: CompareResult): DifferenceRow[] {
  const byKey = new Map(comparison.rows.map((row, i) => [row.key, { row, i }]));
  return comparison.largestChanges.map((change) => {
    const found = byKey.get(change.key);
    return {
      key: change.key,
      depthIndex: found?.i ?? -1,
      relativeDepth: found?.row.relativeDepth ?? Number.NaN,
      score: change.score,
      layers: found ? found.row.cells.map((c) => c?.layer ?? null) : comparison.runs.map(() => null),
      cells: TABLE_METRICS.map((metric): DifferenceCell => {
        const value = change.change[metric];
        const cell: DifferenceCell = { metric, value, direction: changeDirection(metric, value) };
        if (metric === 'nc1' && found && nc1ChangeLowRank(found.row)) cell.lowRank = true;
        return cell;
      }),
    };
  });
}

/** What the Δ columns mean, in words, for the table's caption. */
export function changeCaption(comparison: CompareResult): string {
  const runs = comparison.runs;
  if (runs.length < 2) return '';
  const first = runs[0]!.label;
  const last = runs[runs.length - 1]!.label;
  const between = runs.length > 2 ? ` (the ${runs.length - 2} run(s) between are in the charts)` : '';
  return `Δ = ${last} against ${first}${between}, training split: log10 ratio for NC1 and CDNV (−1 = ten times smaller), difference otherwise.`;
}

const CSV_NAMES: Record<ComparedMetric, string> = {
  nc1: 'nc1',
  nccAccuracy: 'ncc_accuracy',
  cdnv: 'cdnv',
  etfDistance: 'etf_distance',
  equinorm: 'equinorm',
  equiangularity: 'equiangularity',
  maxAngle: 'max_angle',
};

/**
 * The differences, largest first: the change of every compared metric, then each run's aligned layer and
 * its training values, numbers at full precision, empty where null. CRLF line ends (RFC 4180).
 */
export function differencesCsv(comparison: CompareResult): string {
  const runs = comparison.runs;
  const header = [
    'rank',
    'layer',
    'relative_depth',
    'score',
    ...COMPARED_METRICS.map((m) => (changeName(m).startsWith('Δlog10') ? `dlog10_${CSV_NAMES[m]}` : `d_${CSV_NAMES[m]}`)),
    ...runs.flatMap((r) => [`${r.label} layer`, ...COMPARED_METRICS.map((m) => `${r.label} ${CSV_NAMES[m]}`)]),
  ];
  const byKey = new Map(comparison.rows.map((row) => [row.key, row]));
  const lines = comparison.largestChanges.map((change, rank) => {
    const row = byKey.get(change.key);
    const fields: (string | number | null)[] = [rank + 1, change.key, row?.relativeDepth ?? null, change.score, ...COMPARED_METRICS.map((m) => change.change[m])];
    runs.forEach((_, i) => {
      const cell = row?.cells[i] ?? null;
      fields.push(cell?.layer ?? null, ...COMPARED_METRICS.map((m) => cell?.train[m] ?? null));
    });
    return fields.map(csvField).join(',');
  });
  return [header.map(csvField).join(','), ...lines].join('\r\n') + '\r\n';
}
