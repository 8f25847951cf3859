/**
 * The analysis panel: keeps the model (what the host said) and the view preferences (what the user
 * picked), renders them, and posts the user's actions to the host.
 */
import type { SplitName } from '../../src/core/result';
import type { AnalysisPanelToHost, HostToAnalysisPanel } from '../../src/protocol/webview';
import { clear, h } from '../common/dom';
import { standaloneSvg, svgToPngDataUrl } from '../common/exportChart';
import { onThemeChange, readTheme } from '../common/theme';
import { createTooltip } from '../common/tooltip';
import type { VsCodeApi } from '../common/vscodeApi';
import { exportFileName } from './data/exportNames';
import { displayedLayer } from './data/layerDetail';
import { layerTableCsv, type TableSort } from './data/layerTable';
import type { Nc2Metric } from './data/overview';
import { initialModel, reduce, type PanelModel } from './data/panelModel';
import type { AnalysisWebviewState } from './data/webviewState';
import type { ChartExportFormat, ViewContext } from './views/context';
import { detailView } from './views/detailView';
import { failureBanner, headerView, ProgressView, type HeaderActions } from './views/header';
import { overviewView } from './views/overviewView';
import { ResizeHub } from './views/resizeHub';
import { summaryView } from './views/summaryView';
import { tableView } from './views/tableView';

type Api = VsCodeApi<AnalysisWebviewState, AnalysisPanelToHost>;

interface Prefs {
  nc2Metric: Nc2Metric;
  detailSplit: SplitName;
  tableSort: TableSort | null;
}

/** Remembers where keyboard focus was, to put it back on the same control after a re-render. */
function rememberFocus(): () => void {
  const active = document.activeElement;
  if (!(active instanceof Element) || active === document.body) return () => undefined;
  const key = active.closest('[data-focus-key]')?.getAttribute('data-focus-key') ?? null;
  const group = active.closest('[data-focus-group]')?.getAttribute('data-focus-group') ?? null;
  return () => {
    const byKey = key ? document.querySelector<HTMLElement | SVGElement>(`[data-focus-key="${CSS.escape(key)}"]`) : null;
    const inGroup = group ? document.querySelector(`[data-focus-group="${CSS.escape(group)}"]`)?.querySelector<HTMLElement | SVGElement>('[tabindex="0"]') : null;
    (byKey ?? inGroup)?.focus({ preventScroll: true });
  };
}

export class AnalysisApp {
  private model: PanelModel;
  private prefs: Prefs;
  private readonly savedRunId: string | null;
  private readonly resize = new ResizeHub();
  private readonly tooltip = createTooltip();
  private readonly progress = new ProgressView();
  private theme = readTheme();
  private readonly content = h('div', { className: 'cl-content' });
  private readonly headerSlot = h('div');
  private readonly bannerSlot = h('div');

  constructor(
    root: HTMLElement,
    private readonly api: Api,
  ) {
    const saved = api.getState();
    this.savedRunId = saved?.runId ?? null;
    this.model = initialModel(saved?.selectedLayer ?? null);
    this.prefs = { nc2Metric: saved?.nc2Metric ?? 'etfDistance', detailSplit: saved?.detailSplit ?? 'train', tableSort: saved?.tableSort ?? null };
    root.append(this.headerSlot, this.progress.element, this.bannerSlot, this.content);
    onThemeChange(() => {
      this.theme = readTheme();
      this.render();
    });
    this.render();
  }

  handle(message: HostToAnalysisPanel): void {
    if (message.kind === 'show' && this.model.run === null && this.savedRunId !== null && this.savedRunId !== message.run.runId) {
      // A saved selection belongs to the run it was made in.
      this.model = { ...this.model, selectedLayer: null };
    }
    this.model = reduce(this.model, message);
    if (message.kind === 'progress') {
      this.progress.update(this.model.progress, this.isRunning());
      return;
    }
    this.saveState();
    this.render();
  }

  private isRunning(): boolean {
    return !this.model.complete && this.model.failure === null;
  }

