/**
 * Result -> the four overview charts against depth (NC1, NCC accuracy, NC2, CDNV). DOM-free.
 * x is the probe order (layer.depth); a null metric stays null so the chart draws a gap, never a zero.
 */
import { LOG_SCALE_METRICS, type ComparedMetric } from '../../../src/core/compare/align';
import type { AnalysisResult, LayerResult, SplitLayerMetrics, SplitName } from '../../../src/core/result';
import type { ChartColor, LinePoint, LineChartSpec, LineSeries, ReferenceLine, TooltipRow, XTick } from '../../charts/types';
import { logDomain } from '../../charts/domain';
import { formatCount, formatExact, formatPercent, formatPercentExact } from '../../common/format';
import { lowRankOf } from '../../../src/core/lowRankNc1';
import { layerNamer, layerSizeText } from '../../../src/core/layerNames';

export type OverviewChartId = 'nc1' | 'ncc' | 'nc2' | 'cdnv';
export type Nc2Metric = 'etfDistance' | 'equinorm' | 'equiangularity' | 'maxAngle';
/** The numbers a depth chart can plot: the ones runs are compared on. */
export type DepthMetric = ComparedMetric;

export const OVERVIEW_CHARTS: readonly OverviewChartId[] = ['nc1', 'ncc', 'nc2', 'cdnv'];

export const NC2_METRICS: readonly { id: Nc2Metric; label: string; meaning: string }[] = [
  { id: 'etfDistance', label: 'ETF distance', meaning: '‖G/‖G‖ − simplex ETF‖_F of the centred class means' },
  { id: 'equinorm', label: 'Equinorm', meaning: 'std / mean of the class-mean norms' },
  { id: 'equiangularity', label: 'Equiangularity', meaning: 'std of the cosines between class means' },
  { id: 'maxAngle', label: 'Max-angle', meaning: 'mean |cos + 1/(K−1)| between class means' },
];

/** An NC2 number's label and meaning; the first (ETF distance) for an id this version does not know. */
export function nc2MetricInfo(id: Nc2Metric): (typeof NC2_METRICS)[number] {
  return NC2_METRICS.find((m) => m.id === id) ?? NC2_METRICS[0]!;
}

function yAxisLabel(chart: OverviewChartId, nc2Metric: Nc2Metric): string {
  switch (chart) {
    case 'nc1':
      return 'NC1 = tr(Σ_W Σ_B⁺)/K (log)';
    case 'ncc':
      return 'NCC accuracy (%)';
    case 'nc2':
      return `${nc2MetricInfo(nc2Metric).label} (0 = simplex ETF)`;
    case 'cdnv':
      return 'mean CDNV over class pairs (log)';
  }
}

/**
 * A depth chart's own text and the metric it plots: the same in the analysis and the compare panel; the
 * trajectory's charts take their id, y label and metric from it too.
 */
export interface DepthChartText {
  id: string;
  title: string;
  yLabel: string;
  metric: DepthMetric;
}

export function depthChartText(chart: OverviewChartId, nc2Metric: Nc2Metric): DepthChartText {
  const yLabel = yAxisLabel(chart, nc2Metric);
  switch (chart) {
    case 'nc1':
      return { id: 'nc1', title: 'NC1 · within-class variability', yLabel, metric: 'nc1' };
    case 'ncc':
      return { id: 'ncc-accuracy', title: 'Nearest-class-centre accuracy', yLabel, metric: 'nccAccuracy' };
    case 'nc2': {
      const m = nc2MetricInfo(nc2Metric);
      return { id: `nc2-${m.id}`, title: `NC2 · ${m.label}`, yLabel, metric: m.id };
    }
    case 'cdnv':
      return { id: 'cdnv', title: 'CDNV · class-distance normalised variance', yLabel, metric: 'cdnv' };
  }
}

export type MetricAxis = Pick<LineChartSpec, 'yScale' | 'yFormat'> & Partial<Pick<LineChartSpec, 'yDomain'>>;

/**
 * How a metric's y axis reads wherever it is plotted (against depth or epoch): NC1 and CDNV span decades
 * (the core's LOG_SCALE_METRICS), NCC accuracy is a share on a fixed [0, 1].
 */
export function metricAxis(metric: DepthMetric): MetricAxis {
  if (metric === 'nccAccuracy') return { yScale: 'linear', yFormat: 'percent', yDomain: [0, 1] };
  return { yScale: LOG_SCALE_METRICS.has(metric) ? 'log' : 'linear', yFormat: 'number' };
}

