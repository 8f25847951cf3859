/**
 * The compare panel: keeps what the host sent (a comparison or a trajectory, progress, a failure) and the
 * user's choices (split, NC2 number, hidden runs, marked row, chosen layers), renders them, and posts
 * exports and "open this run" to the host.
 */
import type { ComparePanelToHost, HostToComparePanel } from '../../src/protocol/webview';
import { clear, h } from '../common/dom';
import { postChartExport, type ChartExportFormat } from '../common/exportChart';
import { rememberFocus } from '../common/focus';
import { onThemeChange, readTheme } from '../common/theme';
import { createTooltip } from '../common/tooltip';
import type { VsCodeApi } from '../common/vscodeApi';
import { exportFileName } from '../analysis/data/exportNames';
import { ProgressBar } from '../analysis/views/progressBar';
import { ResizeHub } from '../analysis/views/resizeHub';
import { differencesCsv } from './data/differences';
import { exportStem } from './data/exportNames';
import { EMPTY_MODEL, reduce, type CompareModel } from './data/model';
import { choicesAfter, prefsFrom, stateFor, stateIdentity, type ComparePrefs, type CompareWebviewState } from './data/webviewState';
import { compareView } from './views/compareView';
import type { CompareViewContext } from './views/context';
import { failureBanner, headerView, type HeaderActions } from './views/header';
import { trajectoryView } from './views/trajectoryView';

type Api = VsCodeApi<CompareWebviewState, ComparePanelToHost>;

export class CompareApp {
  private model: CompareModel = EMPTY_MODEL;
  private prefs: ComparePrefs;
  /** The identity the saved choices belong to; they are dropped if something else is shown. */
  private prefsIdentity: string;
  private readonly resize = new ResizeHub();
  private readonly tooltip = createTooltip();
  private readonly progress = new ProgressBar('Progress');
  private theme = readTheme();
  private readonly headerSlot = h('div');
  private readonly bannerSlot = h('div');
  private readonly content = h('div', { className: 'cl-content' });

  constructor(
    root: HTMLElement,
    private readonly api: Api,
  ) {
    const saved = api.getState();
    this.prefs = prefsFrom(saved);
    this.prefsIdentity = stateIdentity(saved);
    root.append(this.headerSlot, this.progress.element, this.bannerSlot, this.content);
    onThemeChange(() => {
      this.theme = readTheme();
      this.render();
    });
    this.render();
  }

  handle(message: HostToComparePanel): void {
    const before = this.model.content;
    this.model = reduce(this.model, message);
    ({ prefs: this.prefs, identity: this.prefsIdentity } = choicesAfter(message, before, this.model.content, this.prefs, this.prefsIdentity));
    if (message.kind === 'progress' && this.model.content !== null) {
      // Progress comes often: with a comparison on screen only the bar changes.
      this.showProgress();
      return;
    }
    this.saveState();
    this.render();
  }

  private showProgress(): void {
    const shown = this.model.progress;
    this.progress.update(shown?.progress ?? null, shown !== null, shown?.label);
  }

  private post(message: ComparePanelToHost): void {
    this.api.postMessage(message);
  }

  private saveState(): void {
    if (this.model.content) this.api.setState(stateFor(this.model.content, this.prefs));
  }

  private setPrefs(change: Partial<ComparePrefs>): void {
    this.prefs = { ...this.prefs, ...change };
    this.saveState();
    this.render();
  }

  private readonly actions: HeaderActions = {
    exportJson: () => {
      const content = this.model.content;
      if (!content) return;
      const data = content.kind === 'compare' ? content.view.comparison : content.trajectory;
      this.post({ kind: 'export', format: 'json', suggestedName: `${exportStem(content)}.json`, data: `${JSON.stringify(data, null, 2)}\n` });
    },
    exportCsv: () => {
      const content = this.model.content;
      if (content?.kind !== 'compare') return;
      this.post({ kind: 'export', format: 'csv', suggestedName: exportFileName(exportStem(content), 'differences', 'csv'), data: differencesCsv(content.view.comparison) });
    },
  };

  private exportChart(svg: SVGSVGElement, title: string, what: string, format: ChartExportFormat): void {
    const content = this.model.content;
    const stem = content ? exportStem(content) : 'collapse-lens-compare';
    const subject = content?.kind === 'compare' ? content.view.comparison.runs.map((r) => r.label).join(' vs ') : 'training trajectory';
    const file = { format, suggestedName: exportFileName(stem, what, format) };
    postChartExport({ svg, heading: title, description: `${title} (${subject})` }, this.theme, file, (message) => this.post(message), this.bannerSlot);
  }

  private context(): CompareViewContext {
    return {
      theme: this.theme,
      tooltip: this.tooltip,
      resize: this.resize,
      // A click on a point or a table row marks that aligned row; a second click on it unmarks it.
      selectLayer: (key) => this.setPrefs({ selectedKey: this.prefs.selectedKey === key ? null : key }),
      exportChart: (svg, title, what, format) => this.exportChart(svg, title, what, format),
      openRun: (runId) => this.post({ kind: 'openRun', runId }),
    };
  }

  private render(): void {
    const restoreFocus = rememberFocus();
    // A live trajectory re-renders at each checkpoint: the page must stay where the user scrolled it
    // (the charts are empty for a moment between the rebuild and their draw, which would clamp it).
    const scroller = document.scrollingElement;
    const scrollTop = scroller?.scrollTop ?? 0;
    this.tooltip.hide();
    this.resize.clear();
    const content = this.model.content;
    this.headerSlot.replaceChildren(headerView(content, content?.kind === 'compare' ? this.actions : { exportJson: this.actions.exportJson }));
    this.showProgress();
    this.bannerSlot.replaceChildren(...(this.model.failure !== null ? [failureBanner(this.model.failure, content !== null)] : []));
    clear(this.content);
    if (!content) {
      const waiting = this.model.failure === null ? (this.model.progress ? 'Analysing the runs to compare…' : 'Waiting for the comparison…') : '';
      this.content.append(h('p', { className: 'cl-hint cl-waiting', text: waiting }));
      return;
    }
    const context = this.context();
    const setPrefs = (change: Partial<ComparePrefs>) => this.setPrefs(change);
    const sections =
      content.kind === 'compare'
        ? compareView(context, content.view, { prefs: this.prefs, setPrefs, exportCsv: () => this.actions.exportCsv?.() })
        : trajectoryView(context, content.trajectory, { prefs: this.prefs, setPrefs }, content.watch);
    this.content.append(...sections);
    this.resize.drawPending();
    if (scroller && scroller.scrollTop !== scrollTop) scroller.scrollTop = scrollTop;
    restoreFocus();
  }
}
