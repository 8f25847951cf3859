import * as vscode from 'vscode';
import { readFileHead } from '../../core/dataset/fileAccess';
import { basename, dirname } from 'node:path';
import type { Services } from '../services';
import type { PanelHub } from '../panelHub';
import type { RunEntry } from '../store/runStore';
import { RunStore } from '../store/runStore';
import type { AnalysisResult } from '../../core/result';
import { readResultFile } from '../../core/readResultFile';
import { resultForCheckpoint } from '../../core/resultForCheckpoint';
import { buildTrajectory, compareResults, DatasetMismatchError, listEpochCheckpoints } from '../../core/compare';
import type { RunView } from '../../protocol/webview';
import { EngineError } from '../engineClient';
import { readSettings } from '../settings';
import { requestFrom } from './analyze';
import { recentDatasets, rememberChoices, rememberedChoices, type AnalysisChoices } from './choices';
import { pickTestDataset, pickTrainDataset } from './pickDataset';
import { pickPerClass } from './pickOptions';
import { messageOf } from '../../core/messageOf';

type Source = { kind: 'run'; entry: RunEntry } | { kind: 'result'; path: string } | { kind: 'checkpoint'; path: string };

async function classify(uri: vscode.Uri): Promise<Source> {
  const path = uri.fsPath;
  if (/\.onnx$/i.test(path)) return { kind: 'checkpoint', path };
  if (/\.json$/i.test(path)) {
    // A result file, or a TF.js model.json: only the first has a "schema" of ours.
    // Only the head is read: a checkpoint's model.json or a result can be large.
    const head = (await readFileHead(path, 512)).head.toString('utf8');
    if (/"schema"\s*:\s*"collapse-lens\/result@/.test(head)) return { kind: 'result', path };
    return { kind: 'checkpoint', path };
  }
  throw new Error(`${basename(path)} is neither a checkpoint (.onnx, model.json) nor a Collapse Lens result`);
}

async function pickStoredRuns(services: Services, preselected: RunEntry | undefined): Promise<RunEntry[] | undefined> {
  const items = services.store.list().filter((e) => e.complete).map((entry) => ({ label: entry.label, description: new Date(entry.createdAt).toLocaleString(), picked: entry.id === preselected?.id, entry }));
  if (items.length < 2) {
    void vscode.window.showInformationMessage('Collapse Lens: compare needs two stored analyses; select two checkpoints in the Explorer and run "Compare runs" to analyse them.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(items, { title: 'Collapse Lens: runs to compare', canPickMany: true, ignoreFocusOut: true });
  if (!picked) return undefined;
  if (picked.length < 2) {
    void vscode.window.showWarningMessage('Collapse Lens: choose at least two runs to compare.');
    return undefined;
  }
  return picked.map((p) => p.entry);
}

/**
 * Asks once for the data that every unanalysed checkpoint will be run on; `previous` (by default the
 * picks last made for `first`) is offered first.
 */
export async function pickSharedChoices(services: Services, first: string, previous = rememberedChoices(services.context.globalState, first)): Promise<AnalysisChoices | undefined> {
  const train = await pickTrainDataset(first, previous?.train, recentDatasets(services.context.globalState), (line) => services.log.channel.warn(line));
  if (!train) return undefined;
  const test = await pickTestDataset(train.train, train.suggestedTest, previous?.test);
  if (test === undefined) return undefined;
  const perClass = await pickPerClass(previous?.perClass, readSettings().samplesPerClass);
  if (perClass === undefined) return undefined;
  return { train: train.train, test, perClass, layers: 'auto' };
}

/**
 * Analyses the checkpoints that need it, one after another under one cancellable progress, and
 * returns every run in the order given.
 */
async function analyseAll(services: Services, checkpoints: { path: string; label: string }[], choices: AnalysisChoices, title: string): Promise<RunView[] | undefined> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const runs: RunView[] = [];
    for (const [i, c] of checkpoints.entries()) {
      if (token.isCancellationRequested) return undefined;
      await rememberChoices(services.context.globalState, c.path, choices);
      const request = requestFrom(c.path, choices, readSettings(vscode.Uri.file(c.path)));
      const runId = await RunStore.keyRequest(request);
      const stored = services.store.get(runId);
      const cached = stored?.complete
        ? await services.store.load(runId).catch((error: unknown) => {
            // A stored result that fails the schema check is analysed again (and replaced), not compared.
            services.log.channel.warn(`${messageOf(error)}; analysing ${c.label} again`);
            return undefined;
          })
        : undefined;
      if (cached) {
        runs.push({ runId, label: c.label, result: resultForCheckpoint(cached, c.path) });
        continue;
      }
      progress.report({ message: `${c.label} (${i + 1}/${checkpoints.length})`, increment: 0 });
      const result = await services.engine.analyze(request, { onProgress: (p) => progress.report({ message: `${c.label} (${i + 1}/${checkpoints.length}) · ${p.stage} ${p.done}/${p.total}` }) }, token);
      await services.store.save(runId, result, true, request);
      runs.push({ runId, label: c.label, result });
      progress.report({ increment: 100 / checkpoints.length });
    }
    return runs;
  });
}

