/**
 * A comparison -> the four overview charts against depth with one series per run (NC1, NCC accuracy,
 * NC2, CDNV). DOM-free.
 *
 * Each series has one point per aligned row (comparison.rows), so the runs are compared exactly where
 * the comparison put them side by side. x is the row's depth in the first run; when the runs were
 * aligned by relative depth, x is that relative depth in units of the first run's layer steps
 * (relativeDepth × (rows − 1)) and the ticks are labelled 0 … 1, so the axis reads as relative depth.
 */
import type { CompareResult } from '../../../src/core/compare/compareResult';
import type { AlignedCell, AlignedRow, ComparedMetric } from '../../../src/core/compare/align';
import { LOG_SCALE_METRICS } from '../../../src/core/compare/align';
import type { SplitName } from '../../../src/core/result';
import type { CompareView } from '../../../src/protocol/webview';
import { logDomain } from '../../charts/domain';
import type { LineChartSpec, LinePoint, LineSeries, TooltipContent, TooltipRow, XTick } from '../../charts/types';
import { formatShort } from '../../common/format';
import { layerNamer } from '../../../src/core/layerNames';
import { DEPTH_LABEL, depthChartText, formatMetric, joinNotes, lowRankNote, metricAxis, type Nc2Metric } from '../../analysis/data/overview';
import { seriesStyle } from './runStyle';

export type CompareChartId = 'nc1' | 'ncc' | 'nc2' | 'cdnv';
export const COMPARE_CHARTS: readonly CompareChartId[] = ['nc1', 'ncc', 'nc2', 'cdnv'];

export interface CompareChartOptions {
  split: SplitName;
  nc2Metric: Nc2Metric;
  /** Run indices the user hid in the legend. */
  hidden: ReadonlySet<number>;
  /** The aligned row the user picked (a band across the charts). */
  selectedKey: string | null;
}

export const METRIC_NAMES: Record<ComparedMetric, string> = {
  nc1: 'NC1',
  nccAccuracy: 'NCC accuracy',
  cdnv: 'CDNV',
  etfDistance: 'ETF distance',
  equinorm: 'Equinorm',
  equiangularity: 'Equiangularity',
  maxAngle: 'Max-angle',
};


export interface LegendEntry {
  index: number;
  runId: string;
  label: string;
  checkpoint: string;
  color: ReturnType<typeof seriesStyle>['color'];
  dashed: boolean;
}

/** Legend order is run order, and so is the palette. */
export function legendEntries(view: CompareView): LegendEntry[] {
  return view.comparison.runs.map((run, index) => ({
    index,
    runId: view.runs[index]?.runId ?? '',
    label: run.label,
    checkpoint: run.checkpoint,
    ...seriesStyle(index),
  }));
}

/** x of an aligned row: its depth (name alignment) or its relative depth scaled to the first run's steps. */
export function rowX(comparison: CompareResult, rowIndex: number): number {
  const row = comparison.rows[rowIndex];
  if (!row || comparison.alignment === 'name') return rowIndex;
  return row.relativeDepth * Math.max(0, comparison.rows.length - 1);
}

export const RELATIVE_DEPTH_LABEL = 'Relative depth (0 = first probe, 1 = last) · architectures differ';

/** The x axis: its title and ticks (the layers' short names; for relative depth 0, 0.25, … 1 at their scaled positions). */
export function compareXAxis(comparison: CompareResult): { label: string; ticks: XTick[] | undefined } {
  if (comparison.alignment === 'name') {
    // The runs share their layer names: each row by its short name, as in the analysis panel.
    const shortName = layerNamer(comparison.rows.map((r) => r.key));
    return { label: DEPTH_LABEL, ticks: comparison.rows.map((row, i) => ({ x: rowX(comparison, i), label: shortName(row.key) })) };
  }
  const span = Math.max(0, comparison.rows.length - 1);
  const fractions = span === 0 ? [1] : [0, 0.25, 0.5, 0.75, 1];
  return { label: RELATIVE_DEPTH_LABEL, ticks: fractions.map((f) => ({ x: f * span, label: formatShort(f) })) };
}

/** Whether any run has held-out metrics (otherwise the split switch is off). */
export function hasHeldOut(comparison: CompareResult): boolean {
  return comparison.rows.some((row) => row.cells.some((cell) => cell?.test != null));
}

/** Whether this cell's NC1 on the split is low-rank (Σ_B rank < K−1): a value that says nothing about collapse. */
export function cellNc1LowRank(cell: AlignedCell | null | undefined, split: SplitName): boolean {
  return cell?.nc1LowRank?.includes(split) ?? false;
}

