/**
 * Horizontal grouped bars, one row per label (class), one bar per series (split). Null values are left
 * empty and said so in the tooltip.
 */
import * as d3 from 'd3';
import type { Theme } from '../common/theme';
import { formatExact } from '../common/format';
import { axisTitle, createSvg, enableKeyboard, gridNeighbour, styleAxis, textWidth, type ChartInteraction, type FocusableMark, type Group } from './chartKit';
import type { BarSpec, ChartSize, TooltipContent } from './types';

export function renderBarChart(container: HTMLElement, spec: BarSpec, size: ChartSize, theme: Theme, interaction: ChartInteraction = {}): SVGSVGElement {
  const svg = createSvg(size, spec.title, theme);
  const root = svg.append('g') as unknown as Group;
  const legendHeight = spec.series.length > 1 ? 22 : 6;
  const margin = { top: legendHeight, right: 20, bottom: 40, left: Math.min(130, Math.max(...spec.labels.map((l) => textWidth(l)), 20) + 12) };
  const values = spec.series.flatMap((s) => s.values).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const max = values.length > 0 ? Math.max(...values, 0) : 1;
  const x = d3
    .scaleLinear()
    .domain([0, max > 0 ? max : 1])
    .nice()
    .range([margin.left, size.width - margin.right]);
  const y = d3
    .scaleBand<number>()
    .domain(spec.labels.map((_, i) => i))
    .range([margin.top, size.height - margin.bottom])
    .paddingInner(0.25)
    .paddingOuter(0.1);
  const inner = d3
    .scaleBand<number>()
    .domain(spec.series.map((_, i) => i))
    .range([0, y.bandwidth()])
    .padding(0.08);

  root
    .append('g')
    .selectAll('line')
    .data(x.ticks(5))
    .join('line')
    .attr('x1', (v) => x(v))
    .attr('x2', (v) => x(v))
    .attr('y1', margin.top)
    .attr('y2', size.height - margin.bottom)
    .attr('stroke', theme.grid)
    .attr('stroke-opacity', 0.6);

  const marks: FocusableMark[] = [];
  spec.labels.forEach((label, row) => {
    const rowY = y(row) ?? 0;
    const tooltip: TooltipContent = {
      title: label,
      rows: spec.series.map((s) => ({ label: `${s.label}`, value: formatExact(s.values[row] ?? null) })),
    };
    spec.series.forEach((s, si) => {
      const v = s.values[row];
      if (typeof v !== 'number' || !Number.isFinite(v)) return;
      root
        .append('rect')
        .attr('x', x(0))
        .attr('y', rowY + (inner(si) ?? 0))
        .attr('width', Math.max(0, x(v) - x(0)))
        .attr('height', inner.bandwidth())
        .attr('fill', theme.colors[s.color])
        .attr('fill-opacity', si === 0 ? 0.9 : 0.55)
        .attr('stroke', theme.colors[s.color])
        .attr('pointer-events', 'none');
    });
    // One hit area per row, so hovering anywhere on the row shows every split's value.
    const hit = root
      .append('rect')
      .attr('x', margin.left)
      .attr('y', rowY)
      .attr('width', Math.max(0, size.width - margin.left - margin.right))
      .attr('height', y.bandwidth())
      .attr('fill', 'transparent')
      .on('pointerenter', (event: PointerEvent) => interaction.tooltip?.show(tooltip, event.clientX, event.clientY))
      .on('pointermove', (event: PointerEvent) => interaction.tooltip?.show(tooltip, event.clientX, event.clientY))
      .on('pointerleave', () => interaction.tooltip?.hide())
      .node();
    if (hit) marks.push({ element: hit, tooltip, cx: margin.left - 6, cy: rowY + y.bandwidth() / 2, ringRadius: 4 });
  });

  // With many classes the rows get thin: label every n-th so the names do not overlap.
  const every = Math.max(1, Math.ceil(12 / Math.max(y.step(), 0.1)));
  const yAxis = root
    .append('g')
    .attr('transform', `translate(${margin.left},0)`)
    .call(
      d3
        .axisLeft(y)
        .tickValues(spec.labels.map((_, i) => i).filter((i) => i % every === 0))
        .tickFormat((i) => spec.labels[i] ?? '')
        .tickSize(0)
        .tickPadding(6),
    ) as unknown as Group;
  styleAxis(yAxis, theme);
  const xAxis = root
    .append('g')
    .attr('transform', `translate(0,${size.height - margin.bottom})`)
    .call(d3.axisBottom(x).ticks(5, '~g').tickSizeOuter(0)) as unknown as Group;
  styleAxis(xAxis, theme);
  axisTitle(svg, spec.valueLabel, (margin.left + size.width - margin.right) / 2, size.height - 6);

  if (spec.series.length > 1) {
    let lx = margin.left;
    for (const [si, s] of spec.series.entries()) {
      const item = root.append('g').attr('transform', `translate(${lx},8)`);
      item.append('rect').attr('width', 12).attr('height', 10).attr('y', -5).attr('fill', theme.colors[s.color]).attr('fill-opacity', si === 0 ? 0.9 : 0.55).attr('stroke', theme.colors[s.color]);
      item.append('text').attr('x', 17).attr('dy', '0.35em').attr('fill', 'currentColor').text(s.label);
      lx += 30 + textWidth(s.label);
    }
  }

  enableKeyboard(svg, marks, 0, gridNeighbour(marks.length, 1), theme, interaction);
  const node = svg.node();
  if (!node) throw new Error('bar chart: d3 did not create an <svg>');
  container.append(node);
  return node;
}
