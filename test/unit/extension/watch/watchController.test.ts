/**
 * The watch controller with a fake watcher and a fake engine: each ready checkpoint analysed once, one
 * at a time, in epoch order or newest first; deleted ones kept, corrupt ones flagged once and skipped; an
 * engine failure flagged and the watch going on; stop cancels and resume picks up.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkpoint, controller, settle } from './fakeWatch';
import type { WatchView } from '../../../../src/extension/watch/watchController';

const stateOf = (view: WatchView, epoch: number) => view.checkpoints.find((c) => c.epoch === epoch)?.state;

test('ready checkpoints are queued and analysed one at a time, in epoch order, the trajectory growing after each', async () => {
  const updates: WatchView[] = [];
  const { watch, watcher, engine } = controller({ onUpdate: (v) => updates.push(v) });
  watch.start();
  assert.equal(watcher.started, 1);
  assert.equal(updates.at(-1)?.trajectory, null, 'the panel opens before any checkpoint: nothing analysed yet');
  watcher.set([checkpoint(3), checkpoint(1), checkpoint(2)]);
  await settle();
  assert.deepEqual(engine.epochs, [1]);
  assert.equal(watch.view().queued, 2);
  assert.equal(watch.view().analysing, 1);
  assert.equal(stateOf(watch.view(), 1), 'analysing');
  assert.equal(stateOf(watch.view(), 3), 'queued');
  for (let i = 0; i < 3; i++) {
    engine.jobs[i].finish();
    await settle();
    assert.deepEqual(watch.view().trajectory?.epochs, [1, 2, 3].slice(0, i + 1), `after ${i + 1} analyses`);
  }
  await watch.idle();
  assert.deepEqual(engine.epochs, [1, 2, 3]);
  assert.equal(engine.maxRunning, 1, 'never two engine jobs at once');
  assert.equal(watch.view().queued, 0);
  assert.equal(watch.view().analysing, undefined);
  assert.deepEqual(watch.view().checkpoints.map((c) => c.state), ['analysed', 'analysed', 'analysed']);
  // A poll that changes nothing (same keys) queues nothing again.
  watcher.set([checkpoint(1), checkpoint(2), checkpoint(3)]);
  await settle();
  assert.equal(engine.jobs.length, 3);
});

test('newest first: the highest waiting epoch goes next, also for one that lands while another is analysed', async () => {
  const { watch, watcher, engine } = controller({ newestFirst: () => true });
  watch.start();
  watcher.set([checkpoint(1), checkpoint(2), checkpoint(3)]);
  await settle();
  assert.deepEqual(engine.epochs, [3]);
  watcher.set([checkpoint(1), checkpoint(2), checkpoint(3), checkpoint(4)]);
  engine.jobs[0].finish();
  await settle();
  engine.jobs[1].finish();
  await settle();
  engine.jobs[2].finish();
  await settle();
  engine.jobs[3].finish();
  await watch.idle();
  assert.deepEqual(engine.epochs, [3, 4, 2, 1]);
  assert.deepEqual(watch.view().trajectory?.epochs, [1, 2, 3, 4], 'the trajectory is in epoch order whatever the analysis order');
});

test('a settling checkpoint waits; a checkpoint rewritten in place (new key) is analysed again and replaces its point', async () => {
  const { watch, watcher, engine } = controller();
  watch.start();
  watcher.set([checkpoint(1, 'settling')]);
  await settle();
  assert.equal(engine.jobs.length, 0, 'a half-written checkpoint is not read');
  assert.equal(stateOf(watch.view(), 1), 'settling');
  watcher.set([checkpoint(1)]);
  await settle();
  engine.jobs[0].finish();
  await watch.idle();
  watcher.set([checkpoint(1, 'ready', 'k1-rewritten')]);
  await settle();
  assert.equal(engine.jobs.length, 2);
  assert.equal(engine.jobs[1].checkpoint.key, 'k1-rewritten');
  engine.jobs[1].finish();
  await watch.idle();
  assert.deepEqual(watch.view().trajectory?.epochs, [1], 'one point per checkpoint, not one per version');
});

test('a deleted checkpoint keeps its point (shown deleted); one deleted while queued is never analysed', async () => {
  const { watch, watcher, engine } = controller();
  watch.start();
  watcher.set([checkpoint(1), checkpoint(2)]);
  await settle();
  engine.jobs[0].finish();
  await settle();
  watcher.set([checkpoint(1, 'deleted'), checkpoint(2)]);
  await settle();
  engine.jobs[1].finish();
  await watch.idle();
  assert.deepEqual(watch.view().trajectory?.epochs, [1, 2]);
  assert.equal(stateOf(watch.view(), 1), 'deleted');

  watcher.set([checkpoint(1, 'deleted'), checkpoint(2), checkpoint(3), checkpoint(4)]);
  await settle();
  assert.deepEqual(engine.epochs, [1, 2, 3]);
  watcher.set([checkpoint(1, 'deleted'), checkpoint(2), checkpoint(3), checkpoint(4, 'deleted')]);
  engine.jobs[2].finish();
  await watch.idle();
  assert.deepEqual(engine.epochs, [1, 2, 3], 'epoch 4 was deleted before its turn');
  assert.equal(stateOf(watch.view(), 4), 'deleted');
  assert.deepEqual(watch.view().trajectory?.epochs, [1, 2, 3]);
});

test('a corrupt checkpoint is flagged with its reason, warned about once, skipped, and the watch goes on', async () => {
  const { watch, watcher, engine, lines } = controller();
  watch.start();
  const corrupt = checkpoint(2, 'corrupt', 'k2', '/run/epoch_2.onnx: not an ONNX model (truncated protobuf)');
  watcher.set([checkpoint(1), corrupt]);
  watcher.set([checkpoint(1), corrupt, checkpoint(3)]);
  await settle();
  engine.jobs[0].finish();
  await settle();
  engine.jobs[1].finish();
  await watch.idle();
  assert.deepEqual(engine.epochs, [1, 3]);
  const warnings = lines.filter((l) => l.startsWith('warn'));
  assert.equal(warnings.length, 1, warnings.join('\n'));
  assert.match(warnings[0], /epoch_2\.onnx \(epoch 2\) is corrupt and skipped: .*truncated protobuf/);
  const flagged = watch.view().checkpoints.find((c) => c.epoch === 2);
  assert.deepEqual(flagged, { epoch: 2, label: 'epoch_2.onnx', state: 'corrupt', reason: corrupt.reason });
  assert.deepEqual(watch.view().trajectory?.epochs, [1, 3]);
});

test('an engine failure on one checkpoint is flagged and logged, the next one is analysed, and it is not retried until rewritten', async () => {
  const { watch, watcher, engine, lines } = controller();
  watch.start();
  watcher.set([checkpoint(1), checkpoint(2)]);
  await settle();
  engine.jobs[0].fail('the engine ran out of memory');
  await settle();
  assert.deepEqual(engine.epochs, [1, 2], 'the watch went on');
  engine.jobs[1].finish();
  await watch.idle();
  assert.ok(lines.some((l) => /^warn .*analysis of epoch_1\.onnx \(epoch 1\) failed: the engine ran out of memory; the watch goes on/.test(l)), lines.join('\n'));
  assert.deepEqual(watch.view().checkpoints.find((c) => c.epoch === 1), { epoch: 1, label: 'epoch_1.onnx', state: 'failed', reason: 'the engine ran out of memory' });
  assert.deepEqual(watch.view().trajectory?.epochs, [2]);
  watcher.set([checkpoint(1), checkpoint(2)]);
  await settle();
  assert.equal(engine.jobs.length, 2, 'the same bytes are not retried at every poll');
  watcher.set([checkpoint(1, 'ready', 'k1-new'), checkpoint(2)]);
  await settle();
  assert.equal(engine.jobs.length, 3, 'a rewritten checkpoint is tried again');
});

test('stop cancels the analysis under way and analyses nothing more; resume analyses what was left', async () => {
  const updates: WatchView[] = [];
  const { watch, watcher, engine } = controller({ onUpdate: (v) => updates.push(v) });
  watch.start();
  watcher.set([checkpoint(1), checkpoint(2)]);
  await settle();
  watch.stop();
  await watch.idle();
  assert.equal(watcher.stopped, 1);
  assert.equal(engine.jobs[0].aborted, true, 'the running analysis is cancelled');
  assert.equal(updates.at(-1)?.watching, false);
  assert.equal(watch.view().queued, 0);
  watcher.set([checkpoint(1), checkpoint(2), checkpoint(3)]);
  await settle();
  assert.equal(engine.jobs.length, 1, 'a stopped watch analyses nothing');

  watch.start();
  assert.equal(watcher.started, 2);
  await settle();
  assert.deepEqual(engine.epochs, [1, 1], 'the cancelled checkpoint is analysed on resume');
  engine.jobs[1].finish();
  await settle();
  engine.jobs[2].finish();
  await settle();
  engine.jobs[3].finish();
  await watch.idle();
  assert.deepEqual(engine.epochs, [1, 1, 2, 3]);
  assert.deepEqual(watch.view().trajectory?.epochs, [1, 2, 3]);
  assert.equal(watch.view().watching, true);
});

test('resumed before the cancelled analysis ended: its checkpoint is queued again, not lost', async () => {
  const { watch, watcher, engine } = controller();
  watch.start();
  watcher.set([checkpoint(1)]);
  await settle();
  watch.stop();
  watch.start();
  await settle();
  assert.equal(engine.jobs[0].aborted, true);
  assert.deepEqual(engine.epochs, [1, 1]);
  engine.jobs[1].finish();
  await watch.idle();
  assert.deepEqual(watch.view().trajectory?.epochs, [1]);
});

test('a checkpoint rewritten into a corrupt one loses its earlier point (not of the bytes there now), as in the CLI', async () => {
  const { watch, watcher, engine } = controller();
  watch.start();
  watcher.set([checkpoint(1), checkpoint(2)]);
  await settle();
  engine.jobs[0].finish();
  await settle();
  engine.jobs[1].finish();
  await watch.idle();
  watcher.set([checkpoint(1, 'corrupt', 'k1-torn', '/run/epoch_1.onnx: truncated'), checkpoint(2)]);
  await settle();
  assert.deepEqual(watch.view().trajectory?.epochs, [2]);
  assert.equal(stateOf(watch.view(), 1), 'corrupt');
});
