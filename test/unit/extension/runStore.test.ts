import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withTempDir } from '../dataset/helpers/writers';
import { RunStore, rerunRequest } from '../../../src/extension/store/runStore';
import { syntheticResult } from '../helpers/syntheticResult';
import type { AnalyzeRequest } from '../../../src/protocol/engine';
import type { AnalysisResult } from '../../../src/core/result';

const request: AnalyzeRequest = {
  checkpoint: 'm.onnx', train: { path: 'data', split: 'train' }, layers: 'auto', perClass: 200, batchSize: 64, provider: 'auto', threads: 0, seed: 0, epsilon: 0.01,
};

test('the run key changes with what changes the numbers, and only with that', () => {
  const key = RunStore.runKey('abc', request);
  assert.equal(RunStore.runKey('abc', { ...request }), key);
  const other: AnalyzeRequest = { ...request, batchSize: 8, provider: 'cpu' };
  assert.equal(RunStore.runKey('abc', other), key, 'batch size and provider do not change the metrics');
  for (const changed of [{ perClass: 100 }, { layers: 'all' as const }, { seed: 1 }, { epsilon: 0.05 }, { test: { path: 'data', split: 'test' as const } }, { preprocessingSettings: { scale: 1 } }, { preprocessing: { mean: [0.5] } }, { reduction: { all: 'gap' as const } }, { reduction: { all: 'auto' as const, layers: { l0: 'mean' as const } } }]) {
    assert.notEqual(RunStore.runKey('abc', { ...request, ...changed }), key, JSON.stringify(changed));
  }
  assert.notEqual(RunStore.runKey('abd', request), key, 'another checkpoint content');
  assert.equal(RunStore.runKey('abc', { ...request, reduction: { all: 'auto' } }), key, 'the default reduction is the key of a run stored before reductions existed');
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

/** A result with `count` layers and a held-out split, finished or (partial) with the held-out split pending. */
function runResult(count: number, finished = true): AnalysisResult {
  const r = syntheticResult({ layers: Array.from({ length: count }, (_, i) => ({ name: `l${i}`, nc1: 1 / (i + 1), ncc: 0.5 })) });
  r.dataset.test = { source: 'data', format: finished ? 'idx' : 'pending' };
  if (finished) {
    r.splits.test = { samples: 100, accuracy: 0.9 };
    for (const l of r.layers) l.metrics.test = { ...l.metrics.train };
  }
  return r;
}

const layerCount = async (store: RunStore, id: string) => (await store.load(id))?.layers.length;

test('a re-run that fails or is cancelled part way never replaces the complete run of the same key', async () => {
  await withTempDir('store', async (dir) => {
    const store = await RunStore.open(dir);
    await store.save('k', runResult(11), true, request);
    const kept = await store.save('k', runResult(2, false), false, request);
    assert.equal(kept.complete, true, 'the complete run\'s entry comes back: the caller can say it was kept');
    assert.equal(await layerCount(store, 'k'), 11);
    const reopened = await RunStore.open(dir);
    assert.equal(reopened.get('k')?.complete, true);
    assert.equal(await layerCount(reopened, 'k'), 11, 'still the 11-layer run after reopening');

    await store.save('k', runResult(3), true, request);
    assert.equal(await layerCount(store, 'k'), 3, 'a re-run that completes replaces it');
  });
});

test('a partial run is stored, marked incomplete, until a newer partial or a complete run of its key replaces it', async () => {
  await withTempDir('store', async (dir) => {
    const store = await RunStore.open(dir);
    await store.save('k', runResult(2, false), false, request);
    assert.equal(store.get('k')?.complete, false);
    await store.save('k', runResult(4, false), false, request);
    assert.equal(await layerCount(store, 'k'), 4);
    await store.save('k', runResult(11), true, request);
    assert.equal(store.get('k')?.complete, true);
    assert.equal(await layerCount(store, 'k'), 11);
  });
});

test('a torn index.json is rebuilt from the result files, entries and all, and the next save keeps every run', async () => {
  await withTempDir('store', async (dir) => {
    const store = await RunStore.open(dir);
    const made = { ...request, perClass: 50 };
    await store.save('a', runResult(11), true, made);
    await store.save('b', runResult(2, false), false, request);
    await store.save('c', runResult(5), true, request);
    writeFileSync(join(dir, 'index.json'), '[{"id": "a", "label": "m.onnx · da');

    const warnings: string[] = [];
    const reopened = await RunStore.open(dir, (line) => warnings.push(line));
    assert.deepEqual(reopened.list().map((e) => e.id).sort(), ['a', 'b', 'c']);
    assert.equal(reopened.get('b')?.complete, false, 'the incomplete run stays incomplete');
    assert.equal(reopened.get('a')?.request?.perClass, 50, 'each run keeps its request (re-run without the picks)');
    assert.match(warnings.join('\n'), /index\.json is not valid JSON .*; rebuilding it from the 3 result file\(s\)/);
    assert.doesNotThrow(() => JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')), 'the rebuilt index is saved');

    await reopened.save('d', runResult(1), true, request);
    assert.deepEqual((await RunStore.open(dir)).list().map((e) => e.id).sort(), ['a', 'b', 'c', 'd'], 'no result file is orphaned');
  });
});

test('a missing index, or an index entry that is not a run, is rebuilt too; a store of results saved before entries were kept still lists them', async () => {
  await withTempDir('store', async (dir) => {
    const store = await RunStore.open(dir);
    await store.save('a', runResult(11), true, request);
    await store.save('b', runResult(2, false), false, request);
    rmSync(join(dir, 'index.json'));
    assert.deepEqual((await RunStore.open(dir)).list().map((e) => e.id).sort(), ['a', 'b']);

    writeFileSync(join(dir, 'index.json'), JSON.stringify([{ id: 'a' }]));
    for (const id of ['a', 'b']) rmSync(join(dir, `${id}.run.json`));
    const rebuilt = await RunStore.open(dir);
    assert.equal(rebuilt.get('a')?.complete, true);
    assert.equal(rebuilt.get('b')?.complete, false, 'a result whose held-out split is pending is not taken for a complete run');
    assert.equal(rebuilt.get('a')?.label, 'model.onnx · data (train + test)');
  });
});

test('rebuilding skips a result file that fails the schema check, and says which file and field', async () => {
  await withTempDir('store', async (dir) => {
    const store = await RunStore.open(dir);
    await store.save('good', runResult(3), true, request);
    const broken = JSON.parse(JSON.stringify(runResult(3))) as { layers: { metrics?: unknown }[] };
    delete broken.layers[0]!.metrics;
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(broken));
    writeFileSync(join(dir, 'index.json'), 'garbage');
    const warnings: string[] = [];
    const reopened = await RunStore.open(dir, (line) => warnings.push(line));
    assert.deepEqual(reopened.list().map((e) => e.id), ['good']);
    assert.ok(warnings.some((w) => w.includes(`${join(dir, 'bad.json')}: not a valid Collapse Lens result: layers[0].metrics is missing`)), warnings.join('\n'));
  });
});

test('opening reconciles a sound index with the files: a result it does not list is added, a listed run whose file is gone is dropped', async () => {
  await withTempDir('store', async (dir) => {
    const store = await RunStore.open(dir);
    await store.save('a', runResult(3), true, request);
    await store.save('b', runResult(3), true, request);
    const index = readFileSync(join(dir, 'index.json'), 'utf8');
    await store.save('c', runResult(3), true, request);
    writeFileSync(join(dir, 'index.json'), index); // as if another window wrote its older list last
    rmSync(join(dir, 'b.json'));
    assert.deepEqual((await RunStore.open(dir)).list().map((e) => e.id).sort(), ['a', 'c']);
  });
});

test('saves at once (one store, or two windows on one folder) all succeed and leave no temporary file', async () => {
  await withTempDir('store', async (dir) => {
    const one = await RunStore.open(dir);
    const other = await RunStore.open(dir);
    const ids = Array.from({ length: 8 }, (_, i) => `r${i}`);
    await Promise.all([...ids.map((id) => one.save(id, runResult(2), true, request)), other.save('w', runResult(2), true, request), one.save('r0', runResult(3), true, request)]);
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
    assert.deepEqual(one.list().map((e) => e.id).sort(), [...ids].sort(), 'one store\'s index holds every save it made');
    assert.deepEqual((await RunStore.open(dir)).list().map((e) => e.id).sort(), [...ids, 'w'].sort(), 'the other window\'s run is found on opening');
  });
});

test('a stored result that fails the schema check is refused on loading, naming the file and the field; a deleted one is simply absent', async () => {
  await withTempDir('store', async (dir) => {
    const store = await RunStore.open(dir);
    await store.save('k', runResult(3), true, request);
    const broken = JSON.parse(readFileSync(store.resultPath('k'), 'utf8')) as { checkpoint?: unknown };
    delete broken.checkpoint;
    writeFileSync(store.resultPath('k'), JSON.stringify(broken));
    await assert.rejects(store.load('k'), { message: `${store.resultPath('k')}: not a valid Collapse Lens result: checkpoint is missing` });
    rmSync(store.resultPath('k'));
    assert.equal(await store.load('k'), undefined);
  });
});

test('a result no reader would accept is not stored, and the stored run is left as it was', async () => {
  await withTempDir('store', async (dir) => {
    const store = await RunStore.open(dir);
    await store.save('k', runResult(3), true, request);
    const broken = runResult(4);
    (broken.layers[1]!.metrics.train as { nc1: unknown }).nc1 = Number.NaN;
    await assert.rejects(store.save('k', broken, true, request), /the result of run k: not a valid Collapse Lens result: layers\[1\]\.metrics\.train\.nc1 is NaN/);
    assert.equal(await layerCount(store, 'k'), 3);
  });
});

test('a store from before entries were kept beside the results gets them on opening, so a later torn index loses no request', async () => {
  await withTempDir('store', async (dir) => {
    const store = await RunStore.open(dir);
    await store.save('a', runResult(3), true, { ...request, perClass: 50 });
    rmSync(join(dir, 'a.run.json')); // as an older version left it: index.json and a.json only
    await RunStore.open(dir);
    assert.ok(readdirSync(dir).includes('a.run.json'));
    writeFileSync(join(dir, 'index.json'), '');
    assert.equal((await RunStore.open(dir)).get('a')?.request?.perClass, 50);
  });
});

test('a partial save started while the complete one of the same key is still writing never overwrites it', async () => {
  await withTempDir('store-race', async (dir) => {
    const store = await RunStore.open(dir);
    const complete = syntheticResult({ layers: Array.from({ length: 11 }, (_, i) => ({ name: `l${i}`, nc1: 1, ncc: 0.5 })) });
    const partial = syntheticResult({ layers: [{ name: 'l0', nc1: 1, ncc: 0.5 }, { name: 'l1', nc1: 1, ncc: 0.5 }] });
    const [first, second] = await Promise.all([store.save('k', complete, true, request), store.save('k', partial, false, request)]);
    assert.equal(first.complete, true);
    assert.equal(second.complete, true, 'the partial save sees the complete run and returns its entry');
    assert.equal((await store.load('k'))?.layers.length, 11);
    const reopened = await RunStore.open(dir);
    assert.equal(reopened.get('k')?.complete, true);
    assert.equal((await reopened.load('k'))?.layers.length, 11);
  });
});
