/**
 * A K x K heatmap with class names on both axes and a colour bar. Diverging scales run from the theme's
 * blue through its background to its red (so zero is "no colour" in every theme); sequential ones from
 * the background through orange to red.
 */
import * as d3 from 'd3';
import type { Theme } from '../common/theme';
import { formatExact, formatShort } from '../common/format';
import { cellLabeler } from './cellLabel';
import { createSvg, enableKeyboard, gridNeighbour, isLight, styleAxis, textWidth, type ChartInteraction, type FocusableMark, type Group } from './chartKit';
import { colourTable, RASTER_MIN_CLASSES, rgbOf, type GridCell } from './gridLookup';
import { drawRasterCells } from './heatmapRaster';
import type { ChartSize, HeatmapSpec, TooltipContent } from './types';

const LEGEND_WIDTH = 64;
/** Labels closer than this (pixels) would overlap: every n-th class is labelled instead. Slanted column labels need more. */
const MIN_ROW_LABEL_SPACING = 12;
const MIN_COL_LABEL_SPACING = 17;

let gradientCounter = 0;

type ColorOf = (v: number) => string;

interface ColourScale {
  color: ColorOf;
  /** The value's place along the scale, in [0, 1] (what `interpolate` takes). */
  position: (v: number) => number;
  interpolate: (t: number) => string;
  legend: d3.ScaleContinuousNumeric<number, number>;
  domain: [number, number];
}

function colorScale(spec: HeatmapSpec, theme: Theme): ColourScale {
  const identity = (t: number): number => t;
  if (spec.colorScale.kind === 'diverging') {
    const [lo, hi] = spec.colorScale.domain;
    const interpolate = d3.piecewise(d3.interpolateLab, [theme.colors.blue, theme.background, theme.colors.red]);
    const position = d3.scaleDiverging(identity).domain([lo, 0, hi]).clamp(true);
    return { color: (v) => interpolate(position(v)), position, interpolate, legend: d3.scaleLinear().domain([lo, hi]), domain: [lo, hi] };
  }
  const [lo, hi] = spec.colorScale.domain;
  const interpolate = d3.piecewise(d3.interpolateLab, [theme.background, theme.colors.orange, theme.colors.red]);
  if (spec.colorScale.log && lo > 0) {
    const scale = d3.scaleSequentialLog(identity).domain([lo, hi]).clamp(true);
    // A value <= 0 has no place on a log scale: it is painted as the background (the scale's low end).
    const position = (v: number): number => (v > 0 ? scale(v) : 0);
    return { color: (v) => (v > 0 ? interpolate(scale(v)) : theme.background), position, interpolate, legend: d3.scaleLog().domain([lo, hi]), domain: [lo, hi] };
  }
  const position = d3.scaleSequential(identity).domain([lo, hi]).clamp(true);
  return { color: (v) => interpolate(position(v)), position, interpolate, legend: d3.scaleLinear().domain([lo, hi]), domain: [lo, hi] };
}

/** The tooltip of one cell: the pair and the exact value, or why there is none. */
function cellTooltip(spec: HeatmapSpec, r: number, c: number): TooltipContent {
  const raw = spec.values[r]?.[c];
  const value = typeof raw === 'number' && Number.isFinite(raw) ? raw : null;
  const blank = spec.blankDiagonal === true && r === c;
  return {
    title: r === c ? spec.rowLabels[r]! : `${spec.rowLabels[r]} × ${spec.colLabels[c]}`,
    rows: [{ label: spec.valueLabel, value: blank ? '— (diagonal)' : value === null ? 'n/a (undefined for this pair)' : formatExact(value) }],
  };
}

/** The finite values a cell shows (the diagonal left out where it is blank). */
function shownValues(spec: HeatmapSpec): number[] {
  const k = spec.rowLabels.length;
  const shown: number[] = [];
  for (let r = 0; r < k; r++) for (let c = 0; c < k; c++) {
    const raw = spec.values[r]?.[c];
    if (typeof raw === 'number' && Number.isFinite(raw) && !(spec.blankDiagonal === true && r === c)) shown.push(raw);
  }
  return shown;
}

function labelEvery(cell: number, spacing: number): number {
  return Math.max(1, Math.ceil(spacing / cell));
}

