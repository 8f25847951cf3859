/**
 * The compare panel on the host side: one panel for comparisons of runs and training trajectories,
 * reused (and revealed) for each new one. Like the analysis panel it never reassigns webview.html to
 * update; it posts messages, keeps a snapshot of what it last showed (content, then the failure or the
 * progress) and replays it whenever the page says `ready` (the page is torn down while hidden).
 *
 * After a window reload the serializer rebuilds what was shown from the webview's saved state: stored
 * runs through deps.loadRun, result files ("file:<path>" run ids) from disk, then the same
 * compareResults the command used; a trajectory comes back whole from the state.
 */
import { promises as fs } from 'node:fs';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { readResultFile } from '../../core/readResultFile';
import { compareResults } from '../../core/compare/compareResult';
import type { ProgressInfo } from '../../protocol/engine';
import type { ComparePanelToHost, HostToComparePanel, RunView } from '../../protocol/webview';
import { isTrajectoryResult } from '../../core/compare/trajectoryShape';
import { parseComparePanelMessage, parseComparePanelState, resultFilePath, type SavedCompareState } from './compareMessages';
import { createPanelWebview, PageLink } from './panelPage';
import { saveExport } from './saveExport';
import { holdBackLayerMatrices } from './heldMatrices';
import { messageOf } from '../../core/messageOf';

export interface ComparePanelDeps {
  log: vscode.LogOutputChannel;
  /** A click on a run's name opens its analysis panel. */
  openRun(runId: string): void;
  /** To rebuild a comparison after a reload. */
  loadRun(runId: string): Promise<RunView | undefined>;
}

type ContentMessage = Extract<HostToComparePanel, { kind: 'compare' | 'trajectory' | 'trajectoryUpdate' }>;

/** What the webview was last told, replayed whenever it (re)loads. */
interface Snapshot {
  content: ContentMessage | null;
  progress: { progress: ProgressInfo; label: string } | null;
  failure: string | null;
}

const TITLE_PREFIX = 'Collapse Lens: ';

function titleOf(content: ContentMessage): string {
  if (content.kind === 'trajectory' || content.kind === 'trajectoryUpdate') {
    const n = content.trajectory.epochs.length;
    const live = content.kind === 'trajectoryUpdate' && content.watch?.watching ? 'watching, ' : '';
    return `${TITLE_PREFIX}trajectory (${live}${n} checkpoint${n === 1 ? '' : 's'})`;
  }
  const labels = content.view.comparison.runs.map((r) => r.label);
  return `${TITLE_PREFIX}${labels.length <= 3 ? labels.join(' vs ') : `${labels.length} runs compared`}`;
}

export class ComparePanel implements vscode.Disposable {
  static readonly viewType = 'collapseLens.compare';
  private static current: ComparePanel | undefined;

  private disposed = false;
  private readonly snapshot: Snapshot = { content: null, progress: null, failure: null };
  private readonly link: PageLink<HostToComparePanel, ComparePanelToHost>;
  private readonly disposables: vscode.Disposable[] = [];

  /** Shows a comparison, a trajectory, progress or a failure in the compare panel, opening it if needed. */
  static show(context: vscode.ExtensionContext, message: HostToComparePanel, deps: ComparePanelDeps): ComparePanel {
    let panel = ComparePanel.current;
    if (panel) {
      panel.deps = deps;
      panel.panel.reveal(undefined, false);
    } else {
      panel = new ComparePanel(createPanelWebview(context, ComparePanel.viewType, `${TITLE_PREFIX}compare`, false), context, deps);
    }
    panel.send(message);
    return panel;
  }

  /**
   * A live trajectory grew: shown in place without revealing the panel (a watch must not steal the
   * editor's focus at every checkpoint); opens the panel when none is open. A panel showing a comparison
   * the user asked for is left alone (undefined): a watch's next checkpoint must not wipe it; the watch
   * is shown again by showTrajectory when the user asks for it.
   */
  static update(context: vscode.ExtensionContext, message: Extract<HostToComparePanel, { kind: 'trajectoryUpdate' }>, deps: ComparePanelDeps): ComparePanel | undefined {
    const panel = ComparePanel.current;
    if (!panel) return ComparePanel.show(context, message, deps);
    if (panel.snapshot.content?.kind === 'compare') return undefined;
    panel.deps = deps;
    panel.send(message);
    return panel;
  }

  /** The open compare panel, if any. */
  static get(): ComparePanel | undefined {
    return ComparePanel.current;
  }

  static disposeAll(): void {
    ComparePanel.current?.dispose();
  }

  /** Adopts a panel VS Code restored after a reload; the caller then sends what to show. */
  static revive(panel: vscode.WebviewPanel, context: vscode.ExtensionContext, deps: ComparePanelDeps): ComparePanel {
    ComparePanel.current?.dispose();
    return new ComparePanel(panel, context, deps);
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    context: vscode.ExtensionContext,
    private deps: ComparePanelDeps,
  ) {
    ComparePanel.current = this;
    this.link = new PageLink(panel, context, {
      // compare.css imports panel.css (panelHtml links one stylesheet).
      files: { script: 'compare.js', style: 'compare.css' },
      parse: parseComparePanelMessage,
      replay: () => this.replay(),
      receive: (message) => this.receive(message),
      warn: (text) => this.deps.log.warn(`Compare panel: ${text}`),
    });
    this.disposables.push(this.link, panel.onDidDispose(() => this.dispose()));
  }

  get visible(): boolean {
    return this.panel.visible;
  }