  private readonly actions: HeaderActions = {
    exportJson: () => {
      const run = this.model.run;
      if (run) this.post({ kind: 'export', format: 'json', suggestedName: exportFileName(run.label, 'result', 'json'), data: `${JSON.stringify(run.result, null, 2)}\n` });
    },
    exportCsv: () => {
      const run = this.model.run;
      if (run) this.post({ kind: 'export', format: 'csv', suggestedName: exportFileName(run.label, 'layers', 'csv'), data: layerTableCsv(run.result) });
    },
    rerun: () => this.post({ kind: 'rerun' }),
    showLog: () => this.post({ kind: 'showLog' }),
  };

  private post(message: AnalysisPanelToHost): void {
    this.api.postMessage(message);
  }

  private saveState(): void {
    const run = this.model.run;
    if (!run) return;
    const state: AnalysisWebviewState = { runId: run.runId, nc2Metric: this.prefs.nc2Metric, detailSplit: this.prefs.detailSplit };
    if (this.model.selectedLayer !== null) state.selectedLayer = this.model.selectedLayer;
    if (this.prefs.tableSort) state.tableSort = this.prefs.tableSort;
    this.api.setState(state);
  }

  /** A pick by the user: shown at once and told to the host. */
  private selectLayer(name: string, reveal: boolean): void {
    this.model = { ...this.model, selectedLayer: name };
    this.post({ kind: 'layerSelected', layer: name });
    this.saveState();
    this.render();
    if (reveal) document.getElementById('cl-detail-heading')?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  }

  private setPrefs(change: Partial<Prefs>): void {
    this.prefs = { ...this.prefs, ...change };
    this.saveState();
    this.render();
  }

  private exportChart(svg: SVGSVGElement, title: string, what: string, format: ChartExportFormat): void {
    const run = this.model.run;
    const label = run?.label ?? 'collapse-lens';
    const { text, width, height } = standaloneSvg(svg, this.theme, title, `${title} (${label})`);
    const suggestedName = exportFileName(label, what, format);
    if (format === 'svg') {
      this.post({ kind: 'export', format, suggestedName, data: text });
      return;
    }
    svgToPngDataUrl(text, width, height)
      .then((data) => this.post({ kind: 'export', format: 'png', suggestedName, data }))
      .catch((error: unknown) => {
        // Not a run failure: a notice beside the banner, gone at the next render.
        this.bannerSlot.append(h('div', { className: 'cl-banner cl-banner-error', attrs: { role: 'alert' } }, [error instanceof Error ? error.message : String(error)]));
      });
  }

  private context(): ViewContext {
    return {
      theme: this.theme,
      tooltip: this.tooltip,
      resize: this.resize,
      selectLayer: (name) => this.selectLayer(name, false),
      exportChart: (svg, title, what, format) => this.exportChart(svg, title, what, format),
    };
  }

  private render(): void {
    const restoreFocus = rememberFocus();
    this.tooltip.hide();
    this.resize.clear();
    this.headerSlot.replaceChildren(headerView(this.model, this.actions));
    this.progress.update(this.model.progress, this.isRunning());
    this.bannerSlot.replaceChildren(...(this.model.failure !== null ? [failureBanner(this.model.failure, this.actions)] : []));
    clear(this.content);
    const run = this.model.run;
    if (!run) {
      this.content.append(h('p', { className: 'cl-hint cl-waiting', text: this.model.failure === null ? 'Waiting for the analysis to start…' : '' }));
      return;
    }
    const result = run.result;
    const context = this.context();
    const layer = displayedLayer(result, this.model.selectedLayer);
    const explicit = layer !== null && layer.name === this.model.selectedLayer;
    // The band and the table highlight follow the layer shown, so the default detail is marked too.
    const shownLayer = layer?.name ?? null;
    this.content.append(
      summaryView(result, this.model.complete, (name) => this.selectLayer(name, true)),
      overviewView(context, result, {
        nc2Metric: this.prefs.nc2Metric,
        selectedLayer: shownLayer,
        setNc2Metric: (nc2Metric) => this.setPrefs({ nc2Metric }),
      }),
      detailView(context, result, layer, {
        split: this.prefs.detailSplit,
        explicit,
        setSplit: (detailSplit) => this.setPrefs({ detailSplit }),
      }),
      tableView(result, {
        sort: this.prefs.tableSort,
        selectedLayer: shownLayer,
        setSort: (tableSort) => this.setPrefs({ tableSort }),
        selectLayer: (name) => this.selectLayer(name, true),
        exportCsv: this.actions.exportCsv,
      }),
    );
    this.resize.drawPending();
    restoreFocus();
  }
}
