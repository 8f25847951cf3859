/**
 * The host keeps a large-K result's packed layer matrices back from the panels (issue 13: a K = 1,000
 * result of 14 probes and two splits was a ~300 MB postMessage): the analysis page is posted the result
 * without them, marked as held, gets one layer's split when it asks, and the JSON export is still the
 * complete result from the host's copy. Small-K results are posted exactly as before. Run against the
 * fake `vscode` (fakeVscode.ts).
 */
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { fake, fakeContext, FakeLog, FakeUri, flush, fromWebview, postedKinds, resetFake } from './fakeVscode';
import type { HostToAnalysisPanel, HostToComparePanel, LayerMatricesReply, RunView } from '../../src/protocol/webview';
import type { AnalysisResult } from '../../src/core/result';
import { packResultMatrices } from '../../src/core/packResultMatrices';
import { isPackedMatrix } from '../../src/core/packedMatrix';
import { compareResults } from '../../src/core/compare/compareResult';
import { largeResult } from '../unit/helpers/largeResult';
import { holdBackLayerMatrices } from '../../src/extension/panels/heldMatrices';
import { parseAnalysisPanelMessage } from '../../src/extension/panels/panelMessages';
import { tinyResult } from './helpers';

const { AnalysisPanel, registerAnalysisPanelSerializer } = require('../../src/extension/panels/analysisPanel') as typeof import('../../src/extension/panels/analysisPanel');
const { ComparePanel } = require('../../src/extension/panels/comparePanel') as typeof import('../../src/extension/panels/comparePanel');

type Deps = Parameters<typeof AnalysisPanel.createOrShow>[3];
type Context = Parameters<typeof AnalysisPanel.createOrShow>[0];

const context = (): Context => fakeContext() as unknown as Context;

function deps(runs = new Map<string, RunView>()): Deps {
  return { log: new FakeLog(), onLayerSelected: () => undefined, onRerun: () => undefined, loadRun: (id: string) => Promise.resolve(runs.get(id)) } as unknown as Deps;
}

/** A K > 64 run as the store keeps it: every layer matrix packed (and the classifier's cosines). */
function bigRun(runId = 'big'): RunView {
  return { runId, label: 'big run', result: packResultMatrices(largeResult()) };
}

const MATRIX_FIELDS = ['cdnvMatrix', 'meanCosines'] as const;

function shown(posted: unknown[]): RunView {
  const show = posted.find((m) => (m as HostToAnalysisPanel).kind === 'show') as Extract<HostToAnalysisPanel, { kind: 'show' }>;
  return show.run;
}

beforeEach(() => {
  for (const p of AnalysisPanel.all()) p.dispose();
  ComparePanel.disposeAll();
  resetFake();
});

test('a small-K result is posted exactly as stored, with nothing held', () => {
  const run: RunView = { runId: 'r1', label: 'tiny', result: tinyResult() };
  assert.equal(holdBackLayerMatrices(run), run, 'nothing packed: the very same object');
  AnalysisPanel.createOrShow(context(), run, true, deps());
  const panel = fake.panels[0]!;
  fromWebview(panel, { kind: 'ready' });
  const posted = shown(panel.webview.posted);
  assert.deepEqual(posted, run);
  assert.equal(posted.heldMatrices, undefined);
});

test('K > 64: the posted result holds no packed layer matrix, each one listed as held; the stored run is unchanged', () => {
  const run = bigRun();
  const stored = structuredClone(run);
  AnalysisPanel.createOrShow(context(), run, true, deps());
  const panel = fake.panels[0]!;
  fromWebview(panel, { kind: 'ready' });
  const posted = shown(panel.webview.posted);
  for (const layer of posted.result.layers) {
    for (const split of ['train', 'test'] as const) {
      for (const f of MATRIX_FIELDS) assert.equal(layer.metrics[split]![f], null, `${layer.name} ${split} ${f} is held back`);
    }
  }
  assert.deepEqual(
    posted.heldMatrices,
    run.result.layers.flatMap((l) => (['train', 'test'] as const).map((split) => ({ layer: l.name, split, fields: [...MATRIX_FIELDS] }))),
  );
  // Everything else arrives as stored (the scalars, the classifier card's one matrix).
  assert.deepEqual(posted.result.layers.map((l) => l.metrics.train.nc1), run.result.layers.map((l) => l.metrics.train.nc1));
  assert.ok(isPackedMatrix(posted.result.classifier!.cosines!));
  assert.deepEqual(run, stored, 'holding back copies: the stored result keeps every matrix');
  assert.ok(JSON.stringify(posted).length < JSON.stringify(run).length / 2, 'the message is the smaller for it');
});

