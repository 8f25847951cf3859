/**
 * A training trajectory -> charts of each metric against epoch (Papyan et al.'s figures): one series per
 * chosen layer for NC1 (log), NCC accuracy, NC2 and CDNV (log), and the classifier's NC3 and NC4.
 * DOM-free.
 *
 * The line chart has a linear x axis; when the epochs span more than two decades (and none is 0), each
 * point sits at log10(epoch) and the ticks are labelled in epochs, which is a log epoch axis.
 */
import type { ComparedMetric } from '../../../src/core/compare/align';
import type { TrajectoryResult } from '../../../src/core/compare/trajectory';
import type { SplitName } from '../../../src/core/result';
import { layerNamer } from '../../../src/core/layerNames';
import type { LineChartSpec, LinePoint, LineSeries, TooltipRow, XTick } from '../../charts/types';
import { formatExact, formatShort } from '../../common/format';
import { depthChartText, formatMetric, joinNotes, lowRankNote, metricAxis, nc2MetricInfo, SPLIT_COLORS, type Nc2Metric } from '../../analysis/data/overview';
import { gapNotes, METRIC_NAMES } from './compareCharts';
import { seriesStyle } from './runStyle';

export type TrajectoryChartId = 'nc1' | 'ncc' | 'nc2' | 'cdnv';
export const TRAJECTORY_CHARTS: readonly TrajectoryChartId[] = ['nc1', 'ncc', 'nc2', 'cdnv'];
export type ClassifierChartId = 'nc3' | 'nc4' | 'weights';
/** 'weights': the classifier rows' ETF distance and equinorm, from the weights alone (docs/classifier.md). */
export const CLASSIFIER_CHARTS: readonly ClassifierChartId[] = ['weights', 'nc3', 'nc4'];

/** More than this ratio between the last and first epoch: a log epoch axis. */
export const LOG_EPOCH_RATIO = 100;

export interface EpochAxis {
  scale: 'log' | 'linear';
  label: string;
  x(epoch: number): number;
  ticks: XTick[];
}

/** 1, 2, 5 × 10^k steps: the step near span / target. */
function niceStep(span: number, target: number): number {
  const raw = span / Math.max(1, target);
  const power = 10 ** Math.floor(Math.log10(raw));
  const mantissa = raw / power;
  const nice = mantissa <= 1 ? 1 : mantissa <= 2 ? 2 : mantissa <= 5 ? 5 : 10;
  return Math.max(1, nice * power);
}

export function epochAxis(epochs: readonly number[]): EpochAxis {
  const lo = epochs.length > 0 ? Math.min(...epochs) : 0;
  const hi = epochs.length > 0 ? Math.max(...epochs) : 1;
  if (lo > 0 && hi / lo > LOG_EPOCH_RATIO) {
    const decades = Math.log10(hi / lo);
    const mantissas = decades <= 3 ? [1, 2, 5] : [1];
    const ticks: XTick[] = [];
    for (let k = Math.floor(Math.log10(lo)); k <= Math.ceil(Math.log10(hi)); k++) {
      for (const m of mantissas) {
        const epoch = m * 10 ** k;
        if (epoch >= lo * (1 - 1e-9) && epoch <= hi * (1 + 1e-9)) ticks.push({ x: Math.log10(epoch), label: formatShort(epoch) });
      }
    }
    return { scale: 'log', label: 'Epoch (log scale)', x: (epoch) => Math.log10(epoch), ticks };
  }
  if (hi === lo) return { scale: 'linear', label: 'Epoch', x: (epoch) => epoch, ticks: [{ x: lo, label: formatShort(lo) }] };
  const step = niceStep(hi - lo, 6);
  const ticks: XTick[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-9; t += step) ticks.push({ x: t, label: formatShort(t) });
  return { scale: 'linear', label: 'Epoch', x: (epoch) => epoch, ticks };
}

/**
 * The classifier's input layer. The trajectory does not name it, but each epoch's summary carries its
 * training NC1, which is that layer's NC1 copied: the layer whose series holds that exact value.
 */
export function classifierInputLayer(trajectory: TrajectoryResult): string | null {
  for (let i = trajectory.epochs.length - 1; i >= 0; i--) {
    const target = trajectory.summaries[i]?.penultimateNc1;
    if (target === null || target === undefined) continue;
    const matches = trajectory.layers.filter((name) => trajectory.series[name]?.nc1.train[i] === target);
    if (matches.length > 0) return matches[matches.length - 1]!;
  }
  return null;
}

/**
 * Three layers spread over depth ending at the classifier's input (first, middle, classifier input);
 * the last three layers when the classifier's input is unknown.
 */