async function loadSources(services: Services, sources: Source[]): Promise<RunView[] | undefined> {
  const runs: (RunView | { checkpoint: string })[] = [];
  for (const s of sources) {
    if (s.kind === 'run') {
      const result = await services.store.load(s.entry.id);
      if (!result) throw new Error(`the stored analysis "${s.entry.label}" is no longer in the run store (its result file was deleted)`);
      runs.push({ runId: s.entry.id, label: s.entry.label, result });
    } else if (s.kind === 'result') {
      const result: AnalysisResult = await readResultFile(s.path);
      runs.push({ runId: `file:${s.path}`, label: basename(s.path, '.json'), result });
    } else runs.push({ checkpoint: s.path });
  }
  const pending = runs.filter((r): r is { checkpoint: string } => 'checkpoint' in r);
  if (pending.length === 0) return runs as RunView[];
  const choices = await pickSharedChoices(services, pending[0].checkpoint);
  if (!choices) return undefined;
  const label = (p: string) => (basename(p) === 'model.json' ? basename(dirname(p)) : basename(p));
  const analysed = await analyseAll(services, pending.map((p) => ({ path: p.checkpoint, label: label(p.checkpoint) })), choices, 'Collapse Lens: analysing runs to compare');
  if (!analysed) return undefined;
  let next = 0;
  return runs.map((r) => ('checkpoint' in r ? analysed[next++] : r));
}

/** "Compare runs": from an Explorer multi-selection, the Runs view, or a pick of stored runs. */
export async function compareRunsCommand(services: Services, hub: PanelHub, first?: vscode.Uri | RunEntry, all?: vscode.Uri[]): Promise<void> {
  try {
    let sources: Source[];
    if (first instanceof vscode.Uri) {
      const uris = all && all.length > 0 ? all : [first];
      sources = await Promise.all(uris.map(classify));
      if (sources.length < 2) {
        void vscode.window.showWarningMessage('Collapse Lens: select two or more checkpoints or result files to compare.');
        return;
      }
    } else {
      const entries = await pickStoredRuns(services, first);
      if (!entries) return;
      sources = entries.map((entry) => ({ kind: 'run', entry }));
    }
    const runs = await loadSources(services, sources);
    if (!runs) return;
    await showComparison(hub, runs);
  } catch (err) {
    if (err instanceof EngineError && err.cancelled) return;
    await services.log.fail(`Collapse Lens: cannot compare: ${messageOf(err)}`, err instanceof EngineError ? err.detail : undefined);
  }
}

export async function showComparison(hub: PanelHub, runs: RunView[], allowMismatch = false): Promise<void> {
  try {
    const comparison = compareResults(runs.map((r) => r.result), runs.map((r) => r.label), allowMismatch);
    hub.showCompare({ runs, comparison });
  } catch (err) {
    if (!(err instanceof DatasetMismatchError)) throw err;
    const choice = await vscode.window.showWarningMessage(`These runs were not made on the same data: ${err.differences.join('; ')}.`, { modal: true, detail: 'Differences in the metrics may then come from the data, not the networks.' }, 'Compare anyway');
    if (choice === 'Compare anyway') await showComparison(hub, runs, true);
  }
}

/** "Analyze training trajectory": every epoch checkpoint of a folder on one dataset, metrics against epoch. */
export async function analyzeTrajectoryCommand(services: Services, hub: PanelHub, folder?: vscode.Uri): Promise<void> {
  const target = folder ?? (await vscode.window.showOpenDialog({ title: 'Folder of epoch checkpoints', canSelectFolders: true, canSelectFiles: false }))?.[0];
  if (!target) return;
  try {
    const checkpoints = await listEpochCheckpoints(target.fsPath);
    const choices = await pickSharedChoices(services, checkpoints[0].file);
    if (!choices) return;
    const runs = await analyseAll(services, checkpoints.map((c) => ({ path: c.file, label: `epoch ${c.epoch}` })), choices, `Collapse Lens: trajectory of ${basename(target.fsPath)}`);
    if (!runs) return;
    hub.showTrajectory(buildTrajectory(runs.map((r, i) => ({ epoch: checkpoints[i].epoch, result: r.result }))));
  } catch (err) {
    if (err instanceof EngineError && err.cancelled) return;
    await services.log.fail(`Collapse Lens: trajectory of ${basename(target.fsPath)} failed: ${messageOf(err)}`, err instanceof EngineError ? err.detail : undefined);
  }
}
