import * as vscode from 'vscode';
import type { RunEntry, RunStore } from '../store/runStore';

/** The Runs view: every stored analysis, newest first; open, re-run, delete and compare act on it. */
export class RunsViewProvider implements vscode.TreeDataProvider<RunEntry> {
  private readonly changed = new vscode.EventEmitter<RunEntry | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly store: RunStore) {}

  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(entry: RunEntry): vscode.TreeItem {
    const item = new vscode.TreeItem(entry.label, vscode.TreeItemCollapsibleState.None);
    item.description = `${new Date(entry.createdAt).toLocaleString()}${entry.complete ? '' : ' · incomplete'}`;
    item.tooltip = `${entry.checkpointPath}\n${entry.dataset}\nsha256 ${entry.checkpointSha.slice(0, 12)}…`;
    item.iconPath = new vscode.ThemeIcon(entry.complete ? 'graph-line' : 'warning');
    item.contextValue = 'collapseLens.run';
    item.id = `run:${entry.id}`;
    item.command = { command: 'collapseLens.openRun', title: 'Open analysis', arguments: [entry.id] };
    return item;
  }

  getChildren(entry?: RunEntry): RunEntry[] {
    return entry ? [] : [...this.store.list()];
  }

  dispose(): void {
    this.changed.dispose();
  }
}