export function cellValue(cell: AlignedCell | null | undefined, split: SplitName, metric: ComparedMetric): number | null {
  const metrics = split === 'train' ? cell?.train : cell?.test;
  const v = metrics?.[metric];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** "+0.123" / "−0.456": a signed change, the minus a real minus sign. */
export function formatSigned(value: number | null, digits = 3): string {
  if (value === null || !Number.isFinite(value)) return 'n/a';
  const text = Math.abs(value).toFixed(digits);
  if (Number(text) === 0) return text;
  return `${value > 0 ? '+' : '−'}${text}`;
}

/** "Δlog10 NC1" or "ΔNCC accuracy": how the comparison measures a change (log10 ratio for NC1, CDNV). */
export function changeName(metric: ComparedMetric): string {
  return LOG_SCALE_METRICS.has(metric) ? `Δlog10 ${METRIC_NAMES[metric]}` : `Δ${METRIC_NAMES[metric]}`;
}

function rowTooltip(comparison: CompareResult, row: AlignedRow, split: SplitName, metric: ComparedMetric, visible: number[]): TooltipContent {
  const relative = comparison.alignment === 'relative-depth';
  const rows: TooltipRow[] = visible.map((i) => {
    const run = comparison.runs[i]?.label ?? `run ${i + 1}`;
    const cell = row.cells[i];
    const lowRank = metric === 'nc1' && cellNc1LowRank(cell, split) ? ' (low rank: Σ_B rank < K−1)' : '';
    return { label: relative && cell ? `${run} · ${cell.layer}` : run, value: formatMetric(metric, cellValue(cell, split, metric)) + lowRank };
  });
  if (comparison.runs.length >= 2) {
    const first = comparison.runs[0]!.label;
    const last = comparison.runs[comparison.runs.length - 1]!.label;
    rows.push({ label: `${changeName(metric)} (train), ${last} vs ${first}`, value: formatSigned(row.change[metric], 4) });
  }
  const title = relative ? `relative depth ${formatShort(row.relativeDepth)} (${row.key} in ${comparison.runs[0]?.label ?? 'run 1'})` : row.key;
  return { title: `${title} · ${split === 'train' ? 'train' : 'held-out'} ${METRIC_NAMES[metric]}`, rows };
}

/** One series per visible run, in run order, one point per aligned row; null (not computed) stays null. */
export function runSeries(view: CompareView, metric: ComparedMetric, split: SplitName, hidden: ReadonlySet<number>): LineSeries[] {
  const comparison = view.comparison;
  const visible = comparison.runs.map((_, i) => i).filter((i) => !hidden.has(i));
  return visible.map((i) => {
    const style = seriesStyle(i);
    const points: LinePoint[] = comparison.rows.map((row, r) => {
      const point: LinePoint = { x: rowX(comparison, r), y: cellValue(row.cells[i], split, metric), key: row.key, tooltip: rowTooltip(comparison, row, split, metric, visible) };
      if (metric === 'nc1' && cellNc1LowRank(row.cells[i], split)) point.marked = true;
      return point;
    });
    return { id: `run-${i}`, label: comparison.runs[i]!.label, color: style.color, dashed: style.dashed, points };
  });
}

/** The first letter in upper case: a note turned into a sentence. */
export function sentence(text: string): string {
  return `${text[0]?.toUpperCase() ?? ''}${text.slice(1)}`;
}

export function gapNotes(series: LineSeries[], log: boolean): string | undefined {
  const values = series.flatMap((s) => s.points.map((p) => p.y));
  const hidden = log ? logDomain(values).hiddenNonPositive : 0;
  const missing = values.filter((v) => v === null).length;
  return joinNotes(
    hidden > 0 ? `${hidden} value(s) ≤ 0 cannot be shown on the log axis (drawn as gaps).` : undefined,
    missing > 0 ? `${missing} value(s) not computed (gaps).` : undefined,
  );
}

export function compareChartSpec(view: CompareView, chart: CompareChartId, options: CompareChartOptions): LineChartSpec {
  const text = depthChartText(chart, options.nc2Metric);
  const comparison = view.comparison;
  const series = runSeries(view, text.metric, options.split, options.hidden);
  const axis = compareXAxis(comparison);
  const yAxis = metricAxis(text.metric);
  const hiddenCount = comparison.runs.length - series.length;
  const spec: LineChartSpec = {
    id: text.id,
    title: `${text.title} (${options.split === 'train' ? 'train' : 'held-out'})`,
    xLabel: axis.label,
    yLabel: text.yLabel,
    ...yAxis,
    series,
    hLines: [],
    vLines: [],
    selectedKey: options.selectedKey,
    note: joinNotes(
      // Said on every chart when the architectures differ (the x axis is then relative depth).
      comparison.alignment === 'relative-depth' ? `${sentence(comparison.alignmentNote)}.` : undefined,
      hiddenCount > 0 ? `${hiddenCount} run(s) hidden (click them in the legend to show).` : undefined,
      gapNotes(series, yAxis.yScale === 'log'),
      lowRankNote(series),
    ),
  };
  if (axis.ticks) spec.xTicks = axis.ticks;
  return spec;
}
