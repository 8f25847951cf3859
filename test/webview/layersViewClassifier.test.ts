/**
 * The Layers view's "Classifier (from weights)" node (run against the fake `vscode`): an opened
 * checkpoint shows it before any analysis, with one child per number; a stored run shows it above its
 * layers; no classifier is said plainly; the weights are asked of the engine, in one batch.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import './fakeVscode';
import type { CheckpointClassifierEntry } from '../../src/core/classifierReport';
import type { RunEntry, RunStore } from '../../src/extension/store/runStore';
import { batchedClassifierSource } from '../../src/extension/classifierBatch';
import { classifierNodeText } from '../../src/extension/views/classifierItemText';
import { tinyResult } from './helpers';

const { LayersViewProvider } = require('../../src/extension/views/layersView') as typeof import('../../src/extension/views/layersView');

const ENTRY: CheckpointClassifierEntry = {
  path: '/ckpt/mlp.onnx',
  format: 'onnx',
  classifier: {
    input: 'fc2',
    output: 'logits',
    description: 'Gemm transB=1',
    numClasses: 3,
    dim: 4,
    equinorm: 0.0878,
    equiangularity: 0.2108,
    maxAngle: 0.1727,
    etfDistance: 0.5578,
    rowNorms: [1.5, 2, 2.5],
    bias: { mean: 0.1, std: 0.29, min: -0.3, max: 0.5 },
    cosines: [[1, -0.5, -0.5], [-0.5, 1, -0.5], [-0.5, -0.5, 1]],
  },
};
const NONE: CheckpointClassifierEntry = { path: '/ckpt/conv.onnx', format: 'onnx', classifier: null, classifierUnavailable: 'the logits "out" come from a Conv node, not a linear map' };

function emptyStore(entries: RunEntry[] = []): RunStore {
  return { list: () => entries, get: (id: string) => entries.find((e) => e.id === id), load: () => Promise.resolve(tinyResult()) } as unknown as RunStore;
}

test('an opened checkpoint shows the classifier node, expanded, with a child per number; the tooltip names the layer', async () => {
  const asked: string[][] = [];
  const source = batchedClassifierSource((paths) => {
    asked.push(paths);
    return Promise.resolve(paths.map((p) => (p === NONE.path ? NONE : { ...ENTRY, path: p })));
  });
  const view = new LayersViewProvider(emptyStore(), source);
  await Promise.all([view.openCheckpoint('/ckpt/conv.onnx'), view.openCheckpoint('/ckpt/mlp.onnx')]);
  assert.deepEqual(asked, [['/ckpt/conv.onnx', '/ckpt/mlp.onnx']], 'one engine request for both');
  const roots = await view.getChildren();
  assert.deepEqual(roots.map((n) => n.kind === 'opened' && n.path), ['/ckpt/mlp.onnx', '/ckpt/conv.onnx'], 'the latest opened first');
  const [classifier] = await view.getChildren(roots[0]);
  assert.ok(classifier);
  const item = view.getTreeItem(classifier);
  assert.equal(item.label, 'Classifier (from weights)');
  assert.equal(item.description, 'ETF distance 0.558, K = 3');
  assert.equal(item.collapsibleState, 2);
  assert.match((item.tooltip as { value: string }).value, /3 classes × 4 features, reading `fc2` \(Gemm transB=1\)/);
  const rows = (await view.getChildren(classifier)).map((n) => view.getTreeItem(n));
  assert.deepEqual(rows.map((r) => [r.label, r.description]), [
    ['ETF distance', '0.558'],
    ['Equinorm', '0.0878'],
    ['Equiangularity', '0.211'],
    ['Max-angle', '0.173'],
    ['Row norms', '1.50 – 2.50'],
    ['Bias', 'std 0.290, [-0.300, 0.500]'],
  ]);
  const [none] = await view.getChildren(roots[1]);
  assert.ok(none);
  const noneItem = view.getTreeItem(none);
  assert.equal(noneItem.description, 'none found');
  assert.equal(noneItem.collapsibleState, 0);
  assert.equal((noneItem.tooltip as { value: string }).value, 'No classifier: the logits "out" come from a Conv node, not a linear map');
  view.dispose();
});

test('a stored run lists the classifier node above its layers; an engine failure is said on the node', async () => {
  const entry = { id: 'run1', checkpointPath: '/ckpt/mlp.onnx', dataset: 'fashion', complete: true, createdAt: 0, label: 'mlp' } as unknown as RunEntry;
  const view = new LayersViewProvider(emptyStore([entry]), () => Promise.reject(new Error('The analysis engine exited with code 1 before finishing.')));
  const [root] = await view.getChildren();
  assert.ok(root && root.kind === 'checkpoint');
  const children = await view.getChildren(root);
  assert.equal(children[0]?.kind, 'classifier');
  assert.equal(children.length, 1 + tinyResult().layers.length);
  assert.equal(view.getTreeItem(children[0]!).description, 'reading the weights…');
  assert.deepEqual(await view.getChildren(children[0]), []);
  const failed = view.getTreeItem(children[0]!);
  assert.equal(failed.description, 'could not be read');
  assert.match((failed.tooltip as { value: string }).value, /engine exited with code 1/);
  view.dispose();
});

test('the node text: an unreadable checkpoint and a classifier without a bias are said plainly', () => {
  assert.match(classifierNodeText({ path: '/x.onnx', classifier: null, error: '/x.onnx: no such file or directory' }).tooltip, /^No classifier: the checkpoint cannot be read: \/x\.onnx: no such file/);
  const noBias = classifierNodeText({ ...ENTRY, classifier: { ...ENTRY.classifier!, bias: null, unavailable: { maxAngle: 'a centred row is zero' } } });
  assert.deepEqual(noBias.rows.find((r) => r.label === 'Bias')?.description, 'no bias term');
  assert.match(noBias.rows.find((r) => r.label === 'Max-angle')?.tooltip ?? '', /not computed: a centred row is zero/);
});

test('at K = 1,000 the row-norms tooltip lists the first 20 norms and says how many more, the range still over all of them', () => {
  const rowNorms = Array.from({ length: 1000 }, (_, i) => 1 + i / 1000);
  const text = classifierNodeText({ ...ENTRY, classifier: { ...ENTRY.classifier!, numClasses: 1000, rowNorms } });
  const row = text.rows.find((r) => r.label === 'Row norms');
  assert.ok(row, 'a Row norms row');
  assert.match(row.tooltip, /, … \(980 more: the classifier card in the panel has them all\)$/);
  assert.equal(row.tooltip.split(': ')[1]!.split(', ').length, 21, 'twenty norms and the ellipsis');
  assert.match(row.description, /^1\.00+ – 2\.00/);
});
