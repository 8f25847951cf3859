/**
 * The 2-D projection of class means (large, labelled) and sampled points (small), with equal units on
 * both axes so the geometry (a regular simplex, clusters) is not distorted.
 */
import * as d3 from 'd3';
import type { Theme } from '../common/theme';
import { classColors } from '../common/palette';
import { formatExact } from '../common/format';
import { axisTitle, createSvg, enableKeyboard, haloText, styleAxis, textWidth, type ChartInteraction, type FocusableMark, type Group } from './chartKit';
import { scatterLegend } from './scatterLegend';
import type { ChartSize, ScatterSpec, TooltipContent } from './types';

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

const overlaps = (a: Box, b: Box): boolean => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/** Colours by class: the named classes get the class palette, the others the neutral colour. */
function groupColours(spec: ScatterSpec, named: Set<number>, theme: Theme): { colourOf: (g: number) => string; neutral: string } {
  const k = spec.groupLabels.length;
  const neutral = theme.grid;
  if (spec.featured === undefined) {
    const colors = classColors(theme, k);
    return { colourOf: (g) => colors[g] ?? theme.foreground, neutral };
  }
  const order = [...named];
  const colors = classColors(theme, Math.max(order.length, 1));
  const byGroup = new Map(order.map((g, i) => [g, colors[i]!]));
  return { colourOf: (g) => byGroup.get(g) ?? neutral, neutral };
}

