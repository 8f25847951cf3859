import * as vscode from 'vscode';
import { basename, relative, isAbsolute } from 'node:path';
import { isMissingResultFile, readResultFile } from '../core/readResultFile';
import { resultFilePath } from './panels/compareMessages';
import type { RunView, CompareView, TrajectoryWatchStatus } from '../protocol/webview';
import type { TrajectoryResult } from '../core/compare';
import type { AnalysisObserver } from './analysisRunner';
import type { RunStore } from './store/runStore';
import type { Log } from './log';
import { AnalysisPanel, registerAnalysisPanelSerializer, type AnalysisPanelDeps } from './panels/analysisPanel';
import { ComparePanel, registerComparePanelSerializer, type ComparePanelDeps } from './panels/comparePanel';
import type { LayersViewProvider } from './views/layersView';
import { messageOf } from '../core/messageOf';

const isInside = (folder: string, file: string) => {
  const rel = relative(folder, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
};

/**
 * Routes runs to their panels: opens stored runs, streams an analysis' progress and partial results
 * into its panel, restores panels after a reload, and shows comparisons.
 */
export class PanelHub implements vscode.Disposable {
  private readonly deps: AnalysisPanelDeps;
  private readonly compareDeps: ComparePanelDeps;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly store: RunStore,
    log: Log,
    callbacks: { onLayerSelected(runId: string, layer: string): void; onRerun(runId: string): void },
  ) {
    this.deps = { log: log.channel, onLayerSelected: callbacks.onLayerSelected, onRerun: callbacks.onRerun, loadRun: (runId) => this.loadRun(runId) };
    this.compareDeps = { log: log.channel, openRun: (runId) => void this.openStored(runId), loadRun: (runId) => this.loadRun(runId) };
    registerAnalysisPanelSerializer(context, this.deps);
    registerComparePanelSerializer(context, this.compareDeps);
  }

  async loadRun(runId: string): Promise<RunView | undefined> {
    // A comparison may show a result file that is not in the store: its run id is "file:<path>".
    const file = resultFilePath(runId);
    if (file) {
      try {
        return { runId, label: basename(file, '.json'), result: await readResultFile(file) };
      } catch (error) {
        // Gone is "no run"; there but invalid is an error naming the file and the field.
        if (isMissingResultFile(error)) return undefined;
        throw error;
      }
    }
    const result = await this.store.load(runId);
    if (!result) return undefined;
    return { runId, label: this.store.get(runId)?.label ?? result.checkpoint.path, result };
  }

  async openStored(runId: string): Promise<void> {
    let run: RunView | undefined;
    try {
      run = await this.loadRun(runId);
    } catch (error) {
      // A stored result that fails the schema check: say which file and field, do not open a broken view.
      void vscode.window.showErrorMessage(`Collapse Lens: the stored analysis ${runId} cannot be shown: ${messageOf(error)}`);
      return;
    }
    if (!run) {
      void vscode.window.showWarningMessage(`Collapse Lens: the stored analysis ${runId} could not be read; it may have been deleted.`);
      return;
    }
    AnalysisPanel.createOrShow(this.context, run, this.store.get(runId)?.complete ?? true, this.deps);
  }

  async selectLayer(runId: string, layer: string): Promise<void> {
    if (!AnalysisPanel.get(runId)) await this.openStored(runId);
    const panel = AnalysisPanel.get(runId);
    panel?.reveal();
    panel?.selectLayer(layer);
  }

  showCompare(view: CompareView): void {
    ComparePanel.show(this.context, { kind: 'compare', view }, this.compareDeps);
  }

  showTrajectory(trajectory: TrajectoryResult): void {
    ComparePanel.show(this.context, { kind: 'trajectory', trajectory }, this.compareDeps);
  }

  /** A watched trajectory grew or a checkpoint changed state: updated in place, keeping the user's choices. */
  updateTrajectory(trajectory: TrajectoryResult, watch?: TrajectoryWatchStatus): void {
    ComparePanel.update(this.context, { kind: 'trajectoryUpdate', trajectory, ...(watch ? { watch } : {}) }, this.compareDeps);
  }

  /** Connects a running analysis to its panel and to the Layers view. */
  observer(layersView: LayersViewProvider): AnalysisObserver {
    return {
      // The panel opens at once, showing progress, and fills in as the results come.
      started: (runId, label) => void AnalysisPanel.openPending(this.context, runId, label, this.deps),
      progress: (runId, p) => AnalysisPanel.get(runId)?.progress(p),
      partial: (run) => AnalysisPanel.get(run.runId)?.update(run, false),
      completed: (run) => {
        AnalysisPanel.createOrShow(this.context, run, true, this.deps);
        layersView.refresh(run.runId, run.result);
      },
      failed: (runId, message, shown, shownComplete = false) => {
        // A partial result opens a panel only where none is showing the streamed one; a kept complete run replaces it.
        if (shown && (shownComplete || !AnalysisPanel.get(runId))) AnalysisPanel.createOrShow(this.context, shown, shownComplete, this.deps);
        AnalysisPanel.get(runId)?.failed(message);
        layersView.refresh(runId);
      },
    };
  }

  dispose(): void {
    for (const p of AnalysisPanel.all()) p.dispose();
    ComparePanel.disposeAll();
  }

  /**
   * A watched folder's trajectory: revealed (the panel opened if closed) when `reveal`; otherwise updated
   * only where the panel is open on this folder's trajectory (or an empty one), so a watch neither
   * replaces a comparison the user opened since nor reopens a panel the user closed.
   */
  showWatch(folder: string, trajectory: TrajectoryResult, watch: TrajectoryWatchStatus, reveal: boolean): void {
    const message = { kind: 'trajectoryUpdate', trajectory, watch } as const;
    if (reveal) {
      ComparePanel.show(this.context, message, this.compareDeps);
      return;
    }
    const shown = ComparePanel.get()?.shownTrajectoryCheckpoints;
    if (shown && shown.every((file) => isInside(folder, file))) ComparePanel.update(this.context, message, this.compareDeps);
  }
}
