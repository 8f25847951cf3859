/**
 * The analysis panel on the host side: one WebviewPanel per run. It never reassigns webview.html to
 * update (that reloads the page and loses the user's place); it posts messages. The webview's context
 * is not retained when hidden (it costs memory per panel): when it comes back it posts `ready` again,
 * and the panel replays what it last showed (result, progress or failure, host-chosen layer), while the
 * webview restores its own choices (selected layer, NC2 number, split, sort) from getState.
 * Above 64 classes the page is posted the result without its packed layer matrices (heldMatrices.ts) and
 * asks for the shown layer's (`layerMatrices`); the JSON export is written from the host's complete copy.
 */
import * as vscode from 'vscode';
import type { ProgressInfo } from '../../protocol/engine';
import type { AnalysisPanelToHost, HostToAnalysisPanel, RunView } from '../../protocol/webview';
import { parseAnalysisPanelMessage, parseAnalysisPanelState } from './panelMessages';
import { createPanelWebview, PageLink } from './panelPage';
import { saveExport, saveExportFile } from './saveExport';
import { holdBackLayerMatrices, layerMatricesReply } from './heldMatrices';
import { resultJsonFile } from './exportPayload';
import { messageOf } from '../../core/messageOf';

export interface AnalysisPanelDeps {
  log: vscode.LogOutputChannel;
  onLayerSelected(runId: string, layer: string): void;
  onRerun(runId: string): void;
  loadRun(runId: string): Promise<RunView | undefined>;
}

/** What the webview was last told, replayed whenever it (re)loads. */
interface Snapshot {
  /** `run`: the complete run (exports, matrix requests); `posted`: it as the page gets it (holdBackLayerMatrices). */
  show: { run: RunView; posted: RunView; complete: boolean } | null;
  progress: ProgressInfo | null;
  failure: string | null;
  /** A layer the host asked for, or the user picked (so a host request is not undone by a replay). */
  selectedLayer: string | null;
  /** A side-view pick made while the page was gone: the replay brings it into view, once. */
  revealPick: boolean;
}

export class AnalysisPanel implements vscode.Disposable {
  static readonly viewType = 'collapseLens.analysis';
  private static readonly open = new Map<string, AnalysisPanel>();

  private disposed = false;
  private readonly snapshot: Snapshot = { show: null, progress: null, failure: null, selectedLayer: null, revealPick: false };
  private readonly link: PageLink<HostToAnalysisPanel, AnalysisPanelToHost>;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  /** Fires once, when the panel is closed or disposed. */
  readonly onDidDispose = this.disposeEmitter.event;

  /** Shows the run's panel, creating it if needed, and shows `run` in it. */
  static createOrShow(context: vscode.ExtensionContext, run: RunView, complete: boolean, deps: AnalysisPanelDeps): AnalysisPanel {
    const panel = AnalysisPanel.openPending(context, run.runId, run.label, deps, false);
    panel.update(run, complete);
    return panel;
  }

  /**
   * Opens the run's panel before any result exists (an analysis just started): it shows the progress and
   * fills in as results arrive. An existing panel of the run is revealed as it is.
   */
  static openPending(context: vscode.ExtensionContext, runId: string, label: string, deps: AnalysisPanelDeps, preserveFocus = true): AnalysisPanel {
    const existing = AnalysisPanel.open.get(runId);
    if (existing) {
      existing.panel.reveal(undefined, preserveFocus);
      return existing;
    }
    const panel = createPanelWebview(context, AnalysisPanel.viewType, `Collapse Lens: ${label}`, preserveFocus);
    return new AnalysisPanel(panel, context, runId, deps);
  }

  /** The open panel of a run, if any (to route progress and results to it). */
  static get(runId: string): AnalysisPanel | undefined {
    return AnalysisPanel.open.get(runId);
  }

  /** Every open analysis panel (e.g. to close them on deactivation). */
  static all(): AnalysisPanel[] {
    return Array.from(AnalysisPanel.open.values());
  }

  /** Adopts a panel VS Code restored after a reload; the caller then loads and shows the run. */
  static revive(panel: vscode.WebviewPanel, context: vscode.ExtensionContext, runId: string, deps: AnalysisPanelDeps): AnalysisPanel {
    AnalysisPanel.open.get(runId)?.dispose();
    return new AnalysisPanel(panel, context, runId, deps);
  }

  private static titleOf(run: RunView): string {
    return `Collapse Lens: ${run.label}`;
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    context: vscode.ExtensionContext,
    private currentRunId: string,
    private readonly deps: AnalysisPanelDeps,
  ) {
    AnalysisPanel.open.set(currentRunId, this);
    this.link = new PageLink(panel, context, {
      files: { script: 'analysis.js', style: 'panel.css' },
      parse: parseAnalysisPanelMessage,
      replay: () => this.replay(),
      receive: (message) => this.receive(message),
      warn: (text) => this.deps.log.warn(`Analysis panel ${this.currentRunId}: ${text}`),
    });
    this.disposables.push(this.link, panel.onDidDispose(() => this.dispose()), this.disposeEmitter);
  }

  get runId(): string {
    return this.currentRunId;
  }

  get visible(): boolean {
    return this.panel.visible;
  }