  /** The checkpoints of the trajectory shown (none for an empty live one); undefined when it shows a comparison or nothing. */
  get shownTrajectoryCheckpoints(): string[] | undefined {
    const content = this.snapshot.content;
    return content?.kind === 'trajectory' || content?.kind === 'trajectoryUpdate' ? content.trajectory.checkpoints : undefined;
  }

  /** Updates the snapshot and tells the page (now, or at its next `ready`). */
  send(message: HostToComparePanel): void {
    if (this.disposed) return;
    switch (message.kind) {
      case 'compare':
      case 'trajectory':
      case 'trajectoryUpdate':
        // The latest update is the whole content: a page that reloads gets it replayed.
        this.snapshot.content = message;
        this.snapshot.progress = null;
        this.snapshot.failure = null;
        this.panel.title = titleOf(message);
        break;
      case 'progress':
        this.snapshot.progress = { progress: message.progress, label: message.label };
        this.snapshot.failure = null;
        break;
      case 'failed':
        this.snapshot.failure = message.message;
        this.snapshot.progress = null;
        break;
    }
    this.post(message);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (ComparePanel.current === this) ComparePanel.current = undefined;
    this.panel.dispose();
    while (this.disposables.length > 0) this.disposables.pop()?.dispose();
  }

  private post(message: HostToComparePanel): void {
    // The compare page reads only the runs' ids and labels (its numbers come from the comparison), so the
    // packed per-layer matrices stay here: at K = 1,000 they are ~10 MB per layer and run.
    if (message.kind === 'compare') this.link.post({ ...message, view: { ...message.view, runs: message.view.runs.map(holdBackLayerMatrices) } });
    else this.link.post(message);
  }

  private replay(): void {
    const { content, progress, failure } = this.snapshot;
    if (content) this.post(content);
    if (failure !== null) this.post({ kind: 'failed', message: failure });
    else if (progress) this.post({ kind: 'progress', progress: progress.progress, label: progress.label });
  }

  /** The run ids the page may ask to open: those of the comparison shown. */
  private shownRunIds(): string[] {
    return this.snapshot.content?.kind === 'compare' ? this.snapshot.content.view.runs.map((r) => r.runId) : [];
  }

  /** Where the export dialog opens: near the first checkpoint when there is no workspace. */
  private nearPath(): string | undefined {
    const content = this.snapshot.content;
    if (!content) return undefined;
    return content.kind === 'compare' ? content.view.comparison.runs[0]?.checkpoint : content.trajectory.checkpoints[0];
  }

  /** `ready` never gets here: the link marks the page listening and calls replay(). */
  private receive(message: ComparePanelToHost): void {
    switch (message.kind) {
      case 'openRun':
        if (this.shownRunIds().includes(message.runId)) this.deps.openRun(message.runId);
        else this.deps.log.warn(`Compare panel: asked to open ${message.runId}, which is not in the comparison shown`);
        return;
      case 'export':
        void saveExport(message, this.deps.log, this.nearPath());
        return;
    }
  }
}


/** A run of a saved comparison: a result file read from disk, or a stored run. */
async function loadComparedRun(runId: string, deps: ComparePanelDeps): Promise<RunView> {
  const file = resultFilePath(runId);
  if (file !== null) return { runId, label: basename(file, '.json'), result: await readResultFile(file) };
  const run = await deps.loadRun(runId);
  if (!run) throw new Error(`run ${runId} is no longer in the run store (it was deleted or its result file moved)`);
  return run;
}

/** Rebuilds what a saved compare panel showed. Throws with a message that names what is missing. */
export async function restoreCompareContent(saved: SavedCompareState, deps: ComparePanelDeps): Promise<ContentMessage> {
  if (saved.trajectory) return { kind: 'trajectory', trajectory: saved.trajectory };
  if (saved.trajectoryFile) {
    const file = saved.trajectoryFile;
    let value: unknown;
    try {
      value = JSON.parse(await fs.readFile(file, 'utf8'));
    } catch (error) {
      throw new Error(`the trajectory file ${file} could not be read (${messageOf(error)})`);
    }
    if (!isTrajectoryResult(value)) throw new Error(`${file}: not a Collapse Lens trajectory (no "schema": "collapse-lens/trajectory@1")`);
    return { kind: 'trajectory', trajectory: value };
  }
  const runIds = saved.runIds ?? [];
  if (runIds.length < 2) throw new Error(`a comparison needs at least two runs, the saved state names ${runIds.length}`);
  const loaded = await Promise.all(runIds.map((id) => loadComparedRun(id, deps)));
  const runs = loaded.map((run, i) => ({ ...run, label: saved.labels?.[i] ?? run.label }));
  const comparison = compareResults(
    runs.map((r) => r.result),
    runs.map((r) => r.label),
    saved.allowMismatch ?? false,
  );
  return { kind: 'compare', view: { runs, comparison } };
}

/**
 * Lets VS Code restore the compare panel after a window reload (activation event
 * `onWebviewPanel:collapseLens.compare`). The registration is added to context.subscriptions and returned.
 */
export function registerComparePanelSerializer(context: vscode.ExtensionContext, deps: ComparePanelDeps): vscode.Disposable {
  const registration = vscode.window.registerWebviewPanelSerializer(ComparePanel.viewType, {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
      const saved = parseComparePanelState(state);
      if (!saved) {
        deps.log.info('Compare panel restored without anything to show; closing it');
        panel.dispose();
        return;
      }
      const revived = ComparePanel.revive(panel, context, deps);
      try {
        revived.send(await restoreCompareContent(saved, deps));
      } catch (error) {
        const message = messageOf(error);
        deps.log.error(`Restoring the compare panel: ${message}`);
        revived.send({ kind: 'failed', message: `Could not rebuild the comparison: ${message}` });
      }
    },
  });
  context.subscriptions.push(registration);
  return registration;
}
