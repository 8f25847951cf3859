/**
 * The watches of this window: starts, stops and resumes them, runs their analyses one engine at a time,
 * keeps them in workspaceState (a reload resumes the active ones, reading back what is stored), and
 * shows them in the status bar and the trajectory panel.
 */
import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { CheckpointWatcherLike } from '../../core/watch/types';
import type { AnalysisChoices } from '../commands/choices';
import type { PanelHub } from '../panelHub';
import type { Services } from '../services';
import { readSettings } from '../settings';
import { watchAnalyser } from './watchAnalysis';
import { WatchController, type WatchView } from './watchController';
import { WatchMemory, type RememberedWatch } from './watchMemory';
import { panelUpdate } from './watchPanelStatus';
import { watchStatusText } from './watchStatusText';

/** Makes the watcher of one folder; `warn` hears of a poll that failed and of names it cannot place. */
export type WatcherFactory = (folder: string, warn: (line: string) => void) => CheckpointWatcherLike;

export class WatchManager implements vscode.Disposable {
  readonly memory: WatchMemory;
  private readonly controllers = new Map<string, WatchController>();
  private readonly views = new Map<string, WatchView>();
  private readonly item: vscode.StatusBarItem;
  /** One engine at a time across all watches: each job starts when the previous one has settled. */
  private engineTurn: Promise<void> = Promise.resolve();
  /** The folder whose trajectory the panel shows (the last one started or revealed). */
  private shown: string | undefined;
  private disposed = false;

  constructor(
    private readonly services: Services,
    private readonly hub: PanelHub,
    private readonly createWatcher: WatcherFactory,
  ) {
    this.memory = new WatchMemory(services.context.workspaceState);
    this.item = vscode.window.createStatusBarItem('collapseLens.watch', vscode.StatusBarAlignment.Left, 10);
    this.item.name = 'Collapse Lens: watch';
  }

  /** Resumes the watches that were active when the window closed, without asking the picks again. */
  resumeRemembered(): void {
    for (const w of this.memory.all()) {
      if (w.active) this.run(w, false);
      else this.views.set(w.folder, this.stoppedView(w.folder));
    }
    this.render();
  }

  /** Starts watching `folder` with these picks (a watch already running there is revealed). */
  async start(folder: string, choices: AnalysisChoices): Promise<void> {
    const running = this.controllers.get(folder);
    if (running?.isWatching) {
      this.reveal(folder);
      void vscode.window.showInformationMessage(`Collapse Lens: ${basename(folder)} is already watched.`);
      return;
    }
    this.controllers.get(folder)?.stop();
    this.controllers.delete(folder);
    await this.memory.start(folder, choices);
    const remembered = this.memory.get(folder);
    if (remembered) this.run(remembered, true);
  }

  activeFolders(): string[] {
    return [...this.controllers.values()].filter((c) => c.isWatching).map((c) => c.folder);
  }

  stoppedFolders(): string[] {
    return this.memory.all().filter((w) => !w.active).map((w) => w.folder);
  }

  async stop(folder: string): Promise<void> {
    this.controllers.get(folder)?.stop();
    await this.memory.setActive(folder, false);
    this.services.log.info(`watch ${folder}: stopped`);
    this.render();
  }

  async resume(folder: string): Promise<void> {
    await this.memory.setActive(folder, true);
    const remembered = this.memory.get(folder);
    if (!remembered) return;
    this.services.log.info(`watch ${folder}: resumed`);
    this.run(remembered, true);
  }

  /** Resolves once no watch has anything queued or under analysis. */
  async idle(): Promise<void> {
    await Promise.all([...this.controllers.values()].map((c) => c.idle()));
  }

  /** Brings the trajectory panel of a watch (the one shown last, else the first) to the front. */
  reveal(folder = this.shown ?? [...this.views.keys()][0]): void {
    const view = folder ? this.views.get(folder) : undefined;
    if (!folder || !view) return;
    this.shown = folder;
    const { trajectory, watch } = panelUpdate(view);
    this.hub.showWatch(folder, trajectory, watch, true);
  }

  dispose(): void {
    // A window closing is not a stop: the watches stay active in workspaceState and resume on reload.
    this.disposed = true;
    for (const c of this.controllers.values()) c.stop();
    this.item.dispose();
  }

  private run(w: RememberedWatch, reveal: boolean): void {
    const { folder } = w;
    const { engine, store, log } = this.services;
    const controller = this.controllers.get(folder) ?? new WatchController({
      folder,
      watcher: this.createWatcher(folder, (line) => log.channel.warn(`watch ${folder}: ${line}`)),
      newestFirst: () => vscode.workspace.getConfiguration('collapseLens').get<boolean>('watchNewestFirst', false),
      analyse: watchAnalyser({
        engine,
        store,
        // The picks as they are now: "Watch training folder" again with other picks replaces this controller.
        choices: w.choices,
        settingsFor: (file) => readSettings(vscode.Uri.file(file)),
        rememberedRun: (c) => this.memory.runFor(folder, c.file, c.key),
        warn: (line) => log.channel.warn(`watch ${folder}: ${line}`),
      }),
      exclusive: (task) => this.exclusive(task),
      remember: (c, runId) => void this.memory.rememberRun(folder, c.file, c.key, runId),
      log: { info: (line) => log.channel.info(line), warn: (line) => log.channel.warn(line) },
      onUpdate: (view) => this.updated(view),
    });
    this.controllers.set(folder, controller);
    if (reveal) this.shown = folder;
    controller.start();
    if (reveal) this.reveal(folder);
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const job = this.engineTurn.then(task);
    this.engineTurn = job.then(
      () => undefined,
      () => undefined,
    );
    return job;
  }

  private updated(view: WatchView): void {
    if (this.disposed) return;
    this.views.set(view.folder, view);
    if (this.shown === view.folder || this.shown === undefined) {
      const { trajectory, watch } = panelUpdate(view);
      this.hub.showWatch(view.folder, trajectory, watch, false);
    }
    this.render();
  }

  private stoppedView(folder: string): WatchView {
    return { folder, watching: false, checkpoints: [], queued: 0, stored: 0, analysed: 0, trajectory: null };
  }

  private render(): void {
    void vscode.commands.executeCommand('setContext', 'collapseLens.watching', this.activeFolders().length > 0);
    void vscode.commands.executeCommand('setContext', 'collapseLens.watchStopped', this.stoppedFolders().length > 0);
    const status = watchStatusText([...this.views.values()]);
    if (!status) {
      this.item.hide();
      return;
    }
    this.item.text = status.text;
    this.item.tooltip = status.detail;
    this.item.accessibilityInformation = { label: status.detail };
    this.item.command = status.click === 'show' ? 'collapseLens.showWatchedTrajectory' : 'collapseLens.resumeWatching';
    this.item.show();
  }
}
