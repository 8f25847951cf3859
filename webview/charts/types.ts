/**
 * What a chart is given. DOM-free, so the analysis and compare panels build these from a result in
 * plain functions that are unit-tested in Node; the renderers in this folder turn them into SVG.
 * Colours are named by role and resolved against the current VS Code theme at render time, so a spec
 * never holds a concrete colour and a theme change only needs a re-render.
 */

/** The chart colours VS Code defines as --vscode-charts-*, plus the text colours. */
export type ChartColor = 'blue' | 'orange' | 'green' | 'red' | 'purple' | 'yellow' | 'foreground' | 'muted';

export interface ChartSize {
  width: number;
  height: number;
}

export interface TooltipRow {
  label: string;
  value: string;
}

export interface TooltipContent {
  title: string;
  rows: TooltipRow[];
}

export interface LinePoint {
  x: number;
  /** null: not computed, drawn as a gap in the line. */
  y: number | null;
  /** What selecting the point selects (the layer name). */
  key: string;
  tooltip: TooltipContent;
  /**
   * Drawn with a dashed ring: the value has a caveat the tooltip and the chart's note explain (an NC1
   * over a low-rank Σ_B, which can be small while the classes overlap).
   */
  marked?: boolean;
  /** Drawn faded and hollow: the value stays but its source is gone (a deleted checkpoint of a watch). */
  dimmed?: boolean;
}

export interface LineSeries {
  id: string;
  label: string;
  /** The full name the label stands for (a layer's tensor name), given as the legend item's tooltip. */
  title?: string;
  color: ChartColor;
  dashed?: boolean;
  points: LinePoint[];
}

export interface ReferenceLine {
  value: number;
  label: string;
  color: ChartColor;
}

export interface XTick {
  x: number;
  label: string;
}

export interface LineChartSpec {
  /** Used in export file names. */
  id: string;
  title: string;
  xLabel: string;
  yLabel: string;
  yScale: 'log' | 'linear';
  /** Fixed domain (e.g. [0, 1] for an accuracy); otherwise fitted to the data. */
  yDomain?: [number, number];
  yFormat: 'number' | 'percent';
  /** Explicit x ticks; otherwise integer ticks over the points. */
  xTicks?: XTick[];
  series: LineSeries[];
  /** Horizontal references, e.g. the network's own accuracy. */
  hLines: ReferenceLine[];
  /** Vertical markers, e.g. the effective depth. */
  vLines: ReferenceLine[];
  /** The selected key, shown as a band across the chart. */
  selectedKey?: string | null;
  /** Shown under the chart when the data needed a caveat (values hidden on a log scale, ...). */
  note?: string;
}

export interface HeatmapSpec {
  id: string;
  title: string;
  rowLabels: string[];
  colLabels: string[];
  values: (number | null)[][];
  /**
   * diverging: centred on zero over [-1, 1] (cosines); sequential: low to high (CDNV), log when asked;
   * `reversed`: the strong colour at the low end (a low NC1 is the collapsed end).
   */
  colorScale: { kind: 'diverging'; domain: [number, number] } | { kind: 'sequential'; domain: [number, number]; log: boolean; reversed?: boolean };
  /** Name of the value for the tooltip, e.g. "cos" or "CDNV". */
  valueLabel: string;
  /** Cells drawn with a strong outline, [row, col]. */
  highlighted?: [number, number][];
  /** Skip the diagonal (drawn neutral), where it carries no information. */
  blankDiagonal?: boolean;
  /** Legend caption under the colour bar. */
  legendLabel: string;
  /**
   * A grid of any shape (rows and columns of different things, e.g. epochs x layers): cells fill the
   * width and are as tall as fits, not square; the tooltip names the row and the column with these
   * names. Absent: a K x K matrix of square cells.
   */
  grid?: {
    rowName: string;
    colName: string;
    /** The full name each column label stands for (a layer's tensor name), for the tooltip. */
    colTitles?: string[];
    /** Rows drawn faded, with this note in their tooltip (a deleted checkpoint: kept, greyed). */
    dimmedRows?: { row: number; note: string }[];
    /** Values are fractions shown as percentages in the tooltip (an accuracy), as the line charts show them. */
    percent?: boolean;
    /** A caveat shown in one cell's tooltip, [row, col, note] (a low-rank NC1). */
    cellNotes?: [number, number, string][];
  };
}

export interface BarSpec {
  id: string;
  title: string;
  labels: string[];
  series: { id: string; label: string; color: ChartColor; values: (number | null)[] }[];
  valueLabel: string;
}

export interface ScatterSpec {
  id: string;
  title: string;
  groupLabels: string[];
  points: { x: number; y: number; group: number }[];
  centres: { x: number; y: number; group: number }[];
  xLabel: string;
  yLabel: string;
}
