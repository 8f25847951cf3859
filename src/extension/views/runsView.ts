import * as vscode from 'vscode';
import type { RunEntry, RunStore } from '../store/runStore';
import { shortWhen } from './shortWhen';

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
    const made = new Date(entry.createdAt);
    // "incomplete" first: at a narrow width the end of the description is what gets cut.
    item.description = `${entry.complete ? '' : 'incomplete · '}${shortWhen(made, new Date())}`;
    item.tooltip = `${entry.checkpointPath}\n${entry.dataset}\nanalysed ${made.toLocaleString()}${entry.complete ? '' : ' (incomplete)'}\nsha256 ${entry.checkpointSha.slice(0, 12)}…`;
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
