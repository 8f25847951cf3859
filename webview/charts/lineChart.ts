/**
 * A metric against depth: one line per series (null values are gaps), horizontal reference lines, vertical
 * markers, the selected layer as a band, hover on the nearest layer, and keyboard access to every point.
 */
import * as d3 from 'd3';
import type { Theme } from '../common/theme';
import { INTERACTION_ONLY_CLASS } from '../common/exportChart';
import { formatShort } from '../common/format';
import { linearDomain, logDomain, logPlottable } from './domain';
import { placeLineLabels } from './labelPlacement';
import { fitLegendLabels, legendItemWidth } from './legendFit';
import { fitXTicks, SLANT_DEGREES, type FittedXTicks } from './xTickFit';
import {
  axisTitle,
  createSvg,
  enableKeyboard,
  haloText,
  styleAxis,
  type ChartInteraction,
  type FocusableMark,
  type Group,
} from './chartKit';
import type { ChartSize, LinePoint, LineChartSpec } from './types';

const MARGIN = { top: 30, right: 20, bottom: 44, left: 64 };
const DASH = '6 4';

interface PlacedPoint {
  point: LinePoint;
  series: number;
  px: number;
  py: number;
}

function yScaleOf(spec: LineChartSpec, plotBottom: number): d3.ScaleContinuousNumeric<number, number> {
  const values = [...spec.series.flatMap((s) => s.points.map((p) => p.y)), ...spec.hLines.map((l) => l.value)];
  const range: [number, number] = [plotBottom, MARGIN.top];
  if (spec.yScale === 'log') return d3.scaleLog().domain(spec.yDomain ?? logDomain(values).domain).range(range).clamp(true);
  const domain = spec.yDomain ?? linearDomain(values, { includeZero: true });
  const scale = d3.scaleLinear().domain(domain).range(range);
  return spec.yDomain ? scale : scale.nice();
}

function yTickFormat(spec: LineChartSpec, scale: d3.ScaleContinuousNumeric<number, number>): (v: number) => string {
  if (spec.yFormat === 'percent') return (v) => `${Math.round(v * 100)}%`;
  if (spec.yScale === 'log') {
    const [lo, hi] = scale.domain() as [number, number];
    const decades = Math.log10(hi / lo);
    // Over several decades only the powers of ten are labelled; the minor ticks stay as marks.
    return (v) => (decades <= 1.01 || Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9 ? formatShort(v) : '');
  }
  return (v) => formatShort(v);
}

/**
 * The x ticks as drawn: the spec's own (layer names), fitted under the plot (xTickFit.ts); else integer
 * ticks over the points, as many as fit.
 */
function xTicks(spec: LineChartSpec, xs: number[], width: number, pxPerUnit: number): FittedXTicks {
  if (spec.xTicks) {
    const sorted = [...spec.xTicks].sort((a, b) => a.x - b.x);
    const gaps = sorted.slice(1).map((t, i) => t.x - sorted[i]!.x);
    return fitXTicks(sorted, (gaps.length > 0 ? Math.min(...gaps) : 1) * pxPerUnit);
  }
  const unique = Array.from(new Set(xs.filter((x) => Number.isInteger(x)))).sort((a, b) => a - b);
  const room = Math.max(1, Math.floor((width - MARGIN.left - MARGIN.right) / 26));
  const step = Math.max(1, Math.ceil(unique.length / room));
  const ticks = unique.filter((_, i) => i % step === 0).map((x) => ({ x, label: String(x) }));
  return { ticks, slanted: false, extraBottom: 0 };
}

function drawLegend(svg: Group, spec: LineChartSpec, theme: Theme, width: number): void {
  let x = MARGIN.left;
  const y = 12;
  const labels = fitLegendLabels(spec.series.map((s) => s.label), width - MARGIN.left - MARGIN.right);
  spec.series.forEach((s, i) => {
    const label = labels[i]!;
    const color = theme.colors[s.color];
    const item = svg.append('g').attr('transform', `translate(${x},${y})`);
    item.append('line').attr('x1', 0).attr('x2', 22).attr('y1', 0).attr('y2', 0).attr('stroke', color).attr('stroke-width', 2).attr('stroke-dasharray', s.dashed ? DASH : null);
    item
      .append('circle')
      .attr('cx', 11)
      .attr('cy', 0)
      .attr('r', 3.5)
      .attr('fill', i === 0 || !s.dashed ? color : theme.background)
      .attr('stroke', color)
      .attr('stroke-width', 1.5);
    item.append('text').attr('x', 28).attr('y', 0).attr('dy', '0.35em').attr('fill', 'currentColor').text(label);
    const full = s.title ?? s.label;
    if (label !== full) item.append('title').text(full);
    x += legendItemWidth(label);
  });
}

