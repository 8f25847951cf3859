/**
 * The checkpoint watcher on real files in temporary folders, with a fake clock stepped by hand: no test
 * waits on elapsed time. settleMs and corruptAfterMs are measured on that clock between explicit polls.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withTempDir } from '../dataset/helpers/writers';
import { CheckpointWatcher } from '../../../src/core/watch/checkpointWatcher';
import type { WatchedCheckpoint } from '../../../src/core/watch/types';

const MODELS = join(__dirname, '..', '..', 'fixtures', 'models');
const TFJS = join(__dirname, '..', '..', 'fixtures', 'tfjs', 'layers-mlp');
const SETTLE = 1000;
const CORRUPT_AFTER = 5000;

/** A watcher on `dir` whose clock only moves when the test says so. */
function watcherOn(dir: string) {
  let now = 0;
  const watcher = new CheckpointWatcher(dir, { pollMs: 10, settleMs: SETTLE, corruptAfterMs: CORRUPT_AFTER, now: () => now });
  return {
    watcher,
    /** Moves the clock on by `ms`, polls once, and returns the snapshot. */
    async after(ms: number): Promise<WatchedCheckpoint[]> {
      now += ms;
      await watcher.poll();
      return watcher.snapshot();
    },
  };
}

const stateOf = (snap: WatchedCheckpoint[], name: string) => snap.find((c) => c.file.includes(name))?.state;

test('checkpoints are ordered by the number in their name (epoch_2 before epoch_10), TF.js folders included', async () => {
  await withTempDir('watch-order', async (dir) => {
    copyFileSync(join(MODELS, 'mlp.onnx'), join(dir, 'epoch_10.onnx'));
    copyFileSync(join(MODELS, 'mlp_early.onnx'), join(dir, 'epoch_2.onnx'));
    mkdirSync(join(dir, 'checkpoint-5'));
    for (const f of ['model.json', 'weights.bin']) copyFileSync(join(TFJS, f), join(dir, 'checkpoint-5', f));
    writeFileSync(join(dir, 'notes.txt'), 'not a checkpoint');
    const { after } = watcherOn(dir);
    const first = await after(0);
    assert.deepEqual(first.map((c) => c.epoch), [2, 5, 10]);
    assert.deepEqual(first.map((c) => c.state), ['settling', 'settling', 'settling']);
    assert.equal(first[1].file, join(dir, 'checkpoint-5', 'model.json'));
    const settled = await after(SETTLE);
    assert.deepEqual(settled.map((c) => c.state), ['ready', 'ready', 'ready']);
    // The key names the shard too: a TF.js checkpoint is the model.json and every shard it lists.
    assert.match(settled[1].key, /weights\.bin=/);
  });
});

test('an .onnx written in chunks is never ready while incomplete, however long each chunk sits still', async () => {
  await withTempDir('watch-chunks', async (dir) => {
    const bytes = readFileSync(join(MODELS, 'mlp.onnx'));
    const target = join(dir, 'epoch_3.onnx');
    const { after } = watcherOn(dir);
    const chunk = Math.ceil(bytes.length / 7);
    writeFileSync(target, bytes.subarray(0, 1));
    for (let at = 1; at < bytes.length; at += chunk) {
      appendFileSync(target, bytes.subarray(at, Math.min(at + chunk, bytes.length)));
      const complete = at + chunk >= bytes.length;
      assert.equal(stateOf(await after(0), 'epoch_3'), 'settling', 'a file that just changed waits the settle time');
      const settled = stateOf(await after(SETTLE), 'epoch_3');
      // Short of corruptAfterMs a stable but unparsable file is still settling (the writer may be slow).
      assert.equal(settled, complete ? 'ready' : 'settling', `after ${Math.min(at + chunk, bytes.length)} of ${bytes.length} bytes`);
    }
  });
});

test('an .onnx cut right after its graph (no opset_import) is not taken for a whole model', async () => {
  await withTempDir('watch-cut', async (dir) => {
    const bytes = readFileSync(join(MODELS, 'mlp.onnx'));
    // ModelProto field 8 (opset_import) is written last by the exporter: tag 0x42, a length, its body.
    const opsetAt = bytes.lastIndexOf(0x42, bytes.length - 4);
    assert.equal(opsetAt + 2 + bytes[opsetAt + 1], bytes.length, 'the fixture ends with one short opset_import');
    writeFileSync(join(dir, 'epoch_1.onnx'), bytes.subarray(0, opsetAt));
    const { after } = watcherOn(dir);
    await after(0);
    assert.equal(stateOf(await after(SETTLE), 'epoch_1'), 'settling');
    const corrupt = (await after(CORRUPT_AFTER))[0];
    assert.equal(corrupt.state, 'corrupt');
    assert.match(corrupt.reason ?? '', /epoch_1\.onnx: truncated.*opset_import/);
  });
});

test('a truncated .onnx and a file of garbage become corrupt after corruptAfterMs, with a reason naming the file', async () => {
  await withTempDir('watch-corrupt', async (dir) => {
    const bytes = readFileSync(join(MODELS, 'mlp.onnx'));
    writeFileSync(join(dir, 'epoch_1.onnx'), bytes.subarray(0, Math.floor(bytes.length / 2)));
    writeFileSync(join(dir, 'epoch_2.onnx'), 'this is not a model at all');
    writeFileSync(join(dir, 'epoch_3.onnx'), '');
    const { after } = watcherOn(dir);
    await after(0);
    assert.deepEqual((await after(SETTLE)).map((c) => c.state), ['settling', 'settling', 'settling']);
    assert.deepEqual((await after(CORRUPT_AFTER - 1)).map((c) => c.state), ['settling', 'settling', 'settling']);
    const snap = await after(1);
    assert.deepEqual(snap.map((c) => c.state), ['corrupt', 'corrupt', 'corrupt']);
    assert.match(snap[0].reason ?? '', /epoch_1\.onnx: truncated/);
    assert.match(snap[1].reason ?? '', /epoch_2\.onnx: not an ONNX model/);
    assert.match(snap[2].reason ?? '', /epoch_3\.onnx is empty/);
  });
});

