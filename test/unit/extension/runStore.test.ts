import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withTempDir } from '../dataset/helpers/writers';
import { RunStore, rerunRequest } from '../../../src/extension/store/runStore';
import { syntheticResult } from '../helpers/syntheticResult';
import type { AnalyzeRequest } from '../../../src/protocol/engine';

const request: AnalyzeRequest = {
  checkpoint: 'm.onnx', train: { path: 'data', split: 'train' }, layers: 'auto', perClass: 200, batchSize: 64, provider: 'auto', threads: 0, seed: 0, epsilon: 0.01,
};

test('the run key changes with what changes the numbers, and only with that', () => {
  const key = RunStore.runKey('abc', request);
  assert.equal(RunStore.runKey('abc', { ...request }), key);
  const other: AnalyzeRequest = { ...request, batchSize: 8, provider: 'cpu' };
  assert.equal(RunStore.runKey('abc', other), key, 'batch size and provider do not change the metrics');
  for (const changed of [{ perClass: 100 }, { layers: 'all' as const }, { seed: 1 }, { epsilon: 0.05 }, { test: { path: 'data', split: 'test' as const } }, { preprocessingSettings: { scale: 1 } }, { preprocessing: { mean: [0.5] } }]) {
    assert.notEqual(RunStore.runKey('abc', { ...request, ...changed }), key, JSON.stringify(changed));
  }
  assert.notEqual(RunStore.runKey('abd', request), key, 'another checkpoint content');
});

test('a saved run survives reopening the store, and deleting removes it', async () => {
  await withTempDir('store', async (dir) => {
    const store = await RunStore.open(dir);
    const result = syntheticResult({ layers: [{ name: 'l0', nc1: 1, ncc: 0.5 }] });
    await store.save('r1', result, false, request);
    const reopened = await RunStore.open(dir);
    assert.equal(reopened.get('r1')?.complete, false);
    assert.deepEqual((await reopened.load('r1'))?.layers.map((l) => l.name), ['l0']);
    await reopened.delete('r1');
    assert.equal((await RunStore.open(dir)).get('r1'), undefined);
    assert.equal(await reopened.load('r1'), undefined);
  });
});

test('a run keeps the request it was made with, and a re-run repeats it (settings that change no number from now)', async () => {
  await withTempDir('store', async (dir) => {
    const made: AnalyzeRequest = { ...request, test: { path: 'data', split: 'test' }, perClass: 50, layers: ['l0'], preprocessingSettings: { scale: 1 }, checkpointSha256: 'abc' };
    const id = RunStore.runKey('abc', made);
    const store = await RunStore.open(dir);
    await store.save(id, syntheticResult({ layers: [{ name: 'l0', nc1: 1, ncc: 0.5 }] }), true, made);
    const entry = (await RunStore.open(dir)).get(id);
    assert.ok(entry, 'the run is stored');
    assert.equal(Object.hasOwn(entry.request ?? {}, 'checkpointSha256'), false, 'the hash is not kept: a re-run hashes the file again');

    const again = rerunRequest(entry, { batchSize: 8, provider: 'cpu', threads: 2 });
    assert.ok(again, 'a run with its request can be re-run without asking');
    const { checkpointSha256: _hash, ...numbers } = made;
    assert.deepEqual(again, { ...numbers, checkpoint: entry.checkpointPath, batchSize: 8, provider: 'cpu', threads: 2 });
    assert.equal(RunStore.runKey('abc', again), id, 'the same weights re-run under the same key');
    assert.notEqual(RunStore.runKey('abd', again), id, 'new weights under the same path get a run of their own');

    const { request: _none, ...older } = entry;
    assert.equal(rerunRequest(older, { batchSize: 8, provider: 'cpu', threads: 2 }), null, 'a run stored before requests were kept goes through the picks');
  });
});
