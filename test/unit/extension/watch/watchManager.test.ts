/**
 * The watch manager in a fake VS Code (test/webview/fakeVscode.ts): the panel opened at the start, the
 * status bar item and the context keys following the watches, stop and resume, a window reload resuming
 * the active watches without picks and without re-analysis, and one engine for all watches.
 */
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fake, FakeLog, resetFake } from '../../../webview/fakeVscode';
import { withTempDir } from '../../dataset/helpers/writers';
import { RunStore } from '../../../../src/extension/store/runStore';
import type { AnalysisChoices } from '../../../../src/extension/commands/choices';
import type { AnalyzeRequest } from '../../../../src/protocol/engine';
import type { AnalysisResult } from '../../../../src/core/result';
import type { TrajectoryResult } from '../../../../src/core/compare';
import type { TrajectoryWatchStatus } from '../../../../src/protocol/webview';
import type { Services } from '../../../../src/extension/services';
import type { PanelHub } from '../../../../src/extension/panelHub';
import { FakeWatcher, MapMemento, resultFor, settle } from './fakeWatch';

// Loaded after fakeVscode has hooked `require('vscode')`.
const { WatchManager } = require('../../../../src/extension/watch/watchManager') as typeof import('../../../../src/extension/watch/watchManager');

const choices: AnalysisChoices = { train: { path: '/data/fashion', split: 'train' }, test: null, perClass: 100, layers: 'auto' };

interface Shown {
  folder: string;
  epochs: number[];
  watch: TrajectoryWatchStatus;
  reveal: boolean;
}

