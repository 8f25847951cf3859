/**
 * The host side of the analysis panel, run against a fake `vscode` (see fakeVscode.ts): html set once,
 * messages held until the page says `ready` and replayed when a hidden panel comes back, the webview's
 * requests routed, exports saved, everything disposed, and panels revived by the serializer.
 */
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { fake, fakeContext, FakeLog, FakeUri, flush, fromWebview, postedKinds, resetFake } from './fakeVscode';
import type { RunView } from '../../src/protocol/webview';
import type { ProgressInfo } from '../../src/protocol/engine';
import { tinyResult } from './helpers';

// Loaded after fakeVscode has hooked `require('vscode')`.
const panels = require('../../src/extension/panels/analysisPanel') as typeof import('../../src/extension/panels/analysisPanel');
const { AnalysisPanel, registerAnalysisPanelSerializer } = panels;

type Deps = Parameters<typeof AnalysisPanel.createOrShow>[3];
type Context = Parameters<typeof AnalysisPanel.createOrShow>[0];

interface Harness {
  deps: Deps;
  log: FakeLog;
  selected: [string, string][];
  reruns: string[];
  runs: Map<string, RunView>;
}

function harness(): Harness {
  const log = new FakeLog();
  const selected: [string, string][] = [];
  const reruns: string[] = [];
  const runs = new Map<string, RunView>();
  const deps = {
    log,
    onLayerSelected: (runId: string, layer: string) => selected.push([runId, layer]),
    onRerun: (runId: string) => reruns.push(runId),
    loadRun: (runId: string) => Promise.resolve(runs.get(runId)),
  } as unknown as Deps;
  return { deps, log, selected, reruns, runs };
}

const context = (): Context => fakeContext() as unknown as Context;
const run = (runId: string): RunView => ({ runId, label: `run ${runId}`, result: tinyResult() });
const progress: ProgressInfo = { stage: 'pass1', split: 'train', done: 10, total: 30, message: '' };

beforeEach(() => {
  for (const p of AnalysisPanel.all()) p.dispose();
  resetFake();
});

test('the page is written once, with the CSP, the bundle and the stylesheet; nothing is posted before ready', () => {
  const h = harness();
  AnalysisPanel.createOrShow(context(), run('r1'), false, h.deps);
  const panel = fake.panels[0]!;
  assert.equal(panel.viewType, 'collapseLens.analysis');
  assert.equal(panel.title, 'Collapse Lens: run r1');
  assert.equal(panel.webview.htmlWrites.length, 1);
  const html = panel.webview.html;
  assert.match(html, /default-src 'none'/);
  assert.match(html, /src="https:\/\/webview\.test\/ext\/dist\/webview\/analysis\.js"/);
  assert.match(html, /href="https:\/\/webview\.test\/ext\/media\/panel\.css"/);
  assert.deepEqual((panel.panelOptions as { retainContextWhenHidden: boolean }).retainContextWhenHidden, false);
  assert.deepEqual(
    (panel.webview.options as { localResourceRoots: FakeUri[] }).localResourceRoots.map((u) => u.fsPath),
    ['/ext/dist/webview', '/ext/media'],
  );
  assert.deepEqual(panel.webview.posted, []);
});

test('after ready the latest state is sent, then updates flow as messages (html never rewritten)', () => {
  const h = harness();
  const p = AnalysisPanel.createOrShow(context(), run('r1'), false, h.deps);
  const panel = fake.panels[0]!;
  p.progress(progress);
  fromWebview(panel, { kind: 'ready' });
  assert.deepEqual(postedKinds(panel), ['show', 'progress']);
  p.update(run('r1'), true);
  p.selectLayer('c');
  assert.deepEqual(postedKinds(panel), ['show', 'progress', 'show', 'selectLayer']);
  assert.equal((panel.webview.posted[2] as { complete: boolean }).complete, true);
  assert.equal(panel.webview.htmlWrites.length, 1);
});

test('a hidden panel is replayed its state when its page comes back', () => {
  const h = harness();
  const p = AnalysisPanel.createOrShow(context(), run('r1'), false, h.deps);
  const panel = fake.panels[0]!;
  fromWebview(panel, { kind: 'ready' });
  panel.hide();
  p.update(run('r1'), false);
  p.failed('out of memory');
  fromWebview(panel, { kind: 'layerSelected', layer: 'b' });
  panel.show();
  assert.deepEqual(postedKinds(panel), ['show'], 'nothing is posted to a page that is gone');
  fromWebview(panel, { kind: 'ready' });
  assert.deepEqual(postedKinds(panel), ['show', 'show', 'failed']);
  assert.deepEqual(panel.webview.posted[2], { kind: 'failed', message: 'out of memory' });
  assert.equal((panel.webview.posted[1] as { selectedLayer?: string }).selectedLayer, 'b', 'the pick comes back with the result');
});

test('a side-view pick made while the page was gone is brought into view when it comes back, once', () => {
  const h = harness();
  const p = AnalysisPanel.createOrShow(context(), run('r1'), false, h.deps);
  const panel = fake.panels[0]!;
  fromWebview(panel, { kind: 'ready' });
  p.update(run('r1'), true);
  panel.hide();
  p.selectLayer('c');
  panel.show();
  fromWebview(panel, { kind: 'ready' });
  assert.deepEqual(postedKinds(panel), ['show', 'show', 'show', 'selectLayer']);
  assert.equal((panel.webview.posted[2] as { selectedLayer?: string }).selectedLayer, 'c');
  assert.deepEqual(panel.webview.posted[3], { kind: 'selectLayer', layer: 'c' });
  // A later reload shows the same pick without bringing it into view again.
  panel.hide();
  panel.show();
  fromWebview(panel, { kind: 'ready' });
  assert.deepEqual(postedKinds(panel).slice(4), ['show']);
  assert.equal((panel.webview.posted[4] as { selectedLayer?: string }).selectedLayer, 'c');
});