export function renderLineChart(container: HTMLElement, spec: LineChartSpec, size: ChartSize, theme: Theme, interaction: ChartInteraction = {}): SVGSVGElement {
  const { width, height } = size;
  const svg = createSvg(size, spec.title, theme);
  const root = svg.append('g') as unknown as Group;
  const allPoints = spec.series.flatMap((s) => s.points);
  const xs = allPoints.map((p) => p.x);
  const xMin = xs.length > 0 ? Math.min(...xs) : 0;
  const xMax = xs.length > 0 ? Math.max(...xs) : 1;
  const x = d3
    .scaleLinear()
    .domain([xMin - 0.5, xMax + 0.5])
    .range([MARGIN.left, width - MARGIN.right]);
  const step = Math.abs(x(1) - x(0));
  const ticks = xTicks(spec, xs, width, step);
  // Slanted layer names take more room under the axis: the plot gives it up (the chart keeps its size).
  const plotTop = MARGIN.top;
  const plotBottom = height - MARGIN.bottom - ticks.extraBottom;
  const y = yScaleOf(spec, plotBottom);

  // Gridlines first, under everything.
  const yTickValues = spec.yScale === 'log' ? y.ticks().filter((v) => Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9) : y.ticks(5);
  root
    .append('g')
    .selectAll('line')
    .data(yTickValues)
    .join('line')
    .attr('x1', MARGIN.left)
    .attr('x2', width - MARGIN.right)
    .attr('y1', (v) => y(v))
    .attr('y2', (v) => y(v))
    .attr('stroke', theme.grid)
    .attr('stroke-opacity', 0.6);

  // The selected layer, as a band across the plot.
  const selected = spec.selectedKey ? allPoints.find((p) => p.key === spec.selectedKey) : undefined;
  if (selected) {
    root
      .append('rect')
      .attr('class', 'cl-selected-band')
      .attr('x', x(selected.x) - step / 2)
      .attr('width', step)
      .attr('y', plotTop)
      .attr('height', plotBottom - plotTop)
      .attr('fill', 'currentColor')
      .attr('fill-opacity', theme.kind.startsWith('high-contrast') ? 0.16 : 0.06);
  }

  const xAxis = root
    .append('g')
    .attr('transform', `translate(0,${plotBottom})`)
    .call(
      d3
        .axisBottom(x)
        .tickValues(ticks.ticks.map((t) => t.x))
        .tickFormat((v) => ticks.ticks.find((t) => t.x === Number(v))?.label ?? String(v))
        .tickSizeOuter(0),
    ) as unknown as Group;
  styleAxis(xAxis, theme);
  if (ticks.slanted) {
    xAxis.selectAll<SVGTextElement, unknown>('.tick text').attr('text-anchor', 'end').attr('dx', '-0.4em').attr('dy', '0.5em').attr('transform', `rotate(-${SLANT_DEGREES})`);
  }
  const yAxis = root
    .append('g')
    .attr('transform', `translate(${MARGIN.left},0)`)
    .call(
      d3
        .axisLeft(y)
        .ticks(spec.yScale === 'log' ? undefined : 5)
        .tickFormat((v) => yTickFormat(spec, y)(Number(v)))
        .tickSizeOuter(0),
    ) as unknown as Group;
  styleAxis(yAxis, theme);
  axisTitle(svg, spec.xLabel, (MARGIN.left + width - MARGIN.right) / 2, height - 8);
  axisTitle(svg, spec.yLabel, 16, (plotTop + plotBottom) / 2, true);

  // Reference lines. Horizontal ones are labelled where the series leave room (labelPlacement.ts);
  // vertical ones near the bottom of the plot. The lines go under the series, their labels over them
  // (drawn after the series, below), so a series crossing a label is masked by the label's halo
  // instead of striking through its text.
  const hLines = spec.hLines.filter((l) => (spec.yScale === 'log' ? l.value > 0 : true));
  for (const line of hLines) {
    root.append('line').attr('x1', MARGIN.left).attr('x2', width - MARGIN.right).attr('y1', y(line.value)).attr('y2', y(line.value)).attr('stroke', theme.colors[line.color]).attr('stroke-width', 1.25).attr('stroke-dasharray', '2 3');
  }
  for (const line of spec.vLines) {
    const px = x(line.value);
    root.append('line').attr('x1', px).attr('x2', px).attr('y1', plotTop).attr('y2', plotBottom).attr('stroke', theme.colors[line.color]).attr('stroke-width', 1.5).attr('stroke-dasharray', '4 3');
  }

  // The series.
  const placed: PlacedPoint[][] = [];
  spec.series.forEach((s, si) => {
    const color = theme.colors[s.color];
    const plottable = (p: LinePoint): number | null => (spec.yScale === 'log' ? logPlottable(p.y) : p.y);
    const line = d3
      .line<LinePoint>()
      .defined((p) => plottable(p) !== null)
      .x((p) => x(p.x))
      .y((p) => y(plottable(p) ?? 0));
    root.append('path').datum(s.points).attr('d', line).attr('fill', 'none').attr('stroke', color).attr('stroke-width', 2).attr('stroke-linejoin', 'round').attr('stroke-dasharray', s.dashed ? DASH : null);
    const marks: PlacedPoint[] = [];
    for (const p of s.points) {
      const v = plottable(p);
      if (v !== null) marks.push({ point: p, series: si, px: x(p.x), py: y(v) });
    }
    placed.push(marks);
    root
      .append('g')
      .attr('class', 'cl-points')
      .selectAll('circle')
      .data(marks)
      .join('circle')
      .attr('cx', (m) => m.px)
      .attr('cy', (m) => m.py)
      .attr('r', (m) => (m.point.key === spec.selectedKey ? 5 : 3.5))
      .attr('fill', (m) => (s.dashed || m.point.dimmed === true ? theme.background : color))
      .attr('stroke', (m) => (m.point.dimmed === true ? theme.colors.muted : color))
      .attr('stroke-width', 1.5)
      .attr('class', (m) => (m.point.dimmed === true ? 'cl-dimmed' : null));
    // A marked value (a low-rank NC1) gets a dashed ring in the text colour: seen in every theme and
    // without colour, and kept in the exported image.
    root
      .append('g')
      .attr('class', 'cl-marked-points')
      .selectAll('circle')
      .data(marks.filter((m) => m.point.marked === true))
      .join('circle')
      .attr('cx', (m) => m.px)
      .attr('cy', (m) => m.py)
      .attr('r', 7)
      .attr('fill', 'none')
      .attr('stroke', 'currentColor')
      .attr('stroke-width', 1.25)
      .attr('stroke-dasharray', '2 2');
  });

  // The reference lines' labels, now that the series are known: a horizontal line's at the end of the
  // line, above or below it, that the series (and the vertical lines) leave free.
  const places = placeLineLabels(
    hLines.map((l) => ({ text: l.label, lineY: y(l.value) })),
    [
      ...placed.map((marks) => marks.map((m) => ({ x: m.px, y: m.py }))),
      ...spec.vLines.map((l) => [
        { x: x(l.value), y: plotTop },
        { x: x(l.value), y: plotBottom },
      ]),
    ],
    { left: MARGIN.left, right: width - MARGIN.right, top: plotTop, bottom: plotBottom },
  );
  hLines.forEach((line, i) => {
    const place = places[i]!;
    haloText(root, theme, line.label, place.x, place.y).attr('text-anchor', place.anchor).attr('fill', theme.colors[line.color]).attr('class', 'cl-ref-label');
  });
  for (const line of spec.vLines) {
    const px = x(line.value);
    const nearRight = px > width - MARGIN.right - 140;
    haloText(root, theme, line.label, nearRight ? px - 5 : px + 5, plotBottom - 8)
      .attr('text-anchor', nearRight ? 'end' : 'start')
      .attr('fill', theme.colors[line.color])
      .attr('class', 'cl-ref-label');
  }

  drawLegend(root, spec, theme, width);

  // Hover: the nearest layer by x, whichever line the pointer is near; click selects it.
  const byX = new Map<number, LinePoint>();
  for (const p of allPoints) if (!byX.has(p.x)) byX.set(p.x, p);
  const hoverXs = Array.from(byX.keys()).sort((a, b) => a - b);
  const guide = root
    .append('line')
    .attr('class', INTERACTION_ONLY_CLASS)
    .attr('y1', plotTop)
    .attr('y2', plotBottom)
    .attr('stroke', 'currentColor')
    .attr('stroke-opacity', 0.35)
    .attr('pointer-events', 'none')
    .attr('visibility', 'hidden');
  const nearest = (event: PointerEvent): LinePoint | undefined => {
    if (hoverXs.length === 0) return undefined;
    const [mx] = d3.pointer(event);
    const target = x.invert(mx);
    const best = hoverXs.reduce((a, b) => (Math.abs(b - target) < Math.abs(a - target) ? b : a));
    return byX.get(best);
  };
  root
    .append('rect')
    .attr('class', `cl-hover-layer ${INTERACTION_ONLY_CLASS}`)
    .attr('x', MARGIN.left)
    .attr('y', plotTop)
    .attr('width', Math.max(0, width - MARGIN.left - MARGIN.right))
    .attr('height', Math.max(0, plotBottom - plotTop))
    .attr('fill', 'transparent')
    .on('pointermove', (event: PointerEvent) => {
      const p = nearest(event);
      if (!p) return;
      guide.attr('x1', x(p.x)).attr('x2', x(p.x)).attr('visibility', 'visible');
      interaction.tooltip?.show(p.tooltip, event.clientX, event.clientY);
    })
    .on('pointerleave', () => {
      guide.attr('visibility', 'hidden');
      interaction.tooltip?.hide();
    })
    .on('click', (event: PointerEvent) => {
      const p = nearest(event);
      if (p) interaction.onSelect?.(p.key);
    });

  // Keyboard: the points (drawn above the hover layer so they take focus clicks too).
  const focusable: FocusableMark[] = [];
  const index: { series: number; pos: number }[] = [];
  const focusLayer = root.append('g').attr('class', 'cl-focus-targets');
  placed.forEach((marks, si) =>
    marks.forEach((m, pos) => {
      const el = focusLayer
        .append('circle')
        .attr('cx', m.px)
        .attr('cy', m.py)
        .attr('r', 7)
        .attr('fill', 'transparent')
        .attr('class', 'cl-focus-target')
        .on('click', () => interaction.onSelect?.(m.point.key))
        .on('pointerenter', (event: PointerEvent) => interaction.tooltip?.show(m.point.tooltip, event.clientX, event.clientY))
        .on('pointerleave', () => interaction.tooltip?.hide())
        .node();
      if (!el) return;
      focusable.push({ element: el, tooltip: m.point.tooltip, key: m.point.key, cx: m.px, cy: m.py, ringRadius: 8 });
      index.push({ series: si, pos });
    }),
  );
  const find = (series: number, pos: number): number => index.findIndex((e) => e.series === series && e.pos === pos);
  const initial = Math.max(0, focusable.findIndex((m) => m.key === spec.selectedKey));
  enableKeyboard(
    svg,
    focusable,
    initial,
    (i, key) => {
      const at = index[i]!;
      const marks = placed[at.series]!;
      switch (key) {
        case 'ArrowRight':
          return at.pos + 1 < marks.length ? find(at.series, at.pos + 1) : null;
        case 'ArrowLeft':
          return at.pos > 0 ? find(at.series, at.pos - 1) : null;
        case 'Home':
          return find(at.series, 0);
        case 'End':
          return find(at.series, marks.length - 1);
        case 'ArrowUp':
        case 'ArrowDown': {
          const other = (at.series + (key === 'ArrowDown' ? 1 : placed.length - 1)) % placed.length;
          const targetX = marks[at.pos]!.point.x;
          const candidates = placed[other] ?? [];
          if (candidates.length === 0) return null;
          let best = 0;
          candidates.forEach((c, j) => {
            if (Math.abs(c.point.x - targetX) < Math.abs(candidates[best]!.point.x - targetX)) best = j;
          });
          return find(other, best);
        }
        default:
          return null;
      }
    },
    theme,
    interaction,
  );

  const node = svg.node();
  if (!node) throw new Error('line chart: d3 did not create an <svg>');
  container.append(node);
  return node;
}