export function renderHeatmap(container: HTMLElement, spec: HeatmapSpec, size: ChartSize, theme: Theme, interaction: ChartInteraction = {}): SVGSVGElement {
  const k = spec.rowLabels.length;
  const svg = createSvg(size, spec.title, theme);
  const root = svg.append('g') as unknown as Group;
  const rowLabelWidth = Math.min(120, Math.max(...spec.rowLabels.map((l) => textWidth(l)), 10) + 8);
  const colLabelHeight = Math.min(100, Math.max(...spec.colLabels.map((l) => textWidth(l)), 10) * 0.72 + 14);
  const top = 8;
  const availableW = size.width - rowLabelWidth - LEGEND_WIDTH - 8;
  const availableH = size.height - top - colLabelHeight;
  const fit = Math.min(availableW, availableH) / Math.max(k, 1);
  const raster = k > RASTER_MIN_CLASSES;
  // Whole pixels while cells are large (crisp edges); fractional below that, so 100 classes still fit,
  // and below one pixel for a bitmap (K = 1,000: the bitmap is shrunk, labels thinned, pairs listed below).
  const cell = fit >= 6 ? Math.floor(fit) : raster ? Math.max(0.05, fit) : Math.max(1, fit);
  const rowEvery = labelEvery(cell, MIN_ROW_LABEL_SPACING);
  const colEvery = labelEvery(cell, MIN_COL_LABEL_SPACING);
  const left = rowLabelWidth;
  const gridSize = cell * k;
  const { color, position, interpolate, legend, domain } = colorScale(spec, theme);
  const highlighted = new Set((spec.highlighted ?? []).map(([r, c]) => `${r},${c}`));
  // Values are written in the cells of a small matrix, all in one form that fits, or none (cellLabel.ts).
  const labeler = k <= 12 ? cellLabeler(shownValues(spec), cell, spec.colorScale.kind === 'diverging') : null;

  const marks: FocusableMark[] = [];
  if (raster) {
    const table = colourTable(interpolate);
    const background = rgbOf(theme.background);
    // An undefined pair (coincident means) is painted in the grid colour, apart from every value.
    const undefinedPair = rgbOf(theme.grid);
    const paint = (r: number, c: number): readonly [number, number, number] => {
      if (spec.blankDiagonal === true && r === c) return background;
      const raw = spec.values[r]?.[c];
      return typeof raw === 'number' && Number.isFinite(raw) ? table(position(raw)) : undefinedPair;
    };
    drawRasterCells(root, { left, top, cell, k }, paint, (at: GridCell) => cellTooltip(spec, at.row, at.col), theme, interaction);
  } else {
    const cells = root.append('g');
    for (let r = 0; r < k; r++) {
      for (let c = 0; c < k; c++) {
        const raw = spec.values[r]?.[c];
        const value = typeof raw === 'number' && Number.isFinite(raw) ? raw : null;
        const blank = spec.blankDiagonal === true && r === c;
        const fill = blank || value === null ? theme.background : color(value);
        const x = left + c * cell;
        const y = top + r * cell;
        const rect = cells
          .append('rect')
          .attr('x', x)
          .attr('y', y)
          .attr('width', cell)
          .attr('height', cell)
          .attr('fill', fill)
          .attr('stroke', theme.background)
          .attr('stroke-width', cell >= 8 ? 1 : 0);
        if (blank || value === null) {
          // Diagonal or undefined pair: a faint cross, distinct from a small value.
          cells
            .append('path')
            .attr('d', `M${x + cell * 0.3},${y + cell * 0.3}L${x + cell * 0.7},${y + cell * 0.7}M${x + cell * 0.7},${y + cell * 0.3}L${x + cell * 0.3},${y + cell * 0.7}`)
            .attr('stroke', theme.grid)
            .attr('stroke-width', 1)
            .attr('pointer-events', 'none');
        }
        const label = labeler !== null && value !== null && !blank ? labeler(value) : null;
        if (label !== null) {
          cells
            .append('text')
            .attr('x', x + cell / 2)
            .attr('y', y + cell / 2)
            .attr('dy', '0.35em')
            .attr('text-anchor', 'middle')
            .attr('class', 'cl-cell-value')
            .attr('pointer-events', 'none')
            .attr('fill', isLight(fill) === isLight(theme.background) ? theme.foreground : theme.background)
            .text(label);
        }
        const tooltip = cellTooltip(spec, r, c);
        const node = rect.node();
        if (node) {
          rect
            .on('pointerenter', (event: PointerEvent) => interaction.tooltip?.show(tooltip, event.clientX, event.clientY))
            .on('pointermove', (event: PointerEvent) => interaction.tooltip?.show(tooltip, event.clientX, event.clientY))
            .on('pointerleave', () => interaction.tooltip?.hide());
          marks.push({ element: node, tooltip, cx: x + cell / 2, cy: y + cell / 2, ringRadius: Math.max(4, cell * 0.6) });
        }
      }
    }
  }
  // Highlighted cells are outlined after all cells, so no neighbour paints over the outline.
  // Cells smaller than a few pixels get an outline larger than the cell, centred on it, so it stays visible.
  const outline = Math.max(cell - 2, 7);
  for (const key of highlighted) {
    const [r, c] = key.split(',').map(Number) as [number, number];
    root
      .append('rect')
      .attr('class', 'cl-heatmap-highlight')
      .attr('x', left + c * cell + cell / 2 - outline / 2)
      .attr('y', top + r * cell + cell / 2 - outline / 2)
      .attr('width', outline)
      .attr('height', outline)
      .attr('fill', 'none')
      .attr('stroke', theme.foreground)
      .attr('stroke-width', 2)
      .attr('pointer-events', 'none');
  }
  root.append('rect').attr('x', left).attr('y', top).attr('width', gridSize).attr('height', gridSize).attr('fill', 'none').attr('stroke', theme.grid);

  // Class names: rows on the left, columns below, slanted.
  root
    .append('g')
    .selectAll('text')
    .data(spec.rowLabels.map((label, i) => ({ label, i })).filter((d) => d.i % rowEvery === 0))
    .join('text')
    .attr('x', left - 6)
    .attr('y', (d) => top + d.i * cell + cell / 2)
    .attr('dy', '0.35em')
    .attr('text-anchor', 'end')
    .attr('fill', 'currentColor')
    .text((d) => d.label);
  root
    .append('g')
    .selectAll('text')
    .data(spec.colLabels.map((label, i) => ({ label, i })).filter((d) => d.i % colEvery === 0))
    .join('text')
    .attr('transform', (d) => `translate(${left + d.i * cell + cell / 2},${top + gridSize + 8}) rotate(-40)`)
    .attr('text-anchor', 'end')
    .attr('dy', '0.35em')
    .attr('fill', 'currentColor')
    .text((d) => d.label);

  // Colour bar.
  const barX = left + gridSize + 18;
  const barH = Math.max(40, gridSize);
  const gradientId = `cl-gradient-${spec.id}-${++gradientCounter}`;
  const gradient = svg.append('defs').append('linearGradient').attr('id', gradientId).attr('x1', 0).attr('x2', 0).attr('y1', 1).attr('y2', 0);
  const legendScale = legend.copy().range([0, 1]);
  for (let i = 0; i <= 20; i++) {
    const t = i / 20;
    const v = legendScale.invert(t);
    gradient.append('stop').attr('offset', t).attr('stop-color', color(v));
  }
  root.append('rect').attr('x', barX).attr('y', top).attr('width', 12).attr('height', barH).attr('fill', `url(#${gradientId})`).attr('stroke', theme.grid);
  const axisScale = legend.copy().range([top + barH, top]);
  const ticks =
    spec.colorScale.kind === 'diverging'
      ? [domain[0], (domain[0] + domain[1]) / 2, domain[1]]
      : spec.colorScale.log && domain[0] > 0
        ? [domain[0], Math.sqrt(domain[0] * domain[1]), domain[1]]
        : [domain[0], (domain[0] + domain[1]) / 2, domain[1]];
  const axis = root
    .append('g')
    .attr('transform', `translate(${barX + 12},0)`)
    .call(d3.axisRight(axisScale).tickValues(ticks.length >= 2 ? ticks : domain).tickFormat((v) => formatShort(Number(v), 2)).tickSize(4)) as unknown as Group;
  styleAxis(axis, theme);
  axis.select('.domain').remove();

  if (!raster) enableKeyboard(svg, marks, 0, gridNeighbour(marks.length, k), theme, interaction);
  const node = svg.node();
  if (!node) throw new Error('heatmap: d3 did not create an <svg>');
  container.append(node);
  return node;
}
