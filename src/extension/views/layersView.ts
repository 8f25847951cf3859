import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { AnalysisResult, LayerResult } from '../../core/result';
import type { CheckpointClassifierEntry } from '../../core/classifierReport';
import type { RunEntry, RunStore } from '../store/runStore';
import { collapseIcon } from './collapseLevel';
import { layerItemText } from './layerItemText';
import { layerNamer } from '../../core/layerNames';
import { CLASSIFIER_NODE_LABEL, classifierNodeText, failedClassifierText, pendingClassifierText, type ClassifierNodeText } from './classifierItemText';

export type LayersNode =
  | { kind: 'checkpoint'; entry: RunEntry }
  /** A checkpoint opened (right-clicked, or picked to analyse) that has no stored analysis yet. */
  | { kind: 'opened'; path: string }
  | { kind: 'classifier'; path: string; expanded: boolean }
  | { kind: 'classifierRow'; path: string; index: number }
  | { kind: 'layer'; runId: string; layer: LayerResult; isClassifierInput: boolean; classCount: number; shortName: string };

/** Reads a checkpoint's classifier in the engine process (EngineClient.classifier). */
export type ClassifierSource = (checkpoint: string) => Promise<CheckpointClassifierEntry>;

/**
 * The side panel's Layers view: each analysed checkpoint (its latest stored run) expands to the
 * classifier's geometry from its weights and its probed layers, with NC1 and NCC accuracy beside each
 * and a colour for how collapsed it is. A checkpoint opened before any dataset was picked shows the
 * classifier's geometry alone.
 */
export class LayersViewProvider implements vscode.TreeDataProvider<LayersNode> {
  private readonly changed = new vscode.EventEmitter<LayersNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly cache = new Map<string, AnalysisResult>();
  /** Per checkpoint path: the engine's answer once it came, the words to show meanwhile. */
  private readonly classifiers = new Map<string, { text: ClassifierNodeText; done: Promise<void> }>();
  private readonly opened: string[] = [];

  constructor(
    private readonly store: RunStore,
    private readonly classifierSource?: ClassifierSource,
  ) {}

  /** A run finished or changed: drop its cached result (and the weights read before it) and redraw. */
  refresh(runId?: string, result?: AnalysisResult): void {
    if (runId && result) this.cache.set(runId, result);
    else if (runId) this.cache.delete(runId);
    // The checkpoint may have been retrained in place: its weights are read again when shown.
    const path = runId ? (result?.checkpoint.path ?? this.store.get(runId)?.checkpointPath) : undefined;
    if (path) this.classifiers.delete(path);
    this.changed.fire(undefined);
  }

  /** Shows a checkpoint's classifier geometry at once (read again from its weights), before any dataset. */
  openCheckpoint(path: string): Promise<void> {
    const i = this.opened.indexOf(path);
    if (i >= 0) this.opened.splice(i, 1);
    this.opened.unshift(path);
    this.classifiers.delete(path);
    const done = this.classifierText(path).done;
    this.changed.fire(undefined);
    return done;
  }

  /** The words for a checkpoint's classifier node; starts the engine read on first use. */
  private classifierText(path: string): { text: ClassifierNodeText; done: Promise<void> } {
    let known = this.classifiers.get(path);
    if (known) return known;
    if (!this.classifierSource) {
      known = { text: failedClassifierText('no engine to read it'), done: Promise.resolve() };
      this.classifiers.set(path, known);
      return known;
    }
    const slot: { text: ClassifierNodeText; done: Promise<void> } = { text: pendingClassifierText(), done: Promise.resolve() };
    slot.done = this.classifierSource(path).then(
      (entry) => {
        slot.text = classifierNodeText(entry);
      },
      (err: unknown) => {
        slot.text = failedClassifierText(err instanceof Error ? err.message : String(err));
      },
    ).then(() => {
      if (this.classifiers.get(path) === slot) this.changed.fire(undefined);
    });
    this.classifiers.set(path, slot);
    return slot;
  }

