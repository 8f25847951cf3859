/**
 * The four overview charts against depth: NC1, NCC accuracy, NC2 (one number at a time, chosen with a
 * selector), CDNV.
 */
import type { AnalysisResult } from '../../../src/core/result';
import { renderLineChart } from '../../charts/lineChart';
import { h } from '../../common/dom';
import { OVERVIEW_CHARTS, overviewSpec, type Nc2Metric } from '../data/overview';
import { chartCard } from './chartCard';
import type { ViewContext } from './context';
import { nc2Selector } from './nc2Selector';

const LINE_CHART_HEIGHT = 290;
const CONTROLS_HEIGHT = 30;

export interface OverviewPrefs {
  nc2Metric: Nc2Metric;
  selectedLayer: string | null;
  setNc2Metric(metric: Nc2Metric): void;
}

export function overviewView(context: ViewContext, result: AnalysisResult, prefs: OverviewPrefs): HTMLElement {
  const grid = h('div', { className: 'cl-grid cl-grid-overview' });
  for (const id of OVERVIEW_CHARTS) {
    const spec = overviewSpec(result, id, { nc2Metric: prefs.nc2Metric, selectedLayer: prefs.selectedLayer });
    const controls =
      id === 'nc2'
        ? nc2Selector(prefs.nc2Metric, (metric) => prefs.setNc2Metric(metric))
        : undefined;
    const empty = result.layers.length === 0 ? 'No layer has finished yet.' : undefined;
    grid.append(
      chartCard(context, {
        title: spec.title,
        exportId: spec.id,
        // The selector takes room above the NC2 chart; the chart gives it back so the cards stay aligned.
        height: () => (controls ? LINE_CHART_HEIGHT - CONTROLS_HEIGHT : LINE_CHART_HEIGHT),
        draw: (container, size) => renderLineChart(container, spec, size, context.theme, { tooltip: context.tooltip, onSelect: context.selectLayer }),
        controls,
        note: empty ?? spec.note,
      }),
    );
  }
  return h('section', { className: 'cl-section', attrs: { 'aria-labelledby': 'cl-overview-heading' } }, [
    h('h2', { text: 'Across depth', attrs: { id: 'cl-overview-heading' } }),
    h('p', {
      className: 'cl-hint',
      text: 'Hover for exact values; click a point (or Tab to a chart, move with the arrow keys and press Enter) to see that layer in detail.',
    }),
    grid,
  ]);
}
