import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { AnalysisResult, LayerResult } from '../../core/result';
import type { RunEntry, RunStore } from '../store/runStore';
import { collapseIcon } from './collapseLevel';
import { layerItemText } from './layerItemText';
import { layerNamer } from '../../core/layerNames';

export type LayersNode =
  | { kind: 'checkpoint'; entry: RunEntry }
  | { kind: 'layer'; runId: string; layer: LayerResult; isClassifierInput: boolean; classCount: number; shortName: string };

/**
 * The side panel's Layers view: each analysed checkpoint (its latest stored run) expands to its probed
 * layers, with NC1 and NCC accuracy beside each and a colour for how collapsed it is.
 */
export class LayersViewProvider implements vscode.TreeDataProvider<LayersNode> {
  private readonly changed = new vscode.EventEmitter<LayersNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly cache = new Map<string, AnalysisResult>();

  constructor(private readonly store: RunStore) {}

  /** A run finished or changed: drop its cached result and redraw. */
  refresh(runId?: string, result?: AnalysisResult): void {
    if (runId && result) this.cache.set(runId, result);
    else if (runId) this.cache.delete(runId);
    this.changed.fire(undefined);
  }

  getTreeItem(node: LayersNode): vscode.TreeItem {
    if (node.kind === 'checkpoint') {
      const item = new vscode.TreeItem(basename(node.entry.checkpointPath), vscode.TreeItemCollapsibleState.Expanded);
      item.description = node.entry.dataset + (node.entry.complete ? '' : ' (incomplete)');
      item.tooltip = `${node.entry.checkpointPath}\nanalysed ${new Date(node.entry.createdAt).toLocaleString()}`;
      item.iconPath = new vscode.ThemeIcon('circuit-board');
      item.contextValue = 'collapseLens.checkpoint';
      item.id = `ckpt:${node.entry.id}`;
      item.command = { command: 'collapseLens.openRun', title: 'Open analysis', arguments: [node.entry.id] };
      return item;
    }
    const text = layerItemText(node.layer, node.classCount, node.isClassifierInput);
    const item = new vscode.TreeItem(node.shortName, vscode.TreeItemCollapsibleState.None);
    item.description = text.description;
    // Screen readers (and the end-to-end test) get the full tensor name the label may shorten.
    item.accessibilityInformation = { label: text.accessibilityLabel };
    item.tooltip = new vscode.MarkdownString(text.tooltip);
    item.iconPath = collapseIcon(node.layer.metrics.train.nc1, text.lowRank);
    item.contextValue = 'collapseLens.layer';
    item.id = `layer:${node.runId}:${node.layer.name}`;
    item.command = { command: 'collapseLens.selectLayer', title: 'Show layer', arguments: [node.runId, node.layer.name] };
    return item;
  }

  async getChildren(node?: LayersNode): Promise<LayersNode[]> {
    if (!node) {
      // The latest run per checkpoint file.
      const latest = new Map<string, RunEntry>();
      for (const e of this.store.list()) if (!latest.has(e.checkpointPath)) latest.set(e.checkpointPath, e);
      return [...latest.values()].map((entry) => ({ kind: 'checkpoint', entry }));
    }
    if (node.kind !== 'checkpoint') return [];
    let result = this.cache.get(node.entry.id);
    if (!result) {
      // An invalid stored result lists no layers here; opening the run says which file and field are wrong.
      result = await this.store.load(node.entry.id).catch(() => undefined);
      if (result) this.cache.set(node.entry.id, result);
    }
    if (!result) return [];
    const input = result.classifier?.input;
    // The same short names as the analysis panel's charts and table (src/core/layerNames.ts).
    const shortName = layerNamer(result.layers.map((l) => l.name));
    const classCount = result.classes.count;
    return result.layers.map((layer) => ({ kind: 'layer', runId: node.entry.id, layer, isClassifierInput: layer.name === input, classCount, shortName: shortName(layer.name) }));
  }

  dispose(): void {
    this.changed.dispose();
  }
}
