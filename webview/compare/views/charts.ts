/**
 * A grid of line-chart cards (the analysis panel's card: heading, SVG/PNG export, redraw on resize).
 */
import type { LineChartSpec } from '../../charts/types';
import { renderLineChart } from '../../charts/lineChart';
import { h } from '../../common/dom';
import { chartCard } from '../../analysis/views/chartCard';
import type { ViewContext } from '../../analysis/views/context';

const LINE_CHART_HEIGHT = 300;
const CONTROLS_HEIGHT = 30;

export interface ChartEntry {
  spec: LineChartSpec;
  controls?: HTMLElement;
  /** Whether a click on a point selects its key (the aligned row); trajectories select nothing. */
  selectable: boolean;
}

export function chartGrid(context: ViewContext, entries: readonly ChartEntry[]): HTMLElement {
  const grid = h('div', { className: 'cl-grid cl-grid-overview' });
  for (const { spec, controls, selectable } of entries) {
    const card = chartCard(context, {
      title: spec.title,
      exportId: spec.id,
      // A selector above the chart takes room; the chart gives it back so the cards stay aligned.
      height: () => (controls ? LINE_CHART_HEIGHT - CONTROLS_HEIGHT : LINE_CHART_HEIGHT),
      draw: (container, size) =>
        renderLineChart(container, spec, size, context.theme, selectable ? { tooltip: context.tooltip, onSelect: context.selectLayer } : { tooltip: context.tooltip }),
      ...(controls ? { controls } : {}),
      ...(spec.note ? { note: spec.note } : {}),
    });
    grid.append(card);
  }
  return grid;
}
