/**
 * The analysis panel: keeps the model (what the host said) and the view preferences (what the user
 * picked), renders them, and posts the user's actions to the host.
 */
import type { LayerResult, SplitName } from '../../src/core/result';
import type { AnalysisPanelToHost, HostToAnalysisPanel } from '../../src/protocol/webview';
import { clear, h } from '../common/dom';
import { postChartExport, type ChartExportFormat } from '../common/exportChart';
import { rememberFocus } from '../common/focus';
import { onThemeChange, readTheme } from '../common/theme';
import { createTooltip } from '../common/tooltip';
import type { VsCodeApi } from '../common/vscodeApi';
import { exportFileName } from './data/exportNames';
import { detailSplit, displayedLayer, projectionSplit } from './data/layerDetail';
import { heldMatrixNote } from './data/heldMatrices';
import { layerTableCsv, type TableSort } from './data/layerTable';
import type { Nc2Metric } from './data/overview';
import { initialModel, markRequested, matricesToRequest, PHASE_TEXT, reduce, runPhase, type PanelModel } from './data/panelModel';
import type { AnalysisWebviewState } from './data/webviewState';
import type { ViewContext } from './views/context';
import { classifierView } from './views/classifierView';
import { detailView } from './views/detailView';
import { failureBanner, headerView, type HeaderActions } from './views/header';
import { overviewView } from './views/overviewView';
import { ProgressBar } from './views/progressBar';
import { ResizeHub } from './views/resizeHub';
import { summaryView } from './views/summaryView';
import { tableView } from './views/tableView';

type Api = VsCodeApi<AnalysisWebviewState, AnalysisPanelToHost>;

interface Prefs {
  nc2Metric: Nc2Metric;
  detailSplit: SplitName;
  tableSort: TableSort | null;
}

export class AnalysisApp {
  private model: PanelModel;
  private prefs: Prefs;
  private readonly savedRunId: string | null;
  private readonly resize = new ResizeHub();
  private readonly tooltip = createTooltip();
  private readonly progress = new ProgressBar('Analysis progress');
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
    if (message.kind === 'selectLayer' && message.layer === this.model.selectedLayer && this.model.run !== null) {
      // The layer shown already, picked again in the side view: only bring it into view.
      this.revealDetail();
      return;
    }
    if (message.kind === 'show' && this.model.run === null && this.savedRunId !== null && this.savedRunId !== message.run.runId) {
      // A saved selection belongs to the run it was made in.
      this.model = { ...this.model, selectedLayer: null };
    }
    const phaseBefore = runPhase(this.model);
    this.model = reduce(this.model, message);
    // Progress comes often: the bar alone is updated, unless the run's phase changed (the chip and the
    // body say the phase too, and must never contradict the bar).
    if (message.kind === 'progress' && runPhase(this.model) === phaseBefore) {
      this.progress.update(this.model.progress, this.isRunning());
      return;
    }
    this.saveState();
    this.render();
    // A layer picked in the side panel must come into view, as a pick in the panel itself does.
    if (message.kind === 'selectLayer') this.revealDetail();
  }

  private revealDetail(): void {
    document.getElementById('cl-detail-heading')?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  }

  private isRunning(): boolean {
    return !this.model.complete && this.model.failure === null;
  }

  private readonly actions: HeaderActions = {
    exportJson: () => {
      const run = this.model.run;
      // The host writes its own copy: this page's may lack the matrices the host held back.
      if (run) this.post({ kind: 'exportResult', suggestedName: exportFileName(run.label, 'result', 'json') });
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
    if (reveal) this.revealDetail();
  }

  private setPrefs(change: Partial<Prefs>): void {
    this.prefs = { ...this.prefs, ...change };
    this.saveState();
    this.render();
  }

  private exportChart(svg: SVGSVGElement, title: string, what: string, format: ChartExportFormat): void {
    const label = this.model.run?.label ?? 'collapse-lens';
    const file = { format, suggestedName: exportFileName(label, what, format) };
    postChartExport({ svg, heading: title, description: `${title} (${label})` }, this.theme, file, (message) => this.post(message), this.bannerSlot);
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

  /**
   * Asks the host for the held matrices the detail of `layer` draws (its split, and the projection's when
   * that is another); they show as loading until the answer comes (handle, then render again).
   */
  private requestHeldMatrices(layer: LayerResult): void {
    const run = this.model.run;
    if (!run?.heldMatrices?.length) return;
    const split = detailSplit(run.result, this.prefs.detailSplit);
    const projection = projectionSplit(layer, split);
    const requests = matricesToRequest(this.model, layer.name, projection !== null && projection !== split ? [split, projection] : [split]);
    this.model = markRequested(this.model, requests);
    for (const request of requests) this.post({ kind: 'layerMatrices', ...request });
  }

  private render(): void {
    const restoreFocus = rememberFocus();
    this.tooltip.hide();
    this.resize.clear();
    this.headerSlot.replaceChildren(headerView(this.model, this.actions));
    this.progress.update(this.model.progress, this.isRunning());
    this.bannerSlot.replaceChildren(...(this.model.failure !== null ? [failureBanner(this.model.failure, this.actions, this.model.run !== null)] : []));
    clear(this.content);
    const run = this.model.run;
    if (!run) {
      // Nothing to draw until the training split's two passes are done: the body says the chip's phase.
      this.content.append(h('p', { className: 'cl-hint cl-waiting', text: PHASE_TEXT[runPhase(this.model)].waiting }));
      return;
    }
    const result = run.result;
    const context = this.context();
    const layer = displayedLayer(result, this.model.selectedLayer);
    if (layer) this.requestHeldMatrices(layer);
    const fetches = this.model.matrixFetches;
    const explicit = layer !== null && layer.name === this.model.selectedLayer;
    // The band and the table highlight follow the layer shown, so the default detail is marked too.
    const shownLayer = layer?.name ?? null;
    this.content.append(
      // The weights' geometry needs no data: first, above everything the data gave.
      classifierView(context, result),
      // The previous result a re-run keeps on screen is a complete one: its summary reads as such.
      summaryView(result, this.model.complete || this.model.previousShown, (name) => this.selectLayer(name, true)),
      overviewView(context, result, {
        nc2Metric: this.prefs.nc2Metric,
        selectedLayer: shownLayer,
        setNc2Metric: (nc2Metric) => this.setPrefs({ nc2Metric }),
      }),
      detailView(context, result, layer, {
        split: this.prefs.detailSplit,
        explicit,
        setSplit: (detailSplit) => this.setPrefs({ detailSplit }),
        heldNote: (field, split) => (layer ? heldMatrixNote(run, fetches, layer.name, split, field) : null),
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