test('a layerMatrices request gets exactly that layer and split, from the host copy; a bad one gets the reason', () => {
  const run = bigRun();
  AnalysisPanel.createOrShow(context(), run, true, deps());
  const panel = fake.panels[0]!;
  fromWebview(panel, { kind: 'ready' });
  fromWebview(panel, { kind: 'layerMatrices', runId: 'big', layer: 'l1', split: 'test' });
  const reply = panel.webview.posted.at(-1) as LayerMatricesReply;
  const host = run.result.layers[1]!.metrics.test!;
  assert.deepEqual(reply, { kind: 'layerMatrices', runId: 'big', layer: 'l1', split: 'test', matrices: { cdnvMatrix: host.cdnvMatrix, meanCosines: host.meanCosines } });
  assert.notDeepEqual(host.cdnvMatrix, run.result.layers[1]!.metrics.train.cdnvMatrix, 'the split asked for, not the other');

  fromWebview(panel, { kind: 'layerMatrices', runId: 'big', layer: 'nope', split: 'train' });
  assert.match((panel.webview.posted.at(-1) as { error: string }).error, /layer nope has no train split in run big/);
  fromWebview(panel, { kind: 'layerMatrices', runId: 'old', layer: 'l0', split: 'train' });
  assert.match((panel.webview.posted.at(-1) as { error: string }).error, /the panel now shows run big, not run old/);
  assert.equal(parseAnalysisPanelMessage({ kind: 'layerMatrices', runId: 'big', layer: 'l0', split: 'validation' }), undefined, 'no such split');
});

test('the JSON export writes the complete result with every packed matrix, from the host copy', async () => {
  const run = bigRun();
  AnalysisPanel.createOrShow(context(), run, true, deps());
  const panel = fake.panels[0]!;
  fromWebview(panel, { kind: 'ready' });
  fake.saveDialogAnswer = FakeUri.file('/workspace/big.json');
  fromWebview(panel, { kind: 'exportResult', suggestedName: 'big-run-result' });
  await flush();
  assert.deepEqual(fake.saveDialogOptions[0]?.filters, { 'Collapse Lens result (JSON)': ['json'] });
  assert.equal(fake.written.length, 1);
  const text = Buffer.from(fake.written[0]!.bytes).toString('utf8');
  assert.equal(text, `${JSON.stringify(run.result, null, 2)}\n`);
  const saved = JSON.parse(text) as AnalysisResult;
  for (const layer of saved.layers) for (const f of MATRIX_FIELDS) assert.ok(isPackedMatrix(layer.metrics.test![f]!), `${layer.name} ${f} is in the export`);
});

test('a panel restored after a reload is posted the held form and answers the page asking again', async () => {
  const runs = new Map([['big', bigRun()]]);
  const d = deps(runs);
  registerAnalysisPanelSerializer(context(), d);
  const { FakePanel } = await import('./fakeVscode');
  const restored = new FakePanel('collapseLens.analysis', 'old', {});
  await fake.serializers.get('collapseLens.analysis')!.deserializeWebviewPanel(restored, { runId: 'big', selectedLayer: 'l0' });
  fromWebview(restored, { kind: 'ready' });
  assert.deepEqual(postedKinds(restored), ['show']);
  assert.equal(shown(restored.webview.posted).heldMatrices?.length, 4);
  fromWebview(restored, { kind: 'layerMatrices', runId: 'big', layer: 'l0', split: 'train' });
  const reply = restored.webview.posted.at(-1) as LayerMatricesReply;
  assert.ok('matrices' in reply);
  assert.deepEqual(reply.matrices.cdnvMatrix, runs.get('big')!.result.layers[0]!.metrics.train.cdnvMatrix);
});

test('the compare panel, which draws no per-pair matrix, is posted the runs without the packed layer matrices', () => {
  const runs = [bigRun('a'), bigRun('b')];
  const message: HostToComparePanel = {
    kind: 'compare',
    view: { runs, comparison: compareResults(runs.map((r) => r.result), ['a', 'b'], false) },
  };
  ComparePanel.show(context(), message, { log: new FakeLog(), openRun: () => undefined, loadRun: () => Promise.resolve(undefined) } as unknown as Parameters<typeof ComparePanel.show>[2]);
  const panel = fake.panels[0]!;
  fromWebview(panel, { kind: 'ready' });
  const posted = panel.webview.posted[0] as Extract<HostToComparePanel, { kind: 'compare' }>;
  assert.deepEqual(posted.view.comparison, message.view.comparison);
  for (const r of posted.view.runs) {
    assert.equal(r.heldMatrices?.length, 4);
    for (const layer of r.result.layers) for (const f of MATRIX_FIELDS) assert.equal(layer.metrics.train[f], null);
  }
  assert.ok(isPackedMatrix(runs[0]!.result.layers[0]!.metrics.train.cdnvMatrix!), 'the runs kept for a reload are whole');
});