export const SPLIT_COLORS: Record<SplitName, ChartColor> = { train: 'blue', test: 'orange' };

const METRIC_LABELS: Record<DepthMetric, string> = {
  nc1: 'NC1',
  nccAccuracy: 'NCC accuracy',
  cdnv: 'CDNV (mean)',
  etfDistance: 'ETF distance',
  equinorm: 'Equinorm',
  equiangularity: 'Equiangularity',
  maxAngle: 'Max-angle',
};

/** The splits the result holds, train first; a result with no held-out split gives one series. */
export function resultSplits(result: AnalysisResult): SplitName[] {
  const hasTest = result.splits.test !== undefined || result.layers.some((l) => l.metrics.test !== undefined);
  return hasTest ? ['train', 'test'] : ['train'];
}

export function splitLabel(result: AnalysisResult, split: SplitName): string {
  const info = result.splits[split];
  const name = split === 'train' ? 'Train' : 'Held-out test';
  return info ? `${name} (n = ${formatCount(info.samples)})` : name;
}

/** Probe order of a layer; the array index when an older writer left depth out. */
export function layerDepth(layer: LayerResult, index: number): number {
  return Number.isFinite(layer.depth) ? layer.depth : index;
}

export function describeLayer(layer: LayerResult): string {
  // A reduced tensor says what it was reduced from: a ViT block's 64 values are its class token, not the block.
  const reduced = layer.reduction && layer.reduction !== 'flatten' && layer.tensorShape ? `${layer.reduction} of ${layer.tensorShape.join('×')}, ` : '';
  return `${layer.op}, ${reduced}${layerSizeText(layer.shape, layer.dim)}`;
}

