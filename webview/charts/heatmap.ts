/**
 * A heatmap: a K x K matrix with class names on both axes (square cells), or a grid of any shape such as
 * epochs x layers (spec.grid: cells fill the width), with a colour bar. Diverging scales run from the
 * theme's blue through its background to its red (so zero is "no colour" in every theme); sequential ones
 * from the background through orange to red (reversed: red at the low end).
 */
import * as d3 from 'd3';
import type { Theme } from '../common/theme';
import { formatExact, formatPercentExact, formatShort } from '../common/format';
import { cellLabeler } from './cellLabel';
import { createSvg, enableKeyboard, gridNeighbour, isLight, styleAxis, textWidth, type ChartInteraction, type FocusableMark, type Group } from './chartKit';
import type { ChartSize, HeatmapSpec, TooltipContent, TooltipRow } from './types';

const LEGEND_WIDTH = 64;
/** Labels closer than this (pixels) would overlap: every n-th class is labelled instead. Slanted column labels need more. */
const MIN_ROW_LABEL_SPACING = 12;
const MIN_COL_LABEL_SPACING = 17;
/** A grid's cells are at most this wide and tall (px): three layers do not make three huge blocks. */
const MAX_GRID_CELL_WIDTH = 110;
const MAX_GRID_CELL_HEIGHT = 36;
/** Room under a grid's column labels for its column name. */
const GRID_CAPTION_HEIGHT = 18;

let gradientCounter = 0;

type ColorOf = (v: number) => string;

function colorScale(spec: HeatmapSpec, theme: Theme): { color: ColorOf; legend: d3.ScaleContinuousNumeric<number, number>; domain: [number, number] } {
  if (spec.colorScale.kind === 'diverging') {
    const [lo, hi] = spec.colorScale.domain;
    const interpolate = d3.piecewise(d3.interpolateLab, [theme.colors.blue, theme.background, theme.colors.red]);
    const scale = d3.scaleDiverging(interpolate).domain([lo, 0, hi]).clamp(true);
    return { color: (v) => scale(v), legend: d3.scaleLinear().domain([lo, hi]), domain: [lo, hi] };
  }
  const [lo, hi] = spec.colorScale.domain;
  const stops = [theme.background, theme.colors.orange, theme.colors.red];
  const interpolate = d3.piecewise(d3.interpolateLab, spec.colorScale.reversed === true ? stops.reverse() : stops);
  if (spec.colorScale.log && lo > 0) {
    const scale = d3.scaleSequentialLog(interpolate).domain([lo, hi]).clamp(true);
    return { color: (v) => (v > 0 ? scale(v) : theme.background), legend: d3.scaleLog().domain([lo, hi]), domain: [lo, hi] };
  }
  const scale = d3.scaleSequential(interpolate).domain([lo, hi]).clamp(true);
  return { color: (v) => scale(v), legend: d3.scaleLinear().domain([lo, hi]), domain: [lo, hi] };
}

function labelEvery(cell: number, spacing: number): number {
  return Math.max(1, Math.ceil(spacing / cell));
}

/** Whole pixels while cells are large (crisp edges); fractional below that, so 100 classes still fit. */
const crisp = (fit: number): number => (fit >= 6 ? Math.floor(fit) : Math.max(1, fit));

