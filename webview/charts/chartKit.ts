/**
 * What every chart renderer shares: the root <svg>, axis styling, the keyboard model (one tab stop per
 * chart, arrow keys between marks, Enter selects) and the hover/focus tooltip hookup.
 */
import * as d3 from 'd3';
import type { Tooltip } from '../common/tooltip';
import type { Theme } from '../common/theme';
import { INTERACTION_ONLY_CLASS } from '../common/exportChart';
import type { ChartSize, TooltipContent } from './types';

export type Svg = d3.Selection<SVGSVGElement, undefined, null, undefined>;
export type Group = d3.Selection<SVGGElement, undefined, null, undefined>;

export interface ChartInteraction {
  tooltip?: Tooltip;
  /** A mark was chosen (click, Enter or Space), with the key it carries (a layer name). */
  onSelect?(key: string): void;
}

import { TICK_FONT_SIZE, textWidth } from './textWidth';
export { TICK_FONT_SIZE, textWidth };

export function createSvg(size: ChartSize, title: string, theme: Theme): Svg {
  const svg = d3
    .create('svg')
    .attr('width', size.width)
    .attr('height', size.height)
    .attr('viewBox', `0 0 ${size.width} ${size.height}`)
    .attr('role', 'group')
    .attr('aria-label', title)
    .attr('class', 'cl-chart-svg');
  svg.style('color', theme.foreground);
  return svg;
}

/** d3's axes hard-code a sans-serif 10px font; let them inherit the panel's and use the grid colour for rules. */
export function styleAxis(g: Group, theme: Theme): void {
  g.attr('font-size', null).attr('font-family', null);
  g.selectAll<SVGPathElement, unknown>('.domain').attr('stroke', theme.grid);
  g.selectAll<SVGLineElement, unknown>('.tick line').attr('stroke', theme.grid);
  g.selectAll<SVGTextElement, unknown>('.tick text').attr('fill', 'currentColor');
}

/** An axis title, centred on its axis; `rotate` for the y axis. */
export function axisTitle(svg: Svg, text: string, x: number, y: number, rotate = false): void {
  const t = svg
    .append('text')
    .attr('class', 'cl-axis-title')
    .attr('x', rotate ? -y : x)
    .attr('y', rotate ? x : y)
    .attr('text-anchor', 'middle')
    .attr('fill', 'currentColor')
    .text(text);
  if (rotate) t.attr('transform', 'rotate(-90)');
}

/** Text with a halo in the background colour, readable over lines and points. */
export function haloText(parent: Group, theme: Theme, text: string, x: number, y: number): d3.Selection<SVGTextElement, undefined, null, undefined> {
  return parent
    .append('text')
    .attr('x', x)
    .attr('y', y)
    .attr('paint-order', 'stroke')
    .attr('stroke', theme.background)
    .attr('stroke-width', 3)
    .attr('stroke-linejoin', 'round')
    .text(text);
}

/** "T-shirt/top: 0.25" -> an accessible name made of the tooltip's lines. */
export function ariaLabelOf(content: TooltipContent): string {
  return [content.title, ...content.rows.map((r) => `${r.label} ${r.value}`)].join(', ');
}

export interface FocusableMark {
  element: SVGElement;
  tooltip: TooltipContent;
  /** What Enter selects; undefined when the mark is informational only. */
  key?: string;
  /** Centre of the mark's focus ring, in SVG coordinates. */
  cx: number;
  cy: number;
  ringRadius: number;
}

/**
 * Keyboard access for a chart's marks: exactly one of them is in the tab order (the `initial` one, so
 * Tab visits each chart once), arrows move along `neighbour`, Enter/Space select, focus shows the tooltip
 * and a ring in the theme's focus colour.
 */
export function enableKeyboard(
  svg: Svg,
  marks: FocusableMark[],
  initial: number,
  neighbour: (index: number, key: string) => number | null,
  theme: Theme,
  interaction: ChartInteraction,
): void {
  if (marks.length === 0) return;
  const ring = svg
    .append('circle')
    .attr('class', `cl-focus-ring ${INTERACTION_ONLY_CLASS}`)
    .attr('fill', 'none')
    .attr('stroke', theme.focus)
    .attr('stroke-width', 2)
    .attr('pointer-events', 'none')
    .attr('visibility', 'hidden');
  const start = Math.min(Math.max(initial, 0), marks.length - 1);
  marks.forEach((mark, i) => {
    const el = d3.select(mark.element);
    el.attr('tabindex', i === start ? 0 : -1)
      .attr('role', mark.key ? 'button' : 'img')
      .attr('aria-label', ariaLabelOf(mark.tooltip));
    if (interaction.tooltip) el.attr('aria-describedby', interaction.tooltip.id);
    mark.element.addEventListener('focus', () => {
      ring.attr('cx', mark.cx).attr('cy', mark.cy).attr('r', mark.ringRadius).attr('visibility', 'visible');
      const box = mark.element.getBoundingClientRect();
      interaction.tooltip?.show(mark.tooltip, box.right, box.bottom);
    });
    mark.element.addEventListener('blur', () => {
      ring.attr('visibility', 'hidden');
      interaction.tooltip?.hide();
    });
    mark.element.addEventListener('keydown', (event: KeyboardEvent) => {
      if ((event.key === 'Enter' || event.key === ' ') && mark.key !== undefined) {
        event.preventDefault();
        interaction.onSelect?.(mark.key);
        return;
      }
      if (event.key === 'Escape') {
        interaction.tooltip?.hide();
        return;
      }
      const next = neighbour(i, event.key);
      if (next === null || next === i || !marks[next]) return;
      event.preventDefault();
      marks.forEach((m, j) => m.element.setAttribute('tabindex', j === next ? '0' : '-1'));
      marks[next].element.focus();
    });
  });
}

/** Neighbours in a row-major grid of `cols` columns: arrows move by one cell, Home/End to the row's ends. */
export function gridNeighbour(count: number, cols: number): (index: number, key: string) => number | null {
  return (index, key) => {
    const row = Math.floor(index / cols);
    const col = index % cols;
    switch (key) {
      case 'ArrowRight':
        return col + 1 < cols && index + 1 < count ? index + 1 : null;
      case 'ArrowLeft':
        return col > 0 ? index - 1 : null;
      case 'ArrowDown':
        return index + cols < count ? index + cols : null;
      case 'ArrowUp':
        return row > 0 ? index - cols : null;
      case 'Home':
        return row * cols;
      case 'End':
        return Math.min(count - 1, row * cols + cols - 1);
      default:
        return null;
    }
  };
}

/** Whether a colour is light, to pick a readable text colour over it. */
export function isLight(color: string): boolean {
  const c = d3.hcl(color);
  return Number.isFinite(c.l) ? c.l > 60 : false;
}

