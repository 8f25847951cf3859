import * as vscode from 'vscode';
import { dirname, relative } from 'node:path';
import type { DatasetSpec } from '../../core/dataset/types';
import { findWorkspaceDatasets, type WorkspaceDataset } from '../workspaceDatasets';
import { testPartOf } from './testPart';

interface DatasetItem extends vscode.QuickPickItem {
  spec?: DatasetSpec;
  pair?: WorkspaceDataset;
  browse?: 'file' | 'folder';
  none?: true;
}

const shortPath = (p: string) => {
  const ws = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  return ws && p.startsWith(ws) ? relative(ws, p) || '.' : p;
};
const describe = (d: DatasetSpec) => `${shortPath(d.path)}${d.split ? ` (${d.split})` : ''}`;
const same = (a: DatasetSpec | null | undefined, b: DatasetSpec | null | undefined) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

async function browse(kind: 'file' | 'folder', title: string, near: string): Promise<string | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title,
    canSelectFiles: kind === 'file',
    canSelectFolders: kind === 'folder',
    canSelectMany: false,
    defaultUri: vscode.Uri.file(dirname(near)),
    openLabel: 'Use as dataset',
  });
  return picked?.[0]?.fsPath;
}

/**
 * The training split: datasets described in workspace collapse-lens.json files, the ones used before
 * (the one used last with this checkpoint first), or a file/folder picker. `log` hears of a
 * collapse-lens.json that was skipped because it could not be read.
 */
export async function pickTrainDataset(checkpoint: string, previous: DatasetSpec | undefined, recent: DatasetSpec[], log: (line: string) => void): Promise<{ train: DatasetSpec; suggestedTest?: DatasetSpec } | undefined> {
  const described = await findWorkspaceDatasets(log);
  const items: DatasetItem[] = [];
  if (previous) items.push({ label: `$(history) ${describe(previous)}`, description: 'used last with this checkpoint', spec: previous });
  for (const d of described) items.push({ label: `$(database) ${d.name}`, description: `train ${describe(d.train)}${d.test ? ` · test ${describe(d.test)}` : ''}`, detail: d.description ?? `from ${shortPath(d.configPath)}`, pair: d });
  for (const r of recent) if (!same(r, previous) && !described.some((d) => same(d.train, r) || same(d.test, r))) items.push({ label: `$(history) ${describe(r)}`, description: 'used before', spec: r });
  items.push({ label: '$(file) Choose a dataset file…', description: '.npz, .npy, IDX, CIFAR batch', browse: 'file' });
  items.push({ label: '$(folder) Choose a dataset folder…', description: 'image folders (one per class), IDX or CIFAR folder', browse: 'folder' });
  const pick = await vscode.window.showQuickPick(items, { title: 'Collapse Lens: training data (1/4)', placeHolder: 'Labelled data to run the checkpoint on', ignoreFocusOut: true });
  if (!pick) return undefined;
  if (pick.pair) return { train: { ...pick.pair.train, split: pick.pair.train.split ?? 'train' }, ...(pick.pair.test ? { suggestedTest: pick.pair.test } : {}) };
  if (pick.spec) return { train: pick.spec };
  const chosen = await browse(pick.browse ?? 'file', 'Training data', checkpoint);
  return chosen ? { train: { path: chosen, split: 'train' } } : undefined;
}

/**
 * The held-out split: the one described with the training data, the same source's test part (only when it
 * has one), none, or a picker.
 */
export async function pickTestDataset(train: DatasetSpec, suggested: DatasetSpec | undefined, previous: DatasetSpec | null | undefined): Promise<DatasetSpec | null | undefined> {
  const items: DatasetItem[] = [];
  if (suggested) items.push({ label: `$(database) ${describe(suggested)}`, description: 'held-out split described with the training data', spec: suggested });
  if (previous && !same(previous, suggested)) items.push({ label: `$(history) ${describe(previous)}`, description: 'used last with this checkpoint', spec: previous });
  const testPart = suggested ? null : await testPartOf(train);
  if (testPart) items.push({ label: `$(split-horizontal) Test part of ${shortPath(train.path)}`, description: 'test/ folder, t10k-* IDX files, test_batch.bin or x_test arrays', spec: testPart });
  items.push({ label: '$(circle-slash) No held-out split', description: 'training split only', none: true });
  items.push({ label: '$(file) Choose a file…', browse: 'file' });
  items.push({ label: '$(folder) Choose a folder…', browse: 'folder' });
  const pick = await vscode.window.showQuickPick(items, { title: 'Collapse Lens: held-out data (2/4)', placeHolder: 'Held-out split for test collapse (NCC accuracy uses the training means)', ignoreFocusOut: true });
  if (!pick) return undefined;
  if (pick.none) return null;
  if (pick.spec) return pick.spec;
  const chosen = await browse(pick.browse ?? 'file', 'Held-out data', train.path);
  return chosen ? { path: chosen, split: 'test' } : undefined;
}