function metricValue(metrics: SplitLayerMetrics | undefined, metric: DepthMetric): number | null {
  if (!metrics) return null;
  const v = metrics[metric];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export function formatMetric(metric: DepthMetric, value: number | null): string {
  return metric === 'nccAccuracy' ? formatPercentExact(value) : formatExact(value);
}

function metricRow(layer: LayerResult, split: SplitName, metric: DepthMetric): TooltipRow {
  const metrics = layer.metrics[split];
  const value = metricValue(metrics, metric);
  const reason = metrics?.unavailable?.[metric];
  const name = split === 'train' ? 'Train' : 'Test';
  const text = value === null && reason ? `n/a (${reason})` : formatMetric(metric, value);
  return { label: `${name} ${METRIC_LABELS[metric]}`, value: text };
}

/** The tooltip row that says a split's NC1 is low-rank, when it is (the NC1 chart only). */
function lowRankRow(layer: LayerResult, split: SplitName, classCount: number): TooltipRow[] {
  const rank = lowRankOf(layer.metrics[split], classCount);
  if (rank === null) return [];
  return [{ label: `${split === 'train' ? 'Train' : 'Test'} NC1 low rank`, value: `Σ_B rank ${rank} < K−1 = ${classCount - 1}: not a sign of collapse` }];
}

function depthPoints(result: AnalysisResult, split: SplitName, metric: DepthMetric): LinePoint[] {
  const splits = resultSplits(result);
  const K = result.classes.count;
  return result.layers.map((layer, index) => {
    const point: LinePoint = {
      x: layerDepth(layer, index),
      y: metricValue(layer.metrics[split], metric),
      key: layer.name,
      tooltip: {
        title: layer.name,
        rows: [
          { label: 'Layer', value: `#${layerDepth(layer, index)} · ${describeLayer(layer)}` },
          ...splits.map((s) => metricRow(layer, s, metric)),
          ...(metric === 'nc1' ? splits.flatMap((s) => lowRankRow(layer, s, K)) : []),
        ],
      },
    };
    if (metric === 'nc1' && lowRankOf(layer.metrics[split], K) !== null) point.marked = true;
    return point;
  });
}

/** What the dashed rings on an NC1 chart mean; undefined when no point is ringed. */
export function lowRankNote(series: LineSeries[]): string | undefined {
  const marked = series.reduce((n, s) => n + s.points.filter((p) => p.marked === true && p.y !== null).length, 0);
  return marked > 0
    ? `${marked} ringed value(s): NC1 over a low-rank Σ_B (rank < K−1: the layer is narrower than K−1 or class means coincide); it measures the spread inside that subspace only, so a small value there does not mean the classes are separated.`
    : undefined;
}

/** One series per split, train solid and test dashed (told apart without colour too). */
export function depthSeries(result: AnalysisResult, metric: DepthMetric): LineSeries[] {
  return resultSplits(result).map((split) => ({
    id: split,
    label: splitLabel(result, split),
    color: SPLIT_COLORS[split],
    dashed: split === 'test',
    points: depthPoints(result, split, metric),
  }));
}

/**
 * The depth axis's ticks: each probed layer by its short name (src/core/layerNames.ts), so a reader sees
 * which layer a point is without hovering; the tooltip has the full name.
 */
export function layerTicks(result: AnalysisResult): XTick[] {
  const shortName = layerNamer(result.layers.map((l) => l.name));
  return result.layers.map((layer, index) => ({ x: layerDepth(layer, index), label: shortName(layer.name) }));
}

/** The x axis against depth: the probe order (the compare panel's too, when the runs align by name). */
export const DEPTH_LABEL = 'Probed layer (input → output)';

function logNote(series: LineSeries[]): string | undefined {
  const { hiddenNonPositive } = logDomain(series.flatMap((s) => s.points.map((p) => p.y)));
  return hiddenNonPositive > 0 ? `${hiddenNonPositive} value(s) ≤ 0 cannot be shown on the log axis (drawn as gaps).` : undefined;
}

function nullNote(series: LineSeries[]): string | undefined {
  const missing = series.reduce((n, s) => n + s.points.filter((p) => p.y === null).length, 0);
  return missing > 0 ? `${missing} value(s) not computed (gaps; hover for the reason).` : undefined;
}

/** The notes given, in order, as one text; undefined when none has anything to say. */
export function joinNotes(...notes: (string | undefined)[]): string | undefined {
  const present = notes.filter((n): n is string => n !== undefined && n.length > 0);
  return present.length > 0 ? present.join(' ') : undefined;
}

function accuracyLines(result: AnalysisResult): ReferenceLine[] {
  const lines: ReferenceLine[] = [];
  for (const split of resultSplits(result)) {
    const acc = result.splits[split]?.accuracy;
    if (typeof acc === 'number' && Number.isFinite(acc))
      lines.push({ value: acc, label: `network ${split} ${formatPercent(acc)}`, color: SPLIT_COLORS[split] });
  }
  return lines;
}

function effectiveDepthLine(result: AnalysisResult): ReferenceLine[] {
  const { layer, epsilon } = result.effectiveDepth;
  if (layer === null) return [];
  const index = result.layers.findIndex((l) => l.name === layer);
  if (index < 0) return [];
  return [{ value: layerDepth(result.layers[index]!, index), label: `effective depth (ε = ${epsilon})`, color: 'green' }];
}

export interface OverviewOptions {
  nc2Metric: Nc2Metric;
  selectedLayer: string | null;
}

/** The chart's own fields; the rest is what every overview chart shares (see depthChart). */
type DepthChartFields = Pick<LineChartSpec, 'id' | 'title' | 'yLabel'> & MetricAxis & Partial<Pick<LineChartSpec, 'hLines' | 'vLines' | 'xTicks'>>;

/**
 * An overview chart: depth on x, no reference lines unless `fields` says otherwise; its
 * note counts the gaps, and on a log axis also the values the axis cannot show.
 */
function depthChart(series: LineSeries[], selectedKey: string | null, fields: DepthChartFields): LineChartSpec {
  return {
    xLabel: DEPTH_LABEL,
    series,
    hLines: [],
    vLines: [],
    selectedKey,
    note: joinNotes(fields.yScale === 'log' ? logNote(series) : undefined, nullNote(series), lowRankNote(series)),
    ...fields,
  };
}

export function overviewSpec(result: AnalysisResult, chart: OverviewChartId, options: OverviewOptions): LineChartSpec {
  const { id, title, yLabel, metric } = depthChartText(chart, options.nc2Metric);
  // Only the accuracy chart carries reference lines: the network's own accuracy and the effective depth.
  const lines = chart === 'ncc' ? { hLines: accuracyLines(result), vLines: effectiveDepthLine(result) } : {};
  return depthChart(depthSeries(result, metric), options.selectedLayer, { id, title, yLabel, xTicks: layerTicks(result), ...metricAxis(metric), ...lines });
}