/** An engine whose analyses the test releases (or that answers at once), counting those in flight. */
function engine(manual = false) {
  const calls: string[] = [];
  const pending: (() => void)[] = [];
  const waiting: ((release: () => void) => void)[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const analyze = (request: AnalyzeRequest): Promise<AnalysisResult> => {
    calls.push(request.checkpoint);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const result = resultFor(request.checkpoint);
    const done = () => (inFlight--, result);
    if (!manual) return Promise.resolve(done());
    return new Promise((resolve) => {
      const release = () => resolve(done());
      const waiter = waiting.shift();
      if (waiter) waiter(release);
      else pending.push(release);
    });
  };
  /** The next analysis to start (already started, or when it starts), to release. */
  const nextJob = (): Promise<() => void> => {
    const ready = pending.shift();
    return ready ? Promise.resolve(ready) : new Promise((resolve) => waiting.push(resolve));
  };
  return { analyze, calls, pending, nextJob, get maxInFlight() { return maxInFlight; } };
}

/** One window: a manager over a run store in `dir`, its workspaceState in `memento`. */
async function windowOn(dir: string, memento: MapMemento, eng = engine()) {
  const shown: Shown[] = [];
  const hub = { showWatch: (folder: string, trajectory: TrajectoryResult, watch: TrajectoryWatchStatus, reveal: boolean) => shown.push({ folder, epochs: trajectory.epochs, watch, reveal }) } as unknown as PanelHub;
  const log = new FakeLog();
  const services = { context: { workspaceState: memento }, engine: eng, store: await RunStore.open(join(dir, 'store')), log: { channel: log, info: (l: string) => log.info(l) } } as unknown as Services;
  const watchers = new Map<string, FakeWatcher>();
  const manager = new WatchManager(services, hub, (folder) => {
    const watcher = new FakeWatcher();
    watchers.set(folder, watcher);
    return watcher;
  });
  return { manager, shown, watchers, log, engine: eng, item: () => fake.statusBarItems.at(-1) };
}

function checkpointIn(folder: string, epoch: number) {
  const file = join(folder, `epoch_${epoch}.onnx`);
  // The folder in the bytes: two folders' epoch 1 are different checkpoints (the store keys by content).
  writeFileSync(file, `weights of ${folder} epoch ${epoch}`);
  return { file, epoch, key: `${file}:1`, state: 'ready' as const };
}

beforeEach(resetFake);

test('a watch opens the panel at once (no point yet), grows it, and the status bar and context keys follow stop and resume', async () => {
  await withTempDir('watch-manager', async (dir) => {
    const w = await windowOn(dir, new MapMemento());
    await w.manager.start(dir, choices);
    assert.deepEqual(w.shown.find((s) => s.reveal), { folder: dir, epochs: [], watch: { checkpoints: [], queued: 0, watching: true }, reveal: true }, 'the panel opens waiting for the first checkpoint');
    assert.equal(w.item()?.text, '$(eye) watching 0 checkpoints, 0 queued');
    assert.equal(w.item()?.visible, true);
    assert.equal(fake.contextKeys.get('collapseLens.watching'), true);

    w.watchers.get(dir)?.set([checkpointIn(dir, 1)]);
    await settle();
    await w.manager.idle();
    assert.deepEqual(w.engine.calls, [join(dir, 'epoch_1.onnx')]);
    assert.deepEqual(w.shown.at(-1)?.epochs, [1]);
    assert.equal(w.shown.at(-1)?.reveal, false, 'a checkpoint done does not take the focus');
    assert.equal(w.item()?.text, '$(eye) watching 1 checkpoint, 0 queued');
    assert.equal(w.item()?.command, 'collapseLens.showWatchedTrajectory');

    await w.manager.stop(dir);
    assert.equal(fake.contextKeys.get('collapseLens.watching'), false);
    assert.equal(fake.contextKeys.get('collapseLens.watchStopped'), true);
    assert.equal(w.item()?.text, '$(eye-closed) watch stopped');
    assert.equal(w.item()?.command, 'collapseLens.resumeWatching');
    assert.equal(w.shown.at(-1)?.watch.watching, false, 'the panel says the watch stopped');

    await w.manager.resume(dir);
    await settle();
    await w.manager.idle();
    assert.equal(fake.contextKeys.get('collapseLens.watching'), true);
    assert.equal(fake.contextKeys.get('collapseLens.watchStopped'), false);
    assert.equal(w.engine.calls.length, 1, 'resume analyses nothing already done');
  });
});

test('a window reload resumes the active watch without picks, reads back what is stored, and does not take the panel', async () => {
  await withTempDir('watch-manager', async (dir) => {
    const memento = new MapMemento();
    const before = await windowOn(dir, memento);
    await before.manager.start(dir, choices);
    before.watchers.get(dir)?.set([checkpointIn(dir, 1), checkpointIn(dir, 2)]);
    await settle();
    await before.manager.idle();
    await settle();
    assert.equal(before.engine.calls.length, 2);
    before.manager.dispose();

    const after = await windowOn(dir, memento);
    after.manager.resumeRemembered();
    assert.ok(after.watchers.has(dir), 'the watch resumed by itself');
    after.watchers.get(dir)?.set([checkpointIn(dir, 1), checkpointIn(dir, 2), checkpointIn(dir, 3)]);
    await settle();
    await after.manager.idle();
    assert.deepEqual(after.engine.calls, [join(dir, 'epoch_3.onnx')], 'only the new checkpoint is analysed');
    assert.ok(after.shown.every((s) => !s.reveal), 'a resumed watch does not reopen or focus the panel');
    assert.deepEqual(after.shown.at(-1)?.epochs, [1, 2, 3]);
    assert.match(String(after.item()?.tooltip), /\(watching\): 2 stored, 1 analysed/);
    assert.ok(after.log.lines.some((l) => /epoch_1\.onnx \(epoch 1\) read from the run store \(not analysed again\)/.test(l)), after.log.lines.join('\n'));
  });
});

test('two watched folders share one engine: never two analyses at once', async () => {
  await withTempDir('watch-manager', async (dir) => {
    const [a, b] = [join(dir, 'a'), join(dir, 'b')];
    mkdirSync(a);
    mkdirSync(b);
    const eng = engine(true);
    const w = await windowOn(dir, new MapMemento(), eng);
    await w.manager.start(a, choices);
    await w.manager.start(b, choices);
    w.watchers.get(a)?.set([checkpointIn(a, 1)]);
    w.watchers.get(b)?.set([checkpointIn(b, 1)]);
    // Each engine job is released once it has started: the other folder's must not have started meanwhile.
    for (let released = 0; released < 2; released++) {
      const release = await eng.nextJob();
      await settle();
      assert.equal(eng.pending.length, 0, 'two analyses in flight at once');
      release();
    }
    await w.manager.idle();
    assert.equal(eng.calls.length, 2);
    assert.equal(eng.maxInFlight, 1);
    assert.match(w.item()?.accessibilityInformation?.label ?? '', /a \(watching\): 0 stored, 1 analysed\nb \(watching\): 0 stored, 1 analysed/);
  });
});
