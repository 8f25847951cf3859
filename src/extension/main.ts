import * as vscode from 'vscode';
import { EngineClient } from './engineClient';
import { RunStore } from './store/runStore';
import { Log } from './log';
import { LayersViewProvider, type LayersNode } from './views/layersView';
import { RunsViewProvider } from './views/runsView';
import { analyzeCommand, rerunCommand } from './commands/analyze';
import { compareRunsCommand, analyzeTrajectoryCommand } from './commands/compare';
import { PanelHub } from './panelHub';
import type { Services } from './services';
import type { RunEntry } from './store/runStore';
import { batchedClassifierSource } from './classifierBatch';
import { checkpointFromEditor } from './commands/analyze';
import { WatchManager } from './watch/watchManager';
import { folderWatcher } from './watch/folderWatcher';
import { resumeWatchingCommand, stopWatchingCommand, watchTrainingFolderCommand } from './commands/watch';

let engine: EngineClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = new Log();
  context.subscriptions.push(log);
  engine = new EngineClient({ enginePath: vscode.Uri.joinPath(context.extensionUri, 'dist', 'engine.js').fsPath, log: (l) => log.info(l) });
  context.subscriptions.push({ dispose: () => engine?.dispose() });
  // Result files skipped and an index rebuilt are reported in the log, not silently dropped.
  const store = await RunStore.open(vscode.Uri.joinPath(context.globalStorageUri, 'runs').fsPath, (line) => log.channel.warn(line));

  // The classifier is read in the engine process: decoding a model here would block the editor.
  const layersView = new LayersViewProvider(store, batchedClassifierSource((paths) => (engine as EngineClient).classifier(paths)));
  const runsView = new RunsViewProvider(store);
  context.subscriptions.push(layersView, runsView);
  context.subscriptions.push(store.onDidChange(() => {
    layersView.refresh();
    runsView.refresh();
  }));
  context.subscriptions.push(vscode.window.registerTreeDataProvider('collapseLens.layers', layersView));
  context.subscriptions.push(vscode.window.registerTreeDataProvider('collapseLens.runs', runsView));

  const hub = new PanelHub(context, store, log, {
    onLayerSelected: () => undefined,
    onRerun: (runId) => void rerunCommand(services, runId),
  });
  context.subscriptions.push(hub);

  const services: Services = {
    context,
    engine,
    store,
    log,
    observer: hub.observer(layersView),
    openRun: (runId) => hub.openStored(runId),
    openCheckpoint: (path) => void layersView.openCheckpoint(path),
  };

  const registerCommand = (id: string, fn: (...args: never[]) => unknown) => context.subscriptions.push(vscode.commands.registerCommand(id, fn));
  registerCommand('collapseLens.analyze', (uri?: vscode.Uri) => analyzeCommand(services, uri));
  registerCommand('collapseLens.showClassifier', async (uri?: vscode.Uri) => {
    const target = uri ?? (await checkpointFromEditor());
    if (!target) return;
    void layersView.openCheckpoint(target.fsPath);
    await vscode.commands.executeCommand('collapseLens.layers.focus');
  });
  registerCommand('collapseLens.compareRuns', (first?: vscode.Uri | RunEntry, all?: vscode.Uri[]) => compareRunsCommand(services, hub, first, all));
  registerCommand('collapseLens.analyzeTrajectory', (folder?: vscode.Uri) => analyzeTrajectoryCommand(services, hub, folder));
  registerCommand('collapseLens.openRun', (arg: string | RunEntry) => hub.openStored(typeof arg === 'string' ? arg : arg.id));
  registerCommand('collapseLens.rerun', (arg: string | RunEntry) => rerunCommand(services, typeof arg === 'string' ? arg : arg.id));
  registerCommand('collapseLens.deleteRun', async (arg: string | RunEntry) => {
    const entry = store.get(typeof arg === 'string' ? arg : arg.id);
    if (!entry) return;
    const ok = await vscode.window.showWarningMessage(`Delete the stored analysis "${entry.label}"?`, { modal: true }, 'Delete');
    if (ok === 'Delete') await store.delete(entry.id);
  });
  registerCommand('collapseLens.selectLayer', (runId: string, layer: string) => hub.selectLayer(runId, layer));
  registerCommand('collapseLens.copyLayerName', async (node: LayersNode) => {
    if (node?.kind !== 'layer') return;
    await vscode.env.clipboard.writeText(node.layer.name);
    void vscode.window.setStatusBarMessage(`Copied ${node.layer.name}`, 2000);
  });
  registerCommand('collapseLens.showLog', () => log.channel.show(true));

  const watches = new WatchManager(services, hub, folderWatcher);
  context.subscriptions.push(watches);
  registerCommand('collapseLens.watchTrainingFolder', (folder?: vscode.Uri) => watchTrainingFolderCommand(services, watches, folder));
  registerCommand('collapseLens.stopWatching', () => stopWatchingCommand(watches));
  registerCommand('collapseLens.resumeWatching', () => resumeWatchingCommand(watches));
  registerCommand('collapseLens.showWatchedTrajectory', () => watches.reveal());
  // The watches active when the window closed go on (activation event onStartupFinished), reading back what is stored.
  watches.resumeRemembered();
}

export function deactivate(): void {
  engine?.dispose();
}