test('one panel per run: showing the run again reveals and updates the same panel', () => {
  const h = harness();
  const first = AnalysisPanel.createOrShow(context(), run('r1'), false, h.deps);
  const again = AnalysisPanel.createOrShow(context(), run('r1'), true, h.deps);
  assert.equal(first, again);
  assert.equal(fake.panels.length, 1);
  assert.equal(fake.panels[0]!.reveals, 1);
  AnalysisPanel.createOrShow(context(), run('r2'), true, h.deps);
  assert.equal(fake.panels.length, 2);
  assert.equal(AnalysisPanel.get('r2')?.runId, 'r2');
});

test('the webview\'s requests reach the deps; malformed messages are logged and ignored', () => {
  const h = harness();
  AnalysisPanel.createOrShow(context(), run('r1'), true, h.deps);
  const panel = fake.panels[0]!;
  fromWebview(panel, { kind: 'layerSelected', layer: 'b' });
  fromWebview(panel, { kind: 'rerun' });
  fromWebview(panel, { kind: 'showLog' });
  fromWebview(panel, { kind: 'layerSelected' });
  assert.deepEqual(h.selected, [['r1', 'b']]);
  assert.deepEqual(h.reruns, ['r1']);
  assert.equal(h.log.shown, 1);
  assert.ok(h.log.lines.some((l) => /warn .*malformed message/.test(l)));
});

test('an export opens a save dialog at the workspace folder and writes the decoded bytes', async () => {
  const h = harness();
  AnalysisPanel.createOrShow(context(), run('r1'), true, h.deps);
  const panel = fake.panels[0]!;
  fake.saveDialogAnswer = FakeUri.file('/workspace/out/layers.csv');
  fromWebview(panel, { kind: 'export', format: 'csv', suggestedName: '../layers.csv', data: 'depth,name\r\n0,a\r\n' });
  await flush();
  assert.equal(fake.saveDialogOptions[0]?.defaultUri?.fsPath, '/workspace/layers.csv');
  assert.deepEqual(fake.saveDialogOptions[0]?.filters, { 'CSV table': ['csv'] });
  assert.equal(fake.written.length, 1);
  assert.equal(fake.written[0]!.uri.fsPath, '/workspace/out/layers.csv');
  assert.equal(Buffer.from(fake.written[0]!.bytes).toString('utf8'), 'depth,name\r\n0,a\r\n');
});

test('a cancelled dialog writes nothing; bad data is reported, not thrown', async () => {
  const h = harness();
  AnalysisPanel.createOrShow(context(), run('r1'), true, h.deps);
  const panel = fake.panels[0]!;
  fromWebview(panel, { kind: 'export', format: 'json', suggestedName: 'r.json', data: '{}' });
  await flush();
  assert.equal(fake.written.length, 0);
  fromWebview(panel, { kind: 'export', format: 'png', suggestedName: 'c.png', data: 'not a data url' });
  await flush();
  assert.equal(fake.written.length, 0);
  assert.match(fake.errors[0] ?? '', /export failed: export c\.png: PNG data is not a data:image\/png;base64 URL/);
});

test('closing the panel disposes its listeners and forgets it', () => {
  const h = harness();
  const p = AnalysisPanel.createOrShow(context(), run('r1'), true, h.deps);
  const panel = fake.panels[0]!;
  let disposedEvents = 0;
  p.onDidDispose(() => disposedEvents++);
  panel.dispose();
  assert.equal(disposedEvents, 1);
  assert.equal(AnalysisPanel.get('r1'), undefined);
  assert.equal(panel.webview.messages.listenerCount, 0);
  assert.equal(panel.viewState.listenerCount, 0);
  p.update(run('r1'), true);
  assert.deepEqual(panel.webview.posted, [], 'a disposed panel posts nothing');
});

test('the serializer revives a panel from {runId} by loading the run', async () => {
  const h = harness();
  h.runs.set('r9', run('r9'));
  const ctx = context();
  registerAnalysisPanelSerializer(ctx, h.deps);
  assert.equal((ctx as unknown as { subscriptions: unknown[] }).subscriptions.length, 1);
  const serializer = fake.serializers.get('collapseLens.analysis');
  assert.ok(serializer);
  const { FakePanel } = await import('./fakeVscode');
  const restored = new FakePanel('collapseLens.analysis', 'old title', {});
  await serializer.deserializeWebviewPanel(restored, { runId: 'r9', selectedLayer: 'a' });
  assert.equal(AnalysisPanel.get('r9')?.runId, 'r9');
  assert.equal(restored.webview.htmlWrites.length, 1);
  fromWebview(restored, { kind: 'ready' });
  assert.deepEqual(postedKinds(restored), ['show']);
  assert.equal((restored.webview.posted[0] as { complete: boolean }).complete, true);
});

test('reviving a run that is gone shows why; a state without a run id closes the panel', async () => {
  const h = harness();
  registerAnalysisPanelSerializer(context(), h.deps);
  const serializer = fake.serializers.get('collapseLens.analysis')!;
  const { FakePanel } = await import('./fakeVscode');
  const gone = new FakePanel('collapseLens.analysis', 't', {});
  await serializer.deserializeWebviewPanel(gone, { runId: 'missing' });
  fromWebview(gone, { kind: 'ready' });
  assert.deepEqual(postedKinds(gone), ['failed']);
  assert.match((gone.webview.posted[0] as { message: string }).message, /Run missing is no longer in the run store/);
  const empty = new FakePanel('collapseLens.analysis', 't', {});
  await serializer.deserializeWebviewPanel(empty, undefined);
  assert.equal(empty.disposed, true);
});
