/**
 * A comparison of runs: the data-mismatch warnings first, one summary line per run, the legend (click a
 * run to hide or show it) with the split switch, the four overview charts with one series per run, and
 * the per-layer differences.
 */
import type { CompareView } from '../../../src/protocol/webview';
import { h } from '../../common/dom';
import { nc2Selector } from '../../analysis/views/nc2Selector';
import { COMPARE_CHARTS, compareChartSpec, hasHeldOut, legendEntries, sentence } from '../data/compareCharts';
import type { ComparePrefs } from '../data/webviewState';
import { chartGrid } from './charts';
import type { CompareViewContext } from './context';
import { warningsBanner } from './header';
import { legendBar, splitSwitch, toggleList } from './legend';
import { differencesSection, summaryTable } from './tables';

export interface CompareViewOptions {
  prefs: ComparePrefs;
  setPrefs(change: Partial<ComparePrefs>): void;
  exportCsv(): void;
}

export function compareView(context: CompareViewContext, view: CompareView, options: CompareViewOptions): HTMLElement[] {
  const { prefs } = options;
  const comparison = view.comparison;
  const theme = context.theme;
  const entries = legendEntries(view);
  const hidden = new Set(prefs.hiddenRuns);
  const out: HTMLElement[] = [];

  const warnings = warningsBanner(
    comparison.warnings,
    comparison.warnings.length === 1 ? 'These runs were compared on different data.' : `These runs were compared on different data (${comparison.warnings.length} differences).`,
    'A difference below may come from the data, not the networks.',
  );
  if (warnings) out.push(warnings);

  out.push(
    h('section', { className: 'cl-section cl-runs', attrs: { 'aria-labelledby': 'cl-runs-heading' } }, [
      h('h2', { text: 'Runs', attrs: { id: 'cl-runs-heading' } }),
      h('p', { className: 'cl-hint', text: "Click a run's name to open its own analysis." }),
      summaryTable(
        'Run',
        entries.map((e) => ({
          label: e.label,
          color: theme.colors[e.color],
          dashed: e.dashed,
          open: () => context.openRun(e.runId),
          title: `${e.checkpoint}: open its analysis`,
        })),
        comparison.runs.map((r) => r.summary),
        theme.background,
      ),
    ]),
  );

  const toggles = toggleList(
    'Runs shown in the charts',
    entries.map((e) => ({
      key: `run-${e.index}`,
      label: e.label,
      title: `${hidden.has(e.index) ? 'Show' : 'Hide'} ${e.label} in the charts (${e.checkpoint})`,
      color: theme.colors[e.color],
      dashed: e.dashed,
      pressed: !hidden.has(e.index),
      onToggle: () => options.setPrefs({ hiddenRuns: hidden.has(e.index) ? prefs.hiddenRuns.filter((i) => i !== e.index) : [...prefs.hiddenRuns, e.index].sort((a, b) => a - b) }),
    })),
    theme.background,
  );
  const split = hasHeldOut(comparison) ? prefs.split : 'train';
  const chartOptions = { split, nc2Metric: prefs.nc2Metric, hidden, selectedKey: prefs.selectedKey };
  out.push(
    h('section', { className: 'cl-section', attrs: { 'aria-labelledby': 'cl-overview-heading' } }, [
      h('h2', { text: 'Across depth', attrs: { id: 'cl-overview-heading' } }),
      h('p', {
        className: 'cl-hint',
        text: `${sentence(comparison.alignmentNote)}. Hover for every run's exact value; click a point to mark that layer; click a run below to hide or show it.`,
      }),
      legendBar('Runs', toggles, [splitSwitch(split, hasHeldOut(comparison), (s) => options.setPrefs({ split: s }))]),
      chartGrid(
        context,
        COMPARE_CHARTS.map((id) => ({
          spec: compareChartSpec(view, id, chartOptions),
          selectable: true,
          ...(id === 'nc2'
            ? { controls: nc2Selector(prefs.nc2Metric, (nc2Metric) => options.setPrefs({ nc2Metric })) }
            : {}),
        })),
      ),
    ]),
  );

  out.push(differencesSection(comparison, { selectedKey: prefs.selectedKey, selectRow: (key) => context.selectLayer(key), exportCsv: options.exportCsv }));
  return out;
}
