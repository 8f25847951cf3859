/**
 * A card holding one chart: a heading, optional controls, SVG/PNG export buttons and the chart body,
 * redrawn whenever the card's width changes.
 */
import type { ChartSize } from '../../charts/types';
import { button, clear, h } from '../../common/dom';
import type { ViewContext } from './context';

export interface ChartCardOptions {
  title: string;
  /** File-name part for exports, e.g. "nc1". */
  exportId: string;
  /** Height for a given width (square heatmaps grow with the card; line charts keep a fixed height). */
  height(width: number): number;
  draw(container: HTMLElement, size: ChartSize): SVGSVGElement;
  controls?: HTMLElement;
  note?: string;
  /** Extra content under the chart (e.g. the list of most confused pairs). */
  footer?: HTMLElement;
  className?: string;
  /** Receives a function that redraws the chart at its current size (for controls that change what it shows). */
  bindRedraw?(redraw: () => void): void;
}

export function chartCard(context: ViewContext, options: ChartCardOptions): HTMLElement {
  const body = h('div', { className: 'cl-chart-body' });
  let svg: SVGSVGElement | null = null;
  const exportAs = (format: 'svg' | 'png') => () => {
    if (svg) context.exportChart(svg, options.title, options.exportId, format);
  };
  const actions = h('div', { className: 'cl-card-actions' }, [
    button('SVG', exportAs('svg'), {
      className: 'cl-small-button',
      attrs: { 'aria-label': `Export "${options.title}" as SVG`, title: 'Save this chart as SVG', 'data-focus-key': `${options.exportId}-svg` },
    }),
    button('PNG', exportAs('png'), {
      className: 'cl-small-button',
      attrs: { 'aria-label': `Export "${options.title}" as PNG`, title: 'Save this chart as PNG', 'data-focus-key': `${options.exportId}-png` },
    }),
  ]);
  const header = h('div', { className: 'cl-card-header' }, [h('h3', { text: options.title }), actions]);
  const card = h('section', {
    className: `cl-card ${options.className ?? ''}`.trim(),
    attrs: { 'aria-label': options.title, 'data-focus-group': `chart-${options.exportId}` },
  }, [header]);
  if (options.controls) card.append(options.controls);
  card.append(body);
  if (options.note) card.append(h('p', { className: 'cl-note', text: options.note }));
  if (options.footer) card.append(options.footer);

  let lastWidth: number | null = null;
  const redraw = (width: number): void => {
    lastWidth = width;
    // Keep keyboard focus on the same chart across a redraw (a resize or a theme change).
    const hadFocus = body.contains(document.activeElement);
    clear(body);
    svg = options.draw(body, { width, height: options.height(width) });
    if (hadFocus) svg.querySelector<SVGElement>('[tabindex="0"]')?.focus();
  };
  context.resize.watch(body, redraw);
  options.bindRedraw?.(() => {
    if (lastWidth !== null) redraw(lastWidth);
  });
  return card;
}

/** A row of toggle buttons (a radio group) for a chart's option, e.g. which NC2 number to plot. */
export function segmented<T extends string>(label: string, options: readonly { id: T; label: string; title?: string }[], current: T, onChange: (id: T) => void): HTMLElement {
  const group = h('div', { className: 'cl-segmented', attrs: { role: 'radiogroup', 'aria-label': label, 'data-focus-group': `segmented-${label}` } });
  const buttons = options.map((o) =>
    button(o.label, () => onChange(o.id), {
      className: o.id === current ? 'cl-segment selected' : 'cl-segment',
      attrs: { role: 'radio', 'aria-checked': String(o.id === current), tabindex: o.id === current ? '0' : '-1', ...(o.title ? { title: o.title } : {}) },
    }),
  );
  buttons.forEach((b, i) =>
    b.addEventListener('keydown', (event) => {
      const delta = event.key === 'ArrowRight' || event.key === 'ArrowDown' ? 1 : event.key === 'ArrowLeft' || event.key === 'ArrowUp' ? -1 : 0;
      if (delta === 0) return;
      event.preventDefault();
      const next = options[(i + delta + options.length) % options.length];
      if (next) onChange(next.id);
    }),
  );
  group.append(...buttons);
  return group;
}
