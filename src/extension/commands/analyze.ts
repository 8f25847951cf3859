import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { Services } from '../services';
import { EngineError } from '../engineClient';
import { readSettings } from '../settings';
import { RunStore, rerunRequest } from '../store/runStore';
import { runAnalysis } from '../analysisRunner';
import { recentDatasets, rememberChoices, rememberedChoices, type AnalysisChoices } from './choices';
import { pickTestDataset, pickTrainDataset } from './pickDataset';
import { pickLayers, pickPerClass, pickReduction } from './pickOptions';
import { requestFrom } from './request';

export { requestFrom } from './request';

/** The checkpoint open in the editor, else one picked in a file dialog. */
export async function checkpointFromEditor(): Promise<vscode.Uri | undefined> {
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active && /\.onnx$|model\.json$/i.test(active.fsPath)) return active;
  const picked = await vscode.window.showOpenDialog({ title: 'Checkpoint to analyze', canSelectMany: false, filters: { Checkpoints: ['onnx', 'json'] } });
  return picked?.[0];
}

async function resolveCheckpoint(uri: vscode.Uri | undefined): Promise<vscode.Uri | undefined> {
  return uri instanceof vscode.Uri ? uri : checkpointFromEditor();
}

/** "Analyze neural collapse": right-click a checkpoint, answer four quick picks, watch the panel fill in. */
export async function analyzeCommand(services: Services, target?: vscode.Uri): Promise<void> {
  const uri = await resolveCheckpoint(target);
  if (!uri) return;
  const checkpoint = uri.fsPath;
  const { engine, log, context } = services;

  // The engine reads the file: a model.json that is not TF.js, or a corrupt .onnx, is refused here with the reason.
  let layers;
  try {
    layers = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Reading ${basename(checkpoint)}` }, () => engine.layers(checkpoint));
  } catch (err) {
    const message = err instanceof EngineError ? err.message : String(err);
    await log.fail(`Collapse Lens cannot analyze ${basename(checkpoint)}: ${message}`, err instanceof EngineError ? err.detail : undefined);
    return;
  }

  // The classifier's geometry needs only the weights: shown in the side panel while the dataset is picked.
  services.openCheckpoint(checkpoint);

  const previous = rememberedChoices(context.globalState, checkpoint);
  let settings: ReturnType<typeof readSettings>;
  try {
    settings = readSettings(uri);
  } catch (err) {
    await log.fail(`Collapse Lens: ${err instanceof Error ? err.message : String(err)}`);
    return;
  }
  const train = await pickTrainDataset(checkpoint, previous?.train, recentDatasets(context.globalState), (line) => log.channel.warn(line));
  if (!train) return;
  const test = await pickTestDataset(train.train, train.suggestedTest, JSON.stringify(previous?.train) === JSON.stringify(train.train) ? previous?.test : undefined);
  if (test === undefined) return;
  const perClass = await pickPerClass(previous?.perClass, settings.samplesPerClass);
  if (perClass === undefined) return;
  const selection = await pickLayers(layers.layers, previous?.layers, layers.tokens, previous?.reduction);
  if (selection === undefined) return;
  // The layers step's gap choice sets the reduction itself; otherwise a transformer gets its token step.
  const reduction = selection.reduction ? { reduction: selection.reduction } : await pickReduction(layers.tokens, previous?.reduction, settings.reduction);
  if (reduction === undefined) return;
  const choices: AnalysisChoices = { train: train.train, test, perClass, layers: selection.layers, ...(reduction.reduction ? { reduction: reduction.reduction } : {}) };
  await rememberChoices(context.globalState, checkpoint, choices);

  const request = requestFrom(checkpoint, choices, settings);
  const runId = await RunStore.keyRequest(request);
  const stored = services.store.get(runId);
  if (stored?.complete) {
    // Same checkpoint content, data and settings: show the stored result at once; re-running is explicit.
    await services.openRun(runId);
    const again = await vscode.window.showInformationMessage(`Collapse Lens: showing the stored analysis of ${basename(checkpoint)} from ${new Date(stored.createdAt).toLocaleString()}.`, 'Re-run');
    if (again !== 'Re-run') return;
  }
  await runAnalysis(engine, services.store, log, runId, request, services.observer);
}

/**
 * Re-runs a stored analysis with the request it was made with, on the checkpoint as it is now: the
 * file is hashed again, so new weights under the same path get a run of their own and the stored one
 * stays. A run stored without its request goes through the picks again. (Re-running with the choices
 * last made for the checkpoint would have stored another dataset's numbers under this run.)
 */
export async function rerunCommand(services: Services, runId: string): Promise<void> {
  const entry = services.store.get(runId);
  if (!entry) return;
  let settings: ReturnType<typeof readSettings>;
  try {
    settings = readSettings(vscode.Uri.file(entry.checkpointPath));
  } catch (err) {
    // The panel's Re-run button calls this without awaiting: a malformed setting must be said, not dropped.
    await services.log.fail(`Collapse Lens: ${err instanceof Error ? err.message : String(err)}`);
    return;
  }
  const request = rerunRequest(entry, settings);
  if (!request) {
    await analyzeCommand(services, vscode.Uri.file(entry.checkpointPath));
    return;
  }
  await runAnalysis(services.engine, services.store, services.log, await RunStore.keyRequest(request), request, services.observer);
}