test('TF.js shards that arrive after model.json: settling (not corrupt) until they land, then ready', async () => {
  await withTempDir('watch-tfjs-late', async (dir) => {
    const folder = join(dir, 'checkpoint-3000');
    mkdirSync(folder);
    copyFileSync(join(TFJS, 'model.json'), join(folder, 'model.json'));
    const { after } = watcherOn(dir);
    await after(0);
    assert.equal(stateOf(await after(SETTLE), 'checkpoint-3000'), 'settling');
    assert.equal(stateOf(await after(CORRUPT_AFTER - 1), 'checkpoint-3000'), 'settling');
    // Half the shard, then the rest: a short shard is not whole either.
    const shard = readFileSync(join(TFJS, 'weights.bin'));
    writeFileSync(join(folder, 'weights.bin'), shard.subarray(0, 1000));
    const half = await after(0);
    assert.equal(stateOf(half, 'checkpoint-3000'), 'settling');
    assert.equal(stateOf(await after(SETTLE), 'checkpoint-3000'), 'settling');
    appendFileSync(join(folder, 'weights.bin'), shard.subarray(1000));
    await after(0);
    assert.equal(stateOf(await after(SETTLE), 'checkpoint-3000'), 'ready');
  });
});

test('a TF.js shard that stays missing or short is corrupt after corruptAfterMs, naming the shard', async () => {
  await withTempDir('watch-tfjs-missing', async (dir) => {
    for (const name of ['ckpt-1', 'ckpt-2']) {
      mkdirSync(join(dir, name));
      copyFileSync(join(TFJS, 'model.json'), join(dir, name, 'model.json'));
    }
    writeFileSync(join(dir, 'ckpt-2', 'weights.bin'), readFileSync(join(TFJS, 'weights.bin')).subarray(0, 4000));
    const { after } = watcherOn(dir);
    await after(0);
    await after(SETTLE);
    const snap = await after(CORRUPT_AFTER);
    assert.deepEqual(snap.map((c) => c.state), ['corrupt', 'corrupt']);
    assert.match(snap[0].reason ?? '', /weight shard "weights\.bin" listed in model\.json is missing/);
    assert.match(snap[1].reason ?? '', /ckpt-2.*weights\.bin: weight shard has the wrong size/);
  });
});

test('a deleted checkpoint is kept as deleted with its key; a rewritten one gets a new key and settles again', async () => {
  await withTempDir('watch-delete', async (dir) => {
    copyFileSync(join(MODELS, 'mlp.onnx'), join(dir, 'epoch_1.onnx'));
    copyFileSync(join(MODELS, 'mlp.onnx'), join(dir, 'epoch_2.onnx'));
    const { watcher, after } = watcherOn(dir);
    const changes: string[][] = [];
    watcher.onChange((snap) => changes.push(snap.map((c) => c.state)));
    await after(0);
    const ready = await after(SETTLE);
    assert.deepEqual(ready.map((c) => c.state), ['ready', 'ready']);
    // A poll that changes nothing tells no one.
    await after(SETTLE);
    assert.equal(changes.length, 2);

    rmSync(join(dir, 'epoch_1.onnx'));
    copyFileSync(join(MODELS, 'mlp_early.onnx'), join(dir, 'epoch_2.onnx'));
    const next = await after(0);
    assert.deepEqual(next.map((c) => c.state), ['deleted', 'settling']);
    assert.equal(next[0].key, ready[0].key, 'a deleted checkpoint keeps the key of what was analysed');
    assert.notEqual(next[1].key, ready[1].key);
    assert.deepEqual((await after(SETTLE)).map((c) => c.state), ['deleted', 'ready']);
    assert.deepEqual(changes.at(-1), ['deleted', 'ready']);

    // Put back: a new sighting, settling again.
    copyFileSync(join(MODELS, 'mlp.onnx'), join(dir, 'epoch_1.onnx'));
    assert.deepEqual((await after(0)).map((c) => c.state), ['settling', 'ready']);
  });
});

test('names without an epoch number, or with an epoch already taken, are listed as skipped, never dropped silently', async () => {
  await withTempDir('watch-skip', async (dir) => {
    copyFileSync(join(MODELS, 'mlp.onnx'), join(dir, 'epoch_4.onnx'));
    copyFileSync(join(MODELS, 'mlp.onnx'), join(dir, 'final.onnx'));
    const { watcher, after } = watcherOn(dir);
    await after(0);
    copyFileSync(join(MODELS, 'mlp.onnx'), join(dir, 'ep4.onnx'));
    const snap = await after(0);
    assert.deepEqual(snap.map((c) => c.file), [join(dir, 'epoch_4.onnx')]);
    const skipped = watcher.skipped();
    assert.equal(skipped.length, 2);
    assert.match(skipped.join('\n'), /ep4\.onnx: epoch 4 already read from .*epoch_4\.onnx/);
    assert.match(skipped.join('\n'), /final\.onnx: no epoch number in its name/);
  });
});

test('a folder that cannot be listed rejects the poll with its path', async () => {
  const watcher = new CheckpointWatcher('/nonexistent/collapse-lens-watch', { now: () => 0 });
  await assert.rejects(watcher.poll(), /\/nonexistent\/collapse-lens-watch: no such file or directory/);
});
