/**
 * The Layers view's rows as VS Code gets them (LayersViewProvider over a stub store, the vscode module
 * faked): each layer by the same short name as the panel's charts and table, the full tensor name in the
 * accessible label, and a hover that reads "(Relu, D = 64)", not "(Relu, 64 = 64)".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import './fakeVscode';
import type { AnalysisResult } from '../../src/core/result';
import type { RunEntry, RunStore } from '../../src/extension/store/runStore';
import { tinyResult, layer } from './helpers';

// After the fake is installed: the provider imports `vscode`.
const { LayersViewProvider } = require('../../src/extension/views/layersView') as typeof import('../../src/extension/views/layersView');

function cnnLike(): AnalysisResult {
  const r = tinyResult();
  const names = ['/pool1/MaxPool_output_0', '/block/relu_out/Relu_output_0', '/Flatten_output_0', '/relu_fc/Relu_output_0', 'logits'];
  r.layers = names.map((name, i) => layer(name, i, { nc1: 1 / (i + 1), nccAccuracy: 0.5 + i / 10 }));
  r.layers[0]!.op = 'MaxPool';
  r.layers[0]!.shape = [16, 14, 14];
  r.layers[0]!.dim = 3136;
  r.layers[3]!.op = 'Relu';
  r.layers[3]!.shape = [64];
  r.layers[3]!.dim = 64;
  return r;
}

test('the Layers view names layers by the short-name rule, keeps the full name for screen readers, and says "D = 64"', async () => {
  const result = cnnLike();
  const entry: RunEntry = { id: 'run-1', label: 'cnn.onnx', checkpointPath: '/w/cnn.onnx', checkpointSha: 'x', dataset: 'fashion', createdAt: new Date(0).toISOString(), complete: true };
  const store = { list: () => [entry], load: () => Promise.resolve(result) } as unknown as RunStore;
  const view = new LayersViewProvider(store);
  const [checkpoint] = await view.getChildren();
  const children = await view.getChildren(checkpoint);
  // The classifier's geometry (from the weights) comes first, then the layers in depth order.
  assert.equal(children[0]?.kind, 'classifier');
  const rows = children.filter((row) => row.kind === 'layer');
  const items = rows.map((row) => view.getTreeItem(row));
  assert.deepEqual(
    items.map((i) => i.label),
    ['pool1', 'block/relu_out', 'Flatten', 'relu_fc', 'logits'],
  );
  assert.deepEqual(
    items.map((i) => i.accessibilityInformation?.label.split(',')[0]),
    result.layers.map((l) => `#${l.depth} ${l.name}`),
  );
  const tooltip = (i: number) => (items[i]!.tooltip as { value: string }).value;
  assert.match(tooltip(3), /^\*\*#3 \/relu_fc\/Relu_output_0\*\* \(Relu, D = 64\)\n/);
  assert.match(tooltip(0), /\(MaxPool, 16×14×14, D = 3,136\)/);
  assert.doesNotMatch(items.map((_, i) => tooltip(i)).join('\n'), /(\d+) = \1\)/);
});
