/**
 * The compare panel's host class against a fake `vscode` (fakeVscode.ts): one panel reused, html set
 * once, the snapshot replayed on `ready`, "open run" and exports routed, and the serializer rebuilding a
 * comparison from stored runs and result files, or a trajectory from the saved state.
 */
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fake, fakeContext, FakeLog, FakePanel, FakeUri, flush, fromWebview, postedKinds, resetFake } from './fakeVscode';
import { compareResults } from '../../src/core/compare/compareResult';
import { buildTrajectory, emptyTrajectory } from '../../src/core/compare/trajectory';
import type { ProgressInfo } from '../../src/protocol/engine';
import type { CompareView, HostToComparePanel, RunView } from '../../src/protocol/webview';
import { tinyResult } from './helpers';

// Loaded after fakeVscode has hooked `require('vscode')`.
const panels = require('../../src/extension/panels/comparePanel') as typeof import('../../src/extension/panels/comparePanel');
const { ComparePanel, registerComparePanelSerializer } = panels;

type Deps = Parameters<typeof ComparePanel.show>[2];
type Context = Parameters<typeof ComparePanel.show>[0];

interface Harness {
  deps: Deps;
  log: FakeLog;
  opened: string[];
  loaded: string[];
  runs: Map<string, RunView>;
}

function harness(): Harness {
  const log = new FakeLog();
  const opened: string[] = [];
  const loaded: string[] = [];
  const runs = new Map<string, RunView>();
  const deps = {
    log,
    openRun: (runId: string) => opened.push(runId),
    loadRun: (runId: string) => {
      loaded.push(runId);
      return Promise.resolve(runs.get(runId));
    },
  } as unknown as Deps;
  return { deps, log, opened, loaded, runs };
}

const context = (): Context => fakeContext() as unknown as Context;
const progress: ProgressInfo = { stage: 'pass2', split: 'train', done: 1, total: 4, message: '' };

function run(runId: string, label: string): RunView {
  const result = tinyResult();
  result.checkpoint = { ...result.checkpoint, path: `/models/${label}.onnx` };
  return { runId, label, result };
}

function view(...runs: RunView[]): CompareView {
  return { runs, comparison: compareResults(runs.map((r) => r.result), runs.map((r) => r.label), false) };
}

const compare = (...runs: RunView[]): HostToComparePanel => ({ kind: 'compare', view: view(...runs) });

beforeEach(() => {
  ComparePanel.disposeAll();
  resetFake();
});

test('the page is written once with the CSP, compare.js and compare.css; nothing is posted before ready', () => {
  const h = harness();
  ComparePanel.show(context(), compare(run('r1', 'mlp'), run('r2', 'mlp_ls')), h.deps);
  const panel = fake.panels[0]!;
  assert.equal(panel.viewType, 'collapseLens.compare');
  assert.equal(panel.title, 'Collapse Lens: mlp vs mlp_ls');
  assert.equal(panel.webview.htmlWrites.length, 1);
  assert.match(panel.webview.html, /default-src 'none'/);
  assert.match(panel.webview.html, /src="https:\/\/webview\.test\/ext\/dist\/webview\/compare\.js"/);
  assert.match(panel.webview.html, /href="https:\/\/webview\.test\/ext\/media\/compare\.css"/);
  assert.equal((panel.panelOptions as { retainContextWhenHidden: boolean }).retainContextWhenHidden, false);
  assert.deepEqual(panel.webview.posted, []);
  fromWebview(panel, { kind: 'ready' });
  assert.deepEqual(postedKinds(panel), ['compare']);
});

test('one compare panel: a new comparison or trajectory reuses and reveals it', () => {
  const h = harness();
  const first = ComparePanel.show(context(), compare(run('r1', 'a'), run('r2', 'b')), h.deps);
  const panel = fake.panels[0]!;
  fromWebview(panel, { kind: 'ready' });
  const trajectory = buildTrajectory([1, 2, 3].map((epoch) => ({ epoch, result: tinyResult() })));
  const again = ComparePanel.show(context(), { kind: 'trajectory', trajectory }, h.deps);
  assert.equal(first, again);
  assert.equal(ComparePanel.get(), first);
  assert.equal(fake.panels.length, 1);
  assert.equal(panel.reveals, 1);
  assert.equal(panel.title, 'Collapse Lens: trajectory (3 checkpoints)');
  assert.deepEqual(postedKinds(panel), ['compare', 'trajectory']);
  assert.equal(panel.webview.htmlWrites.length, 1);
});