  reveal(): void {
    this.panel.reveal(undefined, false);
  }

  /** Shows the run: a partial result (complete = false) while the engine works, then the final one. */
  update(run: RunView, complete: boolean): void {
    if (this.disposed) return;
    if (run.runId !== this.currentRunId) {
      AnalysisPanel.open.delete(this.currentRunId);
      this.currentRunId = run.runId;
      AnalysisPanel.open.set(run.runId, this);
      this.snapshot.selectedLayer = null;
    }
    const posted = holdBackLayerMatrices(run);
    this.snapshot.show = { run, posted, complete };
    this.snapshot.failure = null;
    if (complete) this.snapshot.progress = null;
    this.panel.title = AnalysisPanel.titleOf(run);
    this.post({ kind: 'show', run: posted, complete });
  }

  progress(progress: ProgressInfo): void {
    if (this.disposed) return;
    this.snapshot.progress = progress;
    this.post({ kind: 'progress', progress });
  }

  /** The run failed: the message is shown and whatever was shown stays. */
  failed(message: string): void {
    if (this.disposed) return;
    this.snapshot.failure = message;
    this.snapshot.progress = null;
    this.post({ kind: 'failed', message });
  }

  selectLayer(layer: string): void {
    if (this.disposed) return;
    this.snapshot.selectedLayer = layer;
    this.snapshot.revealPick = !this.link.pageListening;
    this.post({ kind: 'selectLayer', layer });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (AnalysisPanel.open.get(this.currentRunId) === this) AnalysisPanel.open.delete(this.currentRunId);
    this.disposeEmitter.fire();
    // Disposing an already-closed panel is a no-op; closing it from code goes through here too.
    this.panel.dispose();
    while (this.disposables.length > 0) this.disposables.pop()?.dispose();
  }

  private post(message: HostToAnalysisPanel): void {
    this.link.post(message);
  }

  private replay(): void {
    const { show, progress, failure, selectedLayer } = this.snapshot;
    // The pick travels with the result: a page that comes back shows it as it was, without the scroll
    // to the detail that a new pick (selectLayer) makes.
    if (show) this.post({ kind: 'show', run: show.posted, complete: show.complete, ...(selectedLayer !== null ? { selectedLayer } : {}) });
    if (failure !== null) this.post({ kind: 'failed', message: failure });
    // A complete show clears the progress (update, failed), so progress beside a complete show is a re-run
    // under way: replayed, the page says "Re-running" instead of a stale "Complete".
    else if (progress) this.post({ kind: 'progress', progress });
    if (this.snapshot.revealPick && selectedLayer !== null) this.post({ kind: 'selectLayer', layer: selectedLayer });
    this.snapshot.revealPick = false;
  }

  /** `ready` never gets here: the link marks the page listening and calls replay(). */
  private receive(message: AnalysisPanelToHost): void {
    switch (message.kind) {
      case 'layerSelected':
        this.snapshot.selectedLayer = message.layer;
        this.deps.onLayerSelected(this.currentRunId, message.layer);
        return;
      case 'export':
        void saveExport(message, this.deps.log, this.snapshot.show?.run.result.checkpoint.path);
        return;
      case 'exportResult': {
        // The host's copy, never the page's: the page may hold the result without its large matrices.
        const run = this.snapshot.show?.run;
        if (run) void saveExportFile(() => resultJsonFile(message.suggestedName, run.result), 'json', this.deps.log, run.result.checkpoint.path);
        else this.deps.log.warn(`Analysis panel ${this.currentRunId}: a JSON export was asked for while no result is shown`);
        return;
      }
      case 'layerMatrices':
        this.post(layerMatricesReply(this.snapshot.show?.run, message));
        return;
      case 'rerun':
        this.deps.onRerun(this.currentRunId);
        return;
      case 'showLog':
        this.deps.log.show();
        return;
    }
  }
}

/**
 * Lets VS Code restore analysis panels after a window reload: the webview's saved state holds the run id
 * ({runId, selectedLayer}); the run is loaded from the store through deps.loadRun. Needs the activation
 * event `onWebviewPanel:collapseLens.analysis` in package.json. The registration is added to
 * context.subscriptions and also returned.
 */
export function registerAnalysisPanelSerializer(context: vscode.ExtensionContext, deps: AnalysisPanelDeps): vscode.Disposable {
  const registration = vscode.window.registerWebviewPanelSerializer(AnalysisPanel.viewType, {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
      const saved = parseAnalysisPanelState(state);
      if (!saved) {
        // Nothing to restore from (a panel closed before its first result): close it rather than show an empty page.
        deps.log.info('Analysis panel restored without a run id; closing it');
        panel.dispose();
        return;
      }
      const revived = AnalysisPanel.revive(panel, context, saved.runId, deps);
      try {
        const run = await deps.loadRun(saved.runId);
        if (run) revived.update(run, true);
        else revived.failed(`Run ${saved.runId} is no longer in the run store (it was deleted or its result file moved).`);
      } catch (error) {
        const message = messageOf(error);
        deps.log.error(`Restoring the analysis panel of run ${saved.runId}: ${message}`);
        revived.failed(`Could not reload run ${saved.runId}: ${message}`);
      }
    },
  });
  context.subscriptions.push(registration);
  return registration;
}