export function defaultTrajectoryLayers(trajectory: TrajectoryResult): string[] {
  const layers = trajectory.layers;
  if (layers.length <= 3) return [...layers];
  const input = classifierInputLayer(trajectory);
  const p = input === null ? -1 : layers.indexOf(input);
  if (p < 0) return layers.slice(-3);
  const picked = new Set([0, Math.round(p / 2), p]);
  for (let i = layers.length - 1; picked.size < 3 && i >= 0; i--) picked.add(i);
  return [...picked].sort((a, b) => a - b).map((i) => layers[i]!);
}

/** Keeps the saved choice where it still names layers of this trajectory, in depth order; else the default. */
export function chosenLayers(trajectory: TrajectoryResult, saved: readonly string[] | undefined): string[] {
  if (!saved) return defaultTrajectoryLayers(trajectory);
  const kept = trajectory.layers.filter((l) => saved.includes(l));
  return kept.length > 0 || saved.length === 0 ? kept : defaultTrajectoryLayers(trajectory);
}

export function hasHeldOutTrajectory(trajectory: TrajectoryResult): boolean {
  return trajectory.layers.some((l) => trajectory.series[l]?.nc1.test != null);
}

/** The depth chart's id, y label and metric; a shorter title, "against epoch". */
function metricOf(chart: TrajectoryChartId, nc2Metric: Nc2Metric): { metric: ComparedMetric; id: string; title: string; yLabel: string } {
  const { id, yLabel, metric } = depthChartText(chart, nc2Metric);
  const name = chart === 'nc2' ? `NC2 · ${nc2MetricInfo(nc2Metric).label}` : { nc1: 'NC1', ncc: 'NCC accuracy', cdnv: 'CDNV' }[chart];
  return { metric, id: `${id}-epochs`, title: `${name} against epoch`, yLabel };
}

export interface TrajectoryChartOptions {
  layers: readonly string[];
  split: SplitName;
  nc2Metric: Nc2Metric;
}

