import * as vscode from 'vscode';
import { describeWorkspaceDatasets, type WorkspaceDataset } from '../core/dataset';
import { messageOf } from '../core/messageOf';

export type { WorkspaceDataset };

/**
 * Datasets described in the workspace's collapse-lens.json files, for the analyze quick pick. A broken
 * file is logged and skipped: it must not hide the other choices.
 */
export async function findWorkspaceDatasets(log: (line: string) => void): Promise<WorkspaceDataset[]> {
  const files = await vscode.workspace.findFiles('**/collapse-lens.json', '**/node_modules/**', 50);
  const found: WorkspaceDataset[] = [];
  for (const file of files.sort((a, b) => a.fsPath.localeCompare(b.fsPath))) {
    try {
      found.push(...(await describeWorkspaceDatasets(file.fsPath)));
    } catch (err) {
      log(`skipping ${file.fsPath}: ${messageOf(err)}`);
    }
  }
  return found;
}