test('a hidden panel is replayed the content, then the failure (or the progress) when it comes back', () => {
  const h = harness();
  const p = ComparePanel.show(context(), { kind: 'progress', progress, label: 'a.onnx (1/2)' }, h.deps);
  const panel = fake.panels[0]!;
  fromWebview(panel, { kind: 'ready' });
  assert.deepEqual(panel.webview.posted, [{ kind: 'progress', progress, label: 'a.onnx (1/2)' }]);
  panel.hide();
  p.send(compare(run('r1', 'a'), run('r2', 'b')));
  p.send({ kind: 'progress', progress, label: 'again' });
  panel.show();
  fromWebview(panel, { kind: 'ready' });
  assert.deepEqual(postedKinds(panel), ['progress', 'compare', 'progress']);
  p.send({ kind: 'failed', message: 'out of memory' });
  panel.hide();
  panel.show();
  fromWebview(panel, { kind: 'ready' });
  assert.deepEqual(postedKinds(panel), ['progress', 'compare', 'progress', 'failed', 'compare', 'failed']);
});

test('a live trajectory is updated in place without revealing the panel; the last update is what a reloaded page gets', () => {
  const h = harness();
  const t = (...epochs: number[]) => buildTrajectory(epochs.map((epoch) => ({ epoch, result: tinyResult() })));
  const watch = { checkpoints: [{ epoch: 1, label: 'epoch_1.onnx', state: 'analysed' as const }], queued: 1, watching: true };
  // No panel yet: the first update opens one.
  const p = ComparePanel.update(context(), { kind: 'trajectoryUpdate', trajectory: emptyTrajectory(), watch }, h.deps);
  const panel = fake.panels[0]!;
  assert.equal(panel.title, 'Collapse Lens: trajectory (watching, 0 checkpoints)');
  fromWebview(panel, { kind: 'ready' });
  const reveals = panel.reveals;
  assert.equal(ComparePanel.update(context(), { kind: 'trajectoryUpdate', trajectory: t(1, 2), watch }, h.deps), p);
  assert.equal(panel.reveals, reveals, 'an update must not steal the focus');
  assert.equal(panel.title, 'Collapse Lens: trajectory (watching, 2 checkpoints)');
  ComparePanel.update(context(), { kind: 'trajectoryUpdate', trajectory: t(1, 2, 3), watch: { ...watch, watching: false } }, h.deps);
  assert.equal(panel.title, 'Collapse Lens: trajectory (3 checkpoints)');
  panel.hide();
  panel.show();
  fromWebview(panel, { kind: 'ready' });
  const replayed = panel.webview.posted.at(-1) as HostToComparePanel;
  assert.equal(replayed.kind, 'trajectoryUpdate');
  assert.deepEqual(replayed.kind === 'trajectoryUpdate' ? [replayed.trajectory.epochs, replayed.watch?.watching] : null, [[1, 2, 3], false]);
});

test("a watch's update does not replace a comparison the panel shows", () => {
  const h = harness();
  const p = ComparePanel.show(context(), compare(run('r1', 'a'), run('r2', 'b')), h.deps);
  const panel = fake.panels[0]!;
  fromWebview(panel, { kind: 'ready' });
  const update: HostToComparePanel = { kind: 'trajectoryUpdate', trajectory: buildTrajectory([{ epoch: 1, result: tinyResult() }]) };
  assert.equal(ComparePanel.update(context(), update, h.deps), undefined);
  assert.deepEqual(postedKinds(panel), ['compare']);
  assert.equal(panel.title, 'Collapse Lens: a vs b');
  // Shown on purpose (showTrajectory), the live trajectory takes the panel and later updates land.
  p.send({ kind: 'trajectory', trajectory: buildTrajectory([{ epoch: 1, result: tinyResult() }]) });
  assert.equal(ComparePanel.update(context(), update, h.deps), p);
  assert.deepEqual(postedKinds(panel), ['compare', 'trajectory', 'trajectoryUpdate']);
});

test('"open run" reaches the deps for runs of the comparison only; malformed messages are logged', () => {
  const h = harness();
  ComparePanel.show(context(), compare(run('r1', 'a'), run('r2', 'b')), h.deps);
  const panel = fake.panels[0]!;
  fromWebview(panel, { kind: 'openRun', runId: 'r2' });
  fromWebview(panel, { kind: 'openRun', runId: 'elsewhere' });
  fromWebview(panel, { kind: 'openRun' });
  assert.deepEqual(h.opened, ['r2']);
  assert.ok(h.log.lines.some((l) => /warn .*elsewhere, which is not in the comparison/.test(l)));
  assert.ok(h.log.lines.some((l) => /warn .*malformed message/.test(l)));
});

test('an export is saved through the dialog', async () => {
  const h = harness();
  ComparePanel.show(context(), compare(run('r1', 'a'), run('r2', 'b')), h.deps);
  const panel = fake.panels[0]!;
  fake.saveDialogAnswer = FakeUri.file('/workspace/diff.csv');
  fromWebview(panel, { kind: 'export', format: 'csv', suggestedName: 'compare-a-vs-b-differences.csv', data: 'rank,layer\r\n' });
  await flush();
  await flush();
  assert.equal(fake.saveDialogOptions[0]?.defaultUri?.fsPath, '/workspace/compare-a-vs-b-differences.csv');
  assert.equal(fake.written.length, 1);
  assert.equal(Buffer.from(fake.written[0]!.bytes).toString('utf8'), 'rank,layer\r\n');
});