/** A plottable value: a finite number, else null (a gap). */
export const finite = (v: number | null | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** One series per chosen layer (coloured by its place among all layers, so a choice never recolours), one point per epoch. */
export function trajectorySeries(trajectory: TrajectoryResult, metric: ComparedMetric, split: SplitName, layers: readonly string[]): LineSeries[] {
  const axis = epochAxis(trajectory.epochs);
  const chosen = trajectory.layers.filter((l) => layers.includes(l));
  const valueAt = (layer: string, i: number): number | null => {
    const s = trajectory.series[layer]?.[metric];
    return finite(split === 'train' ? s?.train[i] : s?.test?.[i]);
  };
  // Only NC1 has a rank caveat; the flags come with the trajectory (nc1LowRank).
  const lowRankAt = (layer: string, i: number): boolean => {
    const flags = metric === 'nc1' ? trajectory.nc1LowRank?.[layer] : undefined;
    return (split === 'train' ? flags?.train[i] : flags?.test?.[i]) ?? false;
  };
  // The legend names each layer by its short name (src/core/layerNames.ts); the tooltip keeps the full one.
  const shortName = layerNamer(trajectory.layers);
  return chosen.map((layer) => {
    const style = seriesStyle(trajectory.layers.indexOf(layer));
    const points: LinePoint[] = trajectory.epochs.map((epoch, i) => {
      const point: LinePoint = {
        x: axis.x(epoch),
        y: valueAt(layer, i),
        key: `epoch ${epoch}`,
        tooltip: {
          title: `epoch ${epoch} · ${split === 'train' ? 'train' : 'held-out'} ${METRIC_NAMES[metric]}`,
          rows: chosen.map((l): TooltipRow => ({ label: l, value: formatMetric(metric, valueAt(l, i)) + (lowRankAt(l, i) ? ' (low rank: Σ_B rank < K−1)' : '') })),
        },
      };
      if (lowRankAt(layer, i)) point.marked = true;
      return point;
    });
    return { id: layer, label: shortName(layer), title: layer, color: style.color, dashed: style.dashed, points };
  });
}

export function trajectorySpec(trajectory: TrajectoryResult, chart: TrajectoryChartId, options: TrajectoryChartOptions): LineChartSpec {
  const m = metricOf(chart, options.nc2Metric);
  const axis = epochAxis(trajectory.epochs);
  const series = trajectorySeries(trajectory, m.metric, options.split, options.layers);
  const yAxis = metricAxis(m.metric);
  const note = joinNotes(series.length === 0 ? 'No layer chosen: pick layers above.' : undefined, gapNotes(series, yAxis.yScale === 'log'), lowRankNote(series));
  const spec: LineChartSpec = {
    id: m.id,
    title: `${m.title} (${options.split === 'train' ? 'train' : 'held-out'})`,
    xLabel: axis.label,
    yLabel: m.yLabel,
    ...yAxis,
    xTicks: axis.ticks,
    series,
    hLines: [],
    vLines: [],
  };
  if (note) spec.note = note;
  return spec;
}

/** One value per epoch as a line, each point's tooltip the epoch's `rows`. */
function epochSeries(
  trajectory: TrajectoryResult,
  axis: ReturnType<typeof epochAxis>,
  look: Pick<LineSeries, 'id' | 'label' | 'color' | 'dashed'>,
  values: readonly (number | null | undefined)[],
  rows: (epochIndex: number) => { label: string; value: string }[],
): LineSeries {
  return {
    ...look,
    points: trajectory.epochs.map((epoch, i) => ({
      x: axis.x(epoch),
      y: finite(values[i]),
      key: `epoch ${epoch}`,
      tooltip: { title: `epoch ${epoch}`, rows: rows(i) },
    })),
  };
}

/** The classifier rows' ETF distance and equinorm against epoch: a curve each, from the weights alone. */
function weightsSpec(trajectory: TrajectoryResult): LineChartSpec {
  const axis = epochAxis(trajectory.epochs);
  const etf = trajectory.classifier.weightsEtfDistance ?? trajectory.epochs.map(() => null);
  const equinorm = trajectory.classifier.weightsEquinorm ?? trajectory.epochs.map(() => null);
  const rows = (i: number) => [
    { label: 'ETF distance', value: formatExact(finite(etf[i])) },
    { label: 'Equinorm', value: formatExact(finite(equinorm[i])) },
  ];
  const make = (id: string, label: string, values: (number | null)[], color: LineSeries['color'], dashed: boolean) => epochSeries(trajectory, axis, { id, label, color, dashed }, values, rows);
  const series = [make('weights-etf', 'ETF distance', etf, 'purple', false), make('weights-equinorm', 'Equinorm', equinorm, 'orange', true)];
  const note = trajectory.classifier.weightsEtfDistance === undefined ? 'This trajectory was written before the weights\' numbers were recorded: re-run it to see them.' : gapNotes(series, false);
  return classifierEpochChart('classifier-weights-epochs', 'Classifier (from weights) against epoch', 'centred rows (0 = simplex ETF)', axis, series, note);
}

/** A linear chart of classifier numbers against epoch (the weights' geometry, NC3, NC4). */
function classifierEpochChart(id: string, title: string, yLabel: string, axis: ReturnType<typeof epochAxis>, series: LineSeries[], note: string | null | undefined): LineChartSpec {
  const spec: LineChartSpec = { id, title, xLabel: axis.label, yLabel, yScale: 'linear', yFormat: 'number', xTicks: axis.ticks, series, hLines: [], vLines: [] };
  if (note) spec.note = note;
  return spec;
}

/** NC3 (one series) or NC4 (train, and held-out dashed when present) of the classifier against epoch; or the weights' geometry. */
export function classifierSpec(trajectory: TrajectoryResult, chart: ClassifierChartId): LineChartSpec {
  if (chart === 'weights') return weightsSpec(trajectory);
  const axis = epochAxis(trajectory.epochs);
  const { nc3, nc4Train, nc4Test } = trajectory.classifier;
  const rows = (i: number) =>
    chart === 'nc3'
      ? [{ label: 'NC3', value: formatExact(finite(nc3[i])) }]
      : [
          { label: 'NC4 train', value: formatExact(finite(nc4Train[i])) },
          { label: 'NC4 held-out', value: formatExact(finite(nc4Test[i])) },
        ];
  const make = (id: string, label: string, values: (number | null)[], color: LineSeries['color'], dashed: boolean) => epochSeries(trajectory, axis, { id, label, color, dashed }, values, rows);
  const series =
    chart === 'nc3'
      ? [make('nc3', 'NC3', nc3, 'purple', false)]
      : [
          make('train', 'Train', nc4Train, SPLIT_COLORS.train, false),
          ...(nc4Test.some((v) => finite(v) !== null) ? [make('test', 'Held-out', nc4Test, SPLIT_COLORS.test, true)] : []),
        ];
  return chart === 'nc3'
    ? classifierEpochChart('nc3-epochs', 'NC3 · self-duality against epoch', 'NC3 (0 = self-dual)', axis, series, gapNotes(series, false))
    : classifierEpochChart('nc4-epochs', 'NC4 · network vs nearest centre against epoch', 'NC4 (share that disagree)', axis, series, gapNotes(series, false));
}
