/**
 * A watch resumed after a window reload reads back what the run store holds and analyses only what is
 * new: through the remembered run ids (no re-hash), and through the content key when workspaceState lost
 * them. Changed settings that change the numbers (epsilon) are not served a stale stored run.
 * Real run store and checkpoint files in a temp dir; fake watcher and engine.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withTempDir } from '../../dataset/helpers/writers';
import { RunStore } from '../../../../src/extension/store/runStore';
import { watchAnalyser } from '../../../../src/extension/watch/watchAnalysis';
import { WatchMemory } from '../../../../src/extension/watch/watchMemory';
import type { AnalysisChoices } from '../../../../src/extension/commands/choices';
import type { CollapseLensSettings } from '../../../../src/extension/settings';
import type { WatchedCheckpoint } from '../../../../src/core/watch/types';
import type { AnalyzeRequest } from '../../../../src/protocol/engine';
import { controller, MapMemento, resultFor } from './fakeWatch';

const choices: AnalysisChoices = { train: { path: '/data/fashion', split: 'train' }, test: null, perClass: 100, layers: 'auto' };
const settings = (epsilon = 0.01): CollapseLensSettings => ({ provider: 'cpu', batchSize: 64, samplesPerClass: 200, threads: 0, epsilon, preprocessing: {} });

/** One window session: a store opened from `storeDir`, the watch memory in `memento`, a fake engine. */
async function session(storeDir: string, memento: MapMemento, folder: string, epsilon = 0.01) {
  const store = await RunStore.open(storeDir);
  const memory = new WatchMemory(memento);
  await memory.start(folder, choices);
  const analysed: string[] = [];
  const engine = {
    analyze: (request: AnalyzeRequest) => {
      analysed.push(request.checkpoint);
      return Promise.resolve(resultFor(request.checkpoint));
    },
  };
  const writes: Promise<void>[] = [];
  const harness = controller({
    folder,
    analyse: watchAnalyser({
      engine: engine as never,
      store,
      choices,
      settingsFor: () => settings(epsilon),
      rememberedRun: (c) => memory.runFor(folder, c.file, c.key),
      warn: () => undefined,
    }),
    remember: (c, runId) => void writes.push(memory.rememberRun(folder, c.file, c.key, runId)),
  });
  const run = async (checkpoints: WatchedCheckpoint[]) => {
    harness.watch.start();
    harness.watcher.set(checkpoints);
    await harness.watch.idle();
    await Promise.all(writes);
    harness.watch.stop();
    return harness.watch;
  };
  return { run, analysed, lines: harness.lines, store };
}

function checkpoints(folder: string, epochs: number[]): WatchedCheckpoint[] {
  return epochs.map((epoch) => {
    const file = join(folder, `epoch_${epoch}.onnx`);
    writeFileSync(file, `weights of epoch ${epoch}`);
    return { file, epoch, key: `${file}:${epoch}`, state: 'ready' };
  });
}

test('after a reload the stored checkpoints are read back, not analysed again; only the new one goes to the engine', async () => {
  await withTempDir('watch-resume', async (dir) => {
    const memento = new MapMemento();
    const first = await session(join(dir, 'store'), memento, dir);
    const watch1 = await first.run(checkpoints(dir, [1, 2]));
    assert.equal(first.analysed.length, 2);
    assert.equal(watch1.view().analysed, 2);

    const second = await session(join(dir, 'store'), memento, dir);
    const watch2 = await second.run(checkpoints(dir, [1, 2, 3]));
    assert.deepEqual(second.analysed, [join(dir, 'epoch_3.onnx')], 'only the new checkpoint is analysed');
    assert.equal(watch2.view().stored, 2);
    assert.equal(watch2.view().analysed, 1);
    assert.deepEqual(watch2.view().trajectory?.epochs, [1, 2, 3]);
    assert.ok(second.lines.some((l) => /epoch_1\.onnx \(epoch 1\) read from the run store \(not analysed again\)/.test(l)), second.lines.join('\n'));
    assert.ok(second.lines.some((l) => / 3 checkpoint\(s\): 2 stored, 1 analysed, 0 corrupt, 0 failed, 0 deleted$/.test(l)), second.lines.join('\n'));
  });
});

test('workspaceState lost: the stored runs are still found by the checkpoints\' content, and not analysed again', async () => {
  await withTempDir('watch-resume', async (dir) => {
    const first = await session(join(dir, 'store'), new MapMemento(), dir);
    await first.run(checkpoints(dir, [1, 2]));
    const second = await session(join(dir, 'store'), new MapMemento(), dir);
    const watch = await second.run(checkpoints(dir, [1, 2]));
    assert.deepEqual(second.analysed, []);
    assert.equal(watch.view().stored, 2);
  });
});

test('a setting that changes the numbers (epsilon) is not served the run stored with the old one', async () => {
  await withTempDir('watch-resume', async (dir) => {
    const memento = new MapMemento();
    const first = await session(join(dir, 'store'), memento, dir);
    await first.run(checkpoints(dir, [1]));
    const second = await session(join(dir, 'store'), memento, dir, 0.05);
    const watch = await second.run(checkpoints(dir, [1]));
    assert.deepEqual(second.analysed, [join(dir, 'epoch_1.onnx')]);
    assert.equal(watch.view().stored, 0);
    assert.equal(second.store.list().length, 2, 'both runs are kept, each under its own key');
  });
});

test('the watch memory forgets the remembered runs when the folder is watched with other picks', async () => {
  const memento = new MapMemento();
  const memory = new WatchMemory(memento);
  await memory.start('/run', choices);
  await memory.rememberRun('/run', '/run/epoch_1.onnx', 'k1', 'id1');
  assert.equal(memory.runFor('/run', '/run/epoch_1.onnx', 'k1'), 'id1');
  assert.equal(memory.runFor('/run', '/run/epoch_1.onnx', 'k1-rewritten'), undefined, 'a rewritten checkpoint is not its old run');
  await memory.setActive('/run', false);
  await memory.start('/run', choices);
  assert.equal(memory.runFor('/run', '/run/epoch_1.onnx', 'k1'), 'id1', 'same picks: kept');
  await memory.start('/run', { ...choices, perClass: 50 });
  assert.equal(memory.runFor('/run', '/run/epoch_1.onnx', 'k1'), undefined, 'other picks: forgotten');
  memento.values.set('collapseLens.watches', [{ folder: 42 }, ...(memento.values.get('collapseLens.watches') as unknown[])]);
  assert.deepEqual(memory.all().map((w) => w.folder), ['/run'], 'a torn entry is dropped, not trusted');
});

test('a checkpoint with the same bytes as a stored one is read back under its own path, not the first file\'s', async () => {
  await withTempDir('watch-resume', async (dir) => {
    const first = await session(join(dir, 'store'), new MapMemento(), dir);
    const [one] = checkpoints(dir, [1]);
    await first.run([one]);
    const copy = join(dir, 'epoch_9.onnx');
    writeFileSync(copy, 'weights of epoch 1');
    const second = await session(join(dir, 'store'), new MapMemento(), dir);
    const watch = await second.run([one, { file: copy, epoch: 9, key: `${copy}:9`, state: 'ready' }]);
    assert.deepEqual(second.analysed, []);
    assert.deepEqual(watch.view().trajectory?.checkpoints, [one.file, copy]);
  });
});
