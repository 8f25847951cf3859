/**
 * Epoch x depth heatmaps of a trajectory: one row per epoch (in order, so a live trajectory grows
 * downwards), one column per layer in depth order, coloured by NC1 (log scale) or NCC accuracy (linear,
 * 0 to 1). The collapsed end is the strong colour in both (a low NC1, a high accuracy), so collapse shows
 * as colour spreading from the last layers towards the first as the epochs go down. DOM-free.
 */
import type { TrajectoryResult } from '../../../src/core/compare/trajectory';
import { layerNamer } from '../../../src/core/layerNames';
import type { SplitName } from '../../../src/core/result';
import type { HeatmapSpec } from '../../charts/types';
import { textWidth } from '../../charts/textWidth';
import { finite } from './trajectory';

export type HeatmapMetric = 'nc1' | 'nccAccuracy';

/** The row label of an epoch; a deleted checkpoint says so (its row is greyed, its values kept). */
export function epochRowLabel(epoch: number, deleted: boolean): string {
  return `epoch ${epoch}${deleted ? ' (deleted)' : ''}`;
}

/** A log colour domain over the positive values: one decade around a single value, [0.1, 1] with none. */
function logDomain(values: readonly number[]): [number, number] {
  const positive = values.filter((v) => v > 0);
  if (positive.length === 0) return [0.1, 1];
  const lo = Math.min(...positive);
  const hi = Math.max(...positive);
  return lo === hi ? [lo / Math.sqrt(10), hi * Math.sqrt(10)] : [lo, hi];
}

export function epochDepthHeatmap(trajectory: TrajectoryResult, metric: HeatmapMetric, split: SplitName, deletedEpochs: ReadonlySet<number> = new Set()): HeatmapSpec {
  const shortName = layerNamer(trajectory.layers);
  const values = trajectory.epochs.map((_, i) =>
    trajectory.layers.map((layer) => {
      const s = trajectory.series[layer]?.[metric];
      return finite(split === 'train' ? s?.train[i] : s?.test?.[i]);
    }),
  );
  const all = values.flat().filter((v): v is number => v !== null);
  const splitWord = split === 'train' ? 'train' : 'held-out';
  const dimmedRows = trajectory.epochs.flatMap((epoch, row) => (deletedEpochs.has(epoch) ? [{ row, note: 'checkpoint deleted: its analysis is kept' }] : []));
  const cellNotes: [number, number, string][] = [];
  if (metric === 'nc1') {
    trajectory.layers.forEach((layer, col) => {
      const flags = trajectory.nc1LowRank?.[layer];
      const atEpochs = split === 'train' ? flags?.train : flags?.test;
      atEpochs?.forEach((low, row) => {
        if (low) cellNotes.push([row, col, 'low rank: Σ_B rank < K−1, a small NC1 here does not mean separated classes']);
      });
    });
  }
  const name = metric === 'nc1' ? 'NC1' : 'NCC accuracy';
  return {
    id: `${metric === 'nc1' ? 'nc1' : 'ncc'}-heatmap-epochs`,
    title: `${name} by epoch and depth (${splitWord})`,
    rowLabels: trajectory.epochs.map((epoch) => epochRowLabel(epoch, deletedEpochs.has(epoch))),
    colLabels: trajectory.layers.map(shortName),
    values,
    colorScale: metric === 'nc1' ? { kind: 'sequential', domain: logDomain(all), log: true, reversed: true } : { kind: 'sequential', domain: [0, 1], log: false },
    valueLabel: `${splitWord} ${name}`,
    legendLabel: metric === 'nc1' ? 'NC1 (log)' : 'NCC accuracy',
    grid: {
      rowName: 'Epoch',
      colName: 'Layer (input → output)',
      colTitles: [...trajectory.layers],
      ...(metric === 'nccAccuracy' ? { percent: true } : {}),
      ...(dimmedRows.length > 0 ? { dimmedRows } : {}),
      ...(cellNotes.length > 0 ? { cellNotes } : {}),
    },
  };
}

/** Px per epoch row: roomy for a few epochs, tighter for many, never under 4. */
function rowHeight(rows: number): number {
  if (rows <= 10) return 26;
  if (rows <= 30) return 16;
  return Math.max(4, Math.floor(480 / rows));
}

/**
 * The card height for a heatmap of `spec` drawn `width` px wide: the rows, the column labels (slanted
 * when they do not fit their column) and the column name under them.
 */
export function epochDepthHeatmapHeight(spec: HeatmapSpec, width: number): number {
  const longest = Math.max(...spec.colLabels.map((l) => textWidth(l)), 10);
  const column = (width - 160 - 72) / Math.max(1, spec.colLabels.length);
  const labels = longest > column - 4 ? Math.min(100, longest * 0.72 + 14) : 20;
  return Math.round(8 + spec.rowLabels.length * rowHeight(spec.rowLabels.length) + labels + 18 + 4);
}