  getTreeItem(node: LayersNode): vscode.TreeItem {
    switch (node.kind) {
      case 'checkpoint': {
        const item = new vscode.TreeItem(basename(node.entry.checkpointPath), vscode.TreeItemCollapsibleState.Expanded);
        item.description = node.entry.dataset + (node.entry.complete ? '' : ' (incomplete)');
        item.tooltip = `${node.entry.checkpointPath}\nanalysed ${new Date(node.entry.createdAt).toLocaleString()}`;
        item.iconPath = new vscode.ThemeIcon('circuit-board');
        item.contextValue = 'collapseLens.checkpoint';
        item.id = `ckpt:${node.entry.id}`;
        item.command = { command: 'collapseLens.openRun', title: 'Open analysis', arguments: [node.entry.id] };
        return item;
      }
      case 'opened': {
        const item = new vscode.TreeItem(basename(node.path), vscode.TreeItemCollapsibleState.Expanded);
        item.description = 'not analysed yet';
        item.accessibilityInformation = { label: `${basename(node.path)}, not analysed yet` };
        item.tooltip = `${node.path}\nThe classifier's geometry needs only the weights; the layers appear once it is analysed on a dataset.`;
        item.iconPath = new vscode.ThemeIcon('circuit-board');
        item.contextValue = 'collapseLens.openedCheckpoint';
        item.id = `opened:${node.path}`;
        return item;
      }
      case 'classifier': {
        const { text } = this.classifierText(node.path);
        const state = text.rows.length === 0 ? vscode.TreeItemCollapsibleState.None : node.expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
        const item = new vscode.TreeItem(CLASSIFIER_NODE_LABEL, state);
        item.description = text.description;
        item.accessibilityInformation = { label: `${CLASSIFIER_NODE_LABEL}: ${text.description}` };
        item.tooltip = new vscode.MarkdownString(text.tooltip);
        item.iconPath = new vscode.ThemeIcon('symbol-constant');
        item.contextValue = 'collapseLens.classifier';
        // The id carries whether the rows are known: VS Code keeps a node's expansion state by id.
        item.id = `classifier:${node.path}:${text.rows.length > 0 ? 'read' : 'pending'}`;
        return item;
      }
      case 'classifierRow': {
        const row = this.classifierText(node.path).text.rows[node.index];
        const item = new vscode.TreeItem(row?.label ?? '', vscode.TreeItemCollapsibleState.None);
        item.description = row?.description ?? '';
        item.accessibilityInformation = { label: `${row?.label ?? ''}: ${row?.description ?? ''}` };
        item.tooltip = new vscode.MarkdownString(row?.tooltip ?? '');
        item.id = `classifier:${node.path}:row:${node.index}`;
        return item;
      }
      case 'layer': {
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
    }
  }

  async getChildren(node?: LayersNode): Promise<LayersNode[]> {
    if (!node) {
      // The latest run per checkpoint file, after the checkpoints opened without one.
      const latest = new Map<string, RunEntry>();
      for (const e of this.store.list()) if (!latest.has(e.checkpointPath)) latest.set(e.checkpointPath, e);
      const opened: LayersNode[] = this.opened.filter((p) => !latest.has(p)).map((path) => ({ kind: 'opened', path }));
      return [...opened, ...[...latest.values()].map((entry): LayersNode => ({ kind: 'checkpoint', entry }))];
    }
    if (node.kind === 'opened') return [{ kind: 'classifier', path: node.path, expanded: true }];
    if (node.kind === 'classifier') {
      const slot = this.classifierText(node.path);
      await slot.done;
      return slot.text.rows.map((_, index) => ({ kind: 'classifierRow', path: node.path, index }));
    }
    if (node.kind !== 'checkpoint') return [];
    const classifier: LayersNode = { kind: 'classifier', path: node.entry.checkpointPath, expanded: this.opened.includes(node.entry.checkpointPath) };
    let result = this.cache.get(node.entry.id);
    if (!result) {
      // An invalid stored result lists no layers here; opening the run says which file and field are wrong.
      result = await this.store.load(node.entry.id).catch(() => undefined);
      if (result) this.cache.set(node.entry.id, result);
    }
    if (!result) return [classifier];
    const input = result.classifier?.input;
    // The same short names as the analysis panel's charts and table (src/core/layerNames.ts).
    const shortName = layerNamer(result.layers.map((l) => l.name));
    const classCount = result.classes.count;
    return [classifier, ...result.layers.map((layer): LayersNode => ({ kind: 'layer', runId: node.entry.id, layer, isClassifierInput: layer.name === input, classCount, shortName: shortName(layer.name) }))];
  }

  dispose(): void {
    this.changed.dispose();
  }
}