export function renderScatter(container: HTMLElement, spec: ScatterSpec, size: ChartSize, theme: Theme, interaction: ChartInteraction = {}): SVGSVGElement {
  const svg = createSvg(size, spec.title, theme);
  const root = svg.append('g') as unknown as Group;
  const k = spec.groupLabels.length;
  const { named, rows } = scatterLegend(spec);
  const { colourOf } = groupColours(spec, named, theme);
  const highlight = spec.highlight ?? null;
  const legendWidth = rows.length > 0 ? Math.min(160, Math.max(...rows.map((r) => textWidth(r.label)), 30) + 26) : 0;
  const margin = { top: 10, right: 12 + legendWidth, bottom: 38, left: 48 };
  const all = [...spec.points, ...spec.centres];
  const xExtent = d3.extent(all, (p) => p.x) as [number, number] | [undefined, undefined];
  const yExtent = d3.extent(all, (p) => p.y) as [number, number] | [undefined, undefined];
  const [x0, x1] = xExtent[0] === undefined ? [-1, 1] : (xExtent as [number, number]);
  const [y0, y1] = yExtent[0] === undefined ? [-1, 1] : (yExtent as [number, number]);
  const plotW = Math.max(10, size.width - margin.left - margin.right);
  const plotH = Math.max(10, size.height - margin.top - margin.bottom);
  // Same scale on both axes: the larger span decides, the other axis is centred.
  const spanX = Math.max(x1 - x0, 1e-12) * 1.12;
  const spanY = Math.max(y1 - y0, 1e-12) * 1.12;
  const unit = Math.min(plotW / spanX, plotH / spanY);
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  const x = d3
    .scaleLinear()
    .domain([cx - plotW / unit / 2, cx + plotW / unit / 2])
    .range([margin.left, margin.left + plotW]);
  const y = d3
    .scaleLinear()
    .domain([cy - plotH / unit / 2, cy + plotH / unit / 2])
    .range([margin.top + plotH, margin.top]);

  const xAxis = root
    .append('g')
    .attr('transform', `translate(0,${margin.top + plotH})`)
    .call(d3.axisBottom(x).ticks(Math.max(2, Math.floor(plotW / 70)), '~r').tickSizeOuter(0)) as unknown as Group;
  styleAxis(xAxis, theme);
  const yAxis = root
    .append('g')
    .attr('transform', `translate(${margin.left},0)`)
    .call(d3.axisLeft(y).ticks(Math.max(2, Math.floor(plotH / 50)), '~r').tickSizeOuter(0)) as unknown as Group;
  styleAxis(yAxis, theme);
  axisTitle(svg, spec.xLabel, margin.left + plotW / 2, size.height - 6);
  axisTitle(svg, spec.yLabel, 14, margin.top + plotH / 2, true);

  // Neutral classes first, so the named ones (and the searched one last) are drawn over them.
  const drawOrder = (g: number): number => (g === highlight ? 2 : named.has(g) ? 1 : 0);
  root
    .append('g')
    .selectAll('circle')
    .data([...spec.points].sort((a, b) => drawOrder(a.group) - drawOrder(b.group)))
    .join('circle')
    .attr('cx', (p) => x(p.x))
    .attr('cy', (p) => y(p.y))
    .attr('r', 2.2)
    .attr('fill', (p) => colourOf(p.group))
    .attr('fill-opacity', (p) => (named.has(p.group) ? 0.5 : 0.3))
    .attr('pointer-events', 'none');

  const counts = new Array<number>(k).fill(0);
  for (const p of spec.points) if (p.group >= 0 && p.group < k) counts[p.group]!++;
  const marks: FocusableMark[] = [];
  const centres = root.append('g');
  const centreOrder = [...spec.centres].sort((a, b) => drawOrder(a.group) - drawOrder(b.group));
  for (const c of centreOrder) {
    const label = spec.groupLabels[c.group] ?? `class ${c.group}`;
    const tooltip: TooltipContent = {
      title: `${label} (class mean)`,
      rows: [
        { label: 'PC 1', value: formatExact(c.x) },
        { label: 'PC 2', value: formatExact(c.y) },
        { label: 'Sampled points shown', value: String(counts[c.group] ?? 0) },
      ],
    };
    const node = centres
      .append('circle')
      .attr('cx', x(c.x))
      .attr('cy', y(c.y))
      .attr('r', c.group === highlight ? 8 : named.has(c.group) ? 6 : 3.5)
      .attr('fill', colourOf(c.group))
      .attr('stroke', c.group === highlight ? theme.focus : named.has(c.group) ? theme.foreground : 'none')
      .attr('stroke-width', c.group === highlight ? 3 : 1.5)
      .attr('class', c.group === highlight ? 'cl-scatter-highlight' : named.has(c.group) ? 'cl-scatter-named' : 'cl-scatter-other')
      .on('pointerenter', (event: PointerEvent) => interaction.tooltip?.show(tooltip, event.clientX, event.clientY))
      .on('pointerleave', () => interaction.tooltip?.hide())
      .node();
    if (node) marks.push({ element: node, tooltip, cx: x(c.x), cy: y(c.y), ringRadius: 9 });
  }

  // Labels beside the means, greedily placed where they overlap neither another label nor a mean.
  // Each mean keeps a margin around it, so a label never sits nearer another class's mean than its own.
  const placed: Box[] = spec.centres.filter((c) => named.has(c.group)).map((c) => ({ x: x(c.x) - 10, y: y(c.y) - 10, w: 20, h: 20 }));
  const labels = root.append('g').attr('class', 'cl-scatter-labels');
  // The searched class is labelled first, so it always gets a spot; the others in class order.
  for (const c of [...spec.centres.filter((m) => m.group === highlight), ...spec.centres.filter((m) => m.group !== highlight)]) {
    if (!named.has(c.group)) continue;
    const text = spec.groupLabels[c.group] ?? `class ${c.group}`;
    const w = textWidth(text);
    const h = 13;
    const px = x(c.x);
    const py = y(c.y);
    const candidates: Box[] = [
      { x: px + 11, y: py - h / 2, w, h },
      { x: px - w / 2, y: py - 11 - h, w, h },
      { x: px - w / 2, y: py + 11, w, h },
      { x: px - 11 - w, y: py - h / 2, w, h },
    ];
    const inside = (b: Box): boolean => b.x >= margin.left && b.x + b.w <= margin.left + plotW && b.y >= margin.top && b.y + b.h <= margin.top + plotH;
    const spot = candidates.find((b) => inside(b) && !placed.some((p) => overlaps(p, b)));
    if (!spot) continue;
    placed.push(spot);
    haloText(labels, theme, text, spot.x, spot.y + h / 2)
      .attr('dy', '0.35em')
      .attr('fill', 'currentColor');
  }

  if (legendWidth > 0) {
    const lx = size.width - legendWidth + 4;
    const rowH = Math.min(18, Math.max(12, plotH / Math.max(rows.length, 1)));
    const legend = root.append('g').attr('class', 'cl-scatter-legend');
    rows.forEach((row, i) => {
      const item = legend.append('g').attr('transform', `translate(${lx},${margin.top + 6 + i * rowH})`);
      const isHighlight = row.group !== null && row.group === highlight;
      item
        .append('circle')
        .attr('r', row.group === null ? 3.5 : 5)
        .attr('cx', 5)
        .attr('fill', row.group === null ? theme.grid : colourOf(row.group))
        .attr('stroke', isHighlight ? theme.focus : row.group === null ? 'none' : theme.foreground)
        .attr('stroke-width', isHighlight ? 2.5 : 1);
      item.append('text').attr('x', 15).attr('dy', '0.35em').attr('fill', 'currentColor').attr('font-weight', isHighlight ? 'bold' : null).text(row.label);
    });
  }

  enableKeyboard(
    svg,
    marks,
    0,
    (i, key) => {
      if (key === 'ArrowRight' || key === 'ArrowDown') return i + 1 < marks.length ? i + 1 : null;
      if (key === 'ArrowLeft' || key === 'ArrowUp') return i > 0 ? i - 1 : null;
      if (key === 'Home') return 0;
      if (key === 'End') return marks.length - 1;
      return null;
    },
    theme,
    interaction,
  );
  const node = svg.node();
  if (!node) throw new Error('scatter: d3 did not create an <svg>');
  container.append(node);
  return node;
}