test('disposeAll closes the panel; the next show opens a new one', () => {
  const h = harness();
  ComparePanel.show(context(), compare(run('r1', 'a'), run('r2', 'b')), h.deps);
  ComparePanel.disposeAll();
  assert.equal(fake.panels[0]!.disposed, true);
  assert.equal(ComparePanel.get(), undefined);
  ComparePanel.show(context(), compare(run('r1', 'a'), run('r2', 'b')), h.deps);
  assert.equal(fake.panels.length, 2);
});

async function revive(h: Harness, state: unknown): Promise<FakePanel> {
  const ctx = context();
  registerComparePanelSerializer(ctx, h.deps);
  const serializer = fake.serializers.get('collapseLens.compare');
  assert.ok(serializer, 'the serializer is registered');
  const panel = new FakePanel('collapseLens.compare', 'Collapse Lens: compare', {});
  await serializer.deserializeWebviewPanel(panel, state);
  fromWebview(panel, { kind: 'ready' });
  return panel;
}

test('revival: stored runs through loadRun and result files from disk, compared again under the saved labels', async () => {
  const h = harness();
  h.runs.set('stored-1', run('stored-1', 'store label'));
  const dir = mkdtempSync(join(tmpdir(), 'cl-compare-'));
  const file = join(dir, 'second.json');
  writeFileSync(file, JSON.stringify(run('x', 'second').result));
  const panel = await revive(h, { runIds: ['stored-1', `file:${file}`], labels: ['mlp', 'second'], allowMismatch: false, split: 'test' });
  assert.deepEqual(h.loaded, ['stored-1']);
  assert.deepEqual(postedKinds(panel), ['compare']);
  const message = panel.webview.posted[0] as Extract<HostToComparePanel, { kind: 'compare' }>;
  assert.deepEqual(message.view.runs.map((r) => [r.runId, r.label]), [['stored-1', 'mlp'], [`file:${file}`, 'second']]);
  assert.deepEqual(message.view.comparison.runs.map((r) => r.label), ['mlp', 'second']);
  assert.equal(message.view.comparison.rows.length, 3);
  assert.equal(panel.title, 'Collapse Lens: mlp vs second');
  rmSync(dir, { recursive: true, force: true });
});

test('revival: a missing run or an unreadable file is reported in the panel, naming it', async () => {
  const h = harness();
  h.runs.set('stored-1', run('stored-1', 'a'));
  const gone = await revive(h, { runIds: ['stored-1', 'deleted'] });
  assert.deepEqual(postedKinds(gone), ['failed']);
  assert.match((gone.webview.posted[0] as { message: string }).message, /^Could not rebuild the comparison: run deleted is no longer in the run store/);
  const h2 = harness();
  h2.runs.set('stored-1', run('stored-1', 'a'));
  const bad = await revive(h2, { runIds: ['stored-1', 'file:/nowhere/r.json'] });
  assert.match((bad.webview.posted[0] as { message: string }).message, /\/nowhere\/r\.json: no such file or directory/);
  assert.ok(h2.log.lines.some((l) => /^error Restoring the compare panel/.test(l)));
});

test('revival: a result file that fails the schema check is refused in the panel, naming the file and the field (no crash in compare)', async () => {
  const h = harness();
  h.runs.set('stored-1', run('stored-1', 'a'));
  const dir = mkdtempSync(join(tmpdir(), 'cl-compare-'));
  const file = join(dir, 'torn.json');
  const broken = JSON.parse(JSON.stringify(run('x', 'torn').result)) as { layers: { metrics?: unknown }[] };
  delete broken.layers[0]!.metrics;
  writeFileSync(file, JSON.stringify(broken));
  const panel = await revive(h, { runIds: ['stored-1', `file:${file}`] });
  assert.deepEqual(postedKinds(panel), ['failed']);
  assert.equal((panel.webview.posted[0] as { message: string }).message, `Could not rebuild the comparison: ${file}: not a valid Collapse Lens result: layers[0].metrics is missing`);
  rmSync(dir, { recursive: true, force: true });
});

test('revival: a trajectory comes back from the state; an empty state closes the panel', async () => {
  const h = harness();
  const trajectory = buildTrajectory([1, 10].map((epoch) => ({ epoch, result: tinyResult() })));
  const panel = await revive(h, JSON.parse(JSON.stringify({ trajectory, trajectoryLayers: ['a'] })) as unknown);
  assert.deepEqual(postedKinds(panel), ['trajectory']);
  assert.deepEqual((panel.webview.posted[0] as { trajectory: { epochs: number[] } }).trajectory.epochs, [1, 10]);
  assert.deepEqual(h.loaded, []);
  const empty = await revive(harness(), { split: 'train' });
  assert.equal(empty.disposed, true);
  assert.equal(empty.webview.htmlWrites.length, 0);
});