export function renderHeatmap(container: HTMLElement, spec: HeatmapSpec, size: ChartSize, theme: Theme, interaction: ChartInteraction = {}): SVGSVGElement {
  const grid = spec.grid;
  const rows = spec.rowLabels.length;
  const cols = grid ? spec.colLabels.length : rows;
  const svg = createSvg(size, spec.title, theme);
  const root = svg.append('g') as unknown as Group;
  const rowLabelWidth = Math.min(grid ? 160 : 120, Math.max(...spec.rowLabels.map((l) => textWidth(l)), 10) + 8);
  const longestColLabel = Math.max(...spec.colLabels.map((l) => textWidth(l)), 10);
  const top = 8;
  const availableW = size.width - rowLabelWidth - LEGEND_WIDTH - 8;
  let cellW: number;
  let cellH: number;
  let slanted = true;
  let colLabelHeight = Math.min(100, longestColLabel * 0.72 + 14);
  if (grid) {
    cellW = crisp(Math.min(MAX_GRID_CELL_WIDTH, availableW / Math.max(cols, 1)));
    // Column labels that fit their cell stay level (easier to read); the others are slanted.
    slanted = longestColLabel > cellW - 4;
    if (!slanted) colLabelHeight = 20;
    cellH = crisp(Math.min(MAX_GRID_CELL_HEIGHT, (size.height - top - colLabelHeight - GRID_CAPTION_HEIGHT) / Math.max(rows, 1)));
  } else {
    cellW = cellH = crisp(Math.min(availableW, size.height - top - colLabelHeight) / Math.max(rows, 1));
  }
  const rowEvery = labelEvery(cellH, MIN_ROW_LABEL_SPACING);
  const colEvery = slanted ? labelEvery(cellW, MIN_COL_LABEL_SPACING) : 1;
  const left = rowLabelWidth;
  const gridW = cellW * cols;
  const gridH = cellH * rows;
  const { color, legend, domain } = colorScale(spec, theme);
  const highlighted = new Set((spec.highlighted ?? []).map(([r, c]) => `${r},${c}`));
  const dimmed = new Map((grid?.dimmedRows ?? []).map((d) => [d.row, d.note]));
  const notes = new Map((grid?.cellNotes ?? []).map(([r, c, note]) => [`${r},${c}`, note]));
  // Values are written in the cells of a small matrix, all in one form that fits, or none (cellLabel.ts).
  const shown: number[] = [];
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) {
    const raw = spec.values[r]?.[c];
    if (typeof raw === 'number' && Number.isFinite(raw) && !(spec.blankDiagonal === true && r === c)) shown.push(raw);
  }
  const writable = grid ? cols <= 16 && cellH >= 14 : rows <= 12;
  const labeler = writable ? cellLabeler(shown, cellW, spec.colorScale.kind === 'diverging') : null;

  const marks: FocusableMark[] = [];
  const cells = root.append('g');
  for (let r = 0; r < rows; r++) {
    const rowNote = dimmed.get(r);
    for (let c = 0; c < cols; c++) {
      const raw = spec.values[r]?.[c];
      const value = typeof raw === 'number' && Number.isFinite(raw) ? raw : null;
      const blank = spec.blankDiagonal === true && r === c;
      const fill = blank || value === null ? theme.background : color(value);
      const x = left + c * cellW;
      const y = top + r * cellH;
      const rect = cells
        .append('rect')
        .attr('x', x)
        .attr('y', y)
        .attr('width', cellW)
        .attr('height', cellH)
        .attr('fill', fill)
        .attr('stroke', theme.background)
        .attr('stroke-width', Math.min(cellW, cellH) >= 8 ? 1 : 0)
        .attr('class', rowNote !== undefined ? 'cl-heatmap-cell cl-dimmed' : 'cl-heatmap-cell')
        .attr('data-row', r)
        .attr('data-col', c);
      // A faded row (a deleted checkpoint) keeps its values but reads as "no longer there".
      if (rowNote !== undefined) rect.attr('fill-opacity', 0.3);
      if (blank || value === null) {
        // Diagonal or undefined pair: a faint cross, distinct from a small value.
        const [cx, cy, d] = [x + cellW / 2, y + cellH / 2, Math.min(cellW, cellH) * 0.2];
        cells
          .append('path')
          .attr('d', `M${cx - d},${cy - d}L${cx + d},${cy + d}M${cx + d},${cy - d}L${cx - d},${cy + d}`)
          .attr('stroke', theme.grid)
          .attr('stroke-width', 1)
          .attr('pointer-events', 'none');
      }
      const label = labeler !== null && value !== null && !blank ? labeler(value) : null;
      if (label !== null) {
        cells
          .append('text')
          .attr('x', x + cellW / 2)
          .attr('y', y + cellH / 2)
          .attr('dy', '0.35em')
          .attr('text-anchor', 'middle')
          .attr('class', 'cl-cell-value')
          .attr('pointer-events', 'none')
          .attr('fill', isLight(fill) === isLight(theme.background) || rowNote !== undefined ? theme.foreground : theme.background)
          .attr('fill-opacity', rowNote !== undefined ? 0.55 : 1)
          .text(label);
      }
      const tooltip: TooltipContent = grid
        ? gridTooltip(spec, grid, r, c, value, [rowNote, notes.get(`${r},${c}`)])
        : {
            title: r === c ? spec.rowLabels[r]! : `${spec.rowLabels[r]} × ${spec.colLabels[c]}`,
            rows: [{ label: spec.valueLabel, value: blank ? '— (diagonal)' : value === null ? 'n/a (undefined for this pair)' : formatExact(value) }],
          };
      const node = rect.node();
      if (node) {
        rect
          .on('pointerenter', (event: PointerEvent) => interaction.tooltip?.show(tooltip, event.clientX, event.clientY))
          .on('pointermove', (event: PointerEvent) => interaction.tooltip?.show(tooltip, event.clientX, event.clientY))
          .on('pointerleave', () => interaction.tooltip?.hide());
        marks.push({ element: node, tooltip, cx: x + cellW / 2, cy: y + cellH / 2, ringRadius: Math.max(4, Math.min(cellW, cellH) * 0.6) });
      }
    }
  }
  // Highlighted cells are outlined after all cells, so no neighbour paints over the outline.
  for (const key of highlighted) {
    const [r, c] = key.split(',').map(Number) as [number, number];
    root
      .append('rect')
      .attr('x', left + c * cellW + 1)
      .attr('y', top + r * cellH + 1)
      .attr('width', Math.max(0, cellW - 2))
      .attr('height', Math.max(0, cellH - 2))
      .attr('fill', 'none')
      .attr('stroke', theme.foreground)
      .attr('stroke-width', 2)
      .attr('pointer-events', 'none');
  }
  root.append('rect').attr('x', left).attr('y', top).attr('width', gridW).attr('height', gridH).attr('fill', 'none').attr('stroke', theme.grid);

  // Row names on the left (a faded row's faded too), column names below: slanted unless they fit their cell.
  root
    .append('g')
    .selectAll('text')
    .data(spec.rowLabels.map((label, i) => ({ label, i })).filter((d) => d.i % rowEvery === 0))
    .join('text')
    .attr('x', left - 6)
    .attr('y', (d) => top + d.i * cellH + cellH / 2)
    .attr('dy', '0.35em')
    .attr('text-anchor', 'end')
    .attr('fill', 'currentColor')
    .attr('fill-opacity', (d) => (dimmed.has(d.i) ? 0.5 : 1))
    .text((d) => d.label);
  root
    .append('g')
    .selectAll('text')
    .data(spec.colLabels.map((label, i) => ({ label, i })).filter((d) => d.i % colEvery === 0))
    .join('text')
    .attr('transform', (d) => `translate(${left + d.i * cellW + cellW / 2},${top + gridH + 8})${slanted ? ' rotate(-40)' : ''}`)
    .attr('text-anchor', slanted ? 'end' : 'middle')
    .attr('dy', slanted ? '0.35em' : '0.8em')
    .attr('fill', 'currentColor')
    .text((d) => d.label);
  if (grid) {
    root
      .append('text')
      .attr('class', 'cl-axis-label')
      .attr('x', left + gridW / 2)
      .attr('y', Math.min(size.height - 4, top + gridH + colLabelHeight + GRID_CAPTION_HEIGHT - 4))
      .attr('text-anchor', 'middle')
      .attr('fill', 'currentColor')
      .text(grid.colName);
  }

  // Colour bar.
  const barX = left + gridW + 18;
  const barH = Math.max(40, gridH);
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

  enableKeyboard(svg, marks, 0, gridNeighbour(marks.length, cols), theme, interaction);
  const node = svg.node();
  if (!node) throw new Error('heatmap: d3 did not create an <svg>');
  container.append(node);
  return node;
}

/** A grid cell's tooltip: "<row> · <column's full name>", the value, then any caveat (a faded row, a cell note). */
function gridTooltip(spec: HeatmapSpec, grid: NonNullable<HeatmapSpec['grid']>, r: number, c: number, value: number | null, notes: (string | undefined)[]): TooltipContent {
  const rows: TooltipRow[] = [
    { label: grid.rowName, value: spec.rowLabels[r] ?? '' },
    { label: grid.colName, value: grid.colTitles?.[c] ?? spec.colLabels[c] ?? '' },
    { label: spec.valueLabel, value: value === null ? 'n/a (not computed)' : grid.percent === true ? formatPercentExact(value) : formatExact(value) },
  ];
  for (const note of notes) if (note !== undefined) rows.push({ label: 'Note', value: note });
  return { title: `${spec.rowLabels[r]} · ${spec.colLabels[c]}`, rows };
}
