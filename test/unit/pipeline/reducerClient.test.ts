/**
 * The metrics worker must be invisible in the numbers: the same batches reduced in the worker and on
 * the main thread give identical summaries, a bad feature found in the worker fails the analysis with
 * the same message, and owned outputs move to the worker without a copy.
 */
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { createReducer, MAX_REDUCER_SHARDS, reducerShards, reductionPlace, WORKER_MIN_VALUES_PER_SAMPLE, type Reducer } from '../../../src/engine/analyze/reducerClient';
import { partitionLayers, ShardedReducer } from '../../../src/engine/analyze/shardedReducer';
import { SplitReducer, type ReducerBatch, type ReducerSetup } from '../../../src/engine/analyze/reducer';
import { seededRandom } from '../../../src/core/dataset/sampling';

const K = 3;
const LAYERS = [
  { name: 'wide', dim: 40 },
  { name: 'penultimate', dim: 6 },
  { name: 'logits', dim: K },
];
const BATCH = 16;

function setup(): ReducerSetup {
  const next = seededRandom(7);
  const W = Float64Array.from({ length: K * 6 }, () => next() - 0.5);
  const b = Float64Array.from({ length: K }, () => next() - 0.5);
  return { layers: LAYERS, numClasses: K, classifier: { W, b }, classifierInput: 'penultimate', logitsName: 'logits' };
}

/** Class-dependent clusters with noise; fresh arrays every call (a transfer detaches them). */
function batches(seed: number, count: number): ReducerBatch[] {
  const next = seededRandom(seed);
  const out: ReducerBatch[] = [];
  for (let start = 0; start < count; start += BATCH) {
    const n = Math.min(BATCH, count - start);
    const labels = Int32Array.from({ length: n }, (_, i) => (start + i) % K);
    const outputs = new Map<string, Float32Array>();
    for (const layer of LAYERS) {
      outputs.set(layer.name, Float32Array.from({ length: n * layer.dim }, (_, j) => ((labels[Math.floor(j / layer.dim)]! + 1) * ((j % layer.dim) % 3 === 0 ? 1 : -0.5)) + next() - 0.5));
    }
    out.push({ outputs, labels, indices: Int32Array.from({ length: n }, (_, i) => start + i), count: n });
  }
  return out;
}

async function reduceBothSplits(reducer: Reducer | SplitReducer, owned: boolean) {
  const add = async (batch: ReducerBatch) => (reducer instanceof SplitReducer ? reducer.add(batch) : reducer.add(batch, owned));
  const run = async (split: 'train' | 'test', seed: number) => {
    await reducer.beginPassOne(split);
    for (const batch of batches(seed, 90)) await add(batch);
    const one = await reducer.endPassOne();
    for (const batch of batches(seed, 90)) await add(batch);
    return { one, two: await reducer.endPassTwo() };
  };
  return { train: await run('train', 1), test: await run('test', 2) };
}

let opened: Reducer | null = null;
const saved = { place: process.env.COLLAPSE_LENS_REDUCE, shards: process.env.COLLAPSE_LENS_REDUCE_SHARDS };
const restore = (name: string, value: string | undefined) => (value === undefined ? delete process.env[name] : (process.env[name] = value));
afterEach(async () => {
  await opened?.dispose();
  opened = null;
  restore('COLLAPSE_LENS_REDUCE', saved.place);
  restore('COLLAPSE_LENS_REDUCE_SHARDS', saved.shards);
});

/** A reducer where asked; in the worker, the layers over `shards` workers (1 by default). */
async function open(where: 'worker' | 'main-thread', shards = 1): Promise<Reducer> {
  process.env.COLLAPSE_LENS_REDUCE = where;
  process.env.COLLAPSE_LENS_REDUCE_SHARDS = String(shards);
  opened = await createReducer(setup());
  assert.equal(opened.where, where, `the reducer asked for the ${where} runs on the ${opened.where}`);
  return opened;
}

test('the worker and the main thread give identical summaries, both equal to the reducer run directly', async () => {
  const direct = await reduceBothSplits(new SplitReducer(setup()), false);
  const inWorker = await reduceBothSplits(await open('worker'), true);
  await opened?.dispose();
  const onMain = await reduceBothSplits(await open('main-thread'), true);
  assert.deepEqual(inWorker, direct);
  assert.deepEqual(onMain, direct);
  // The summaries are real metrics, not empty shells.
  const penultimate = direct.train.two.metrics.get('penultimate');
  assert.ok(penultimate && typeof penultimate.nc1 === 'number' && penultimate.nc1 > 0, 'NC1 at the classifier input is a positive number');
  assert.deepEqual(direct.train.one.classCounts, [30, 30, 30]);
  assert.ok(direct.train.one.classifierNumbers !== null, 'NC3 is computed from the training split');
  assert.equal(direct.test.one.classifierNumbers, null);
  assert.ok(typeof direct.test.two.accuracy === 'number' && typeof direct.test.two.nc4 === 'number');
});

test('progress names each layer as it is reduced, in the worker as on the main thread', async () => {
  for (const where of ['worker', 'main-thread'] as const) {
    const reducer = await open(where);
    const seen: string[] = [];
    await reducer.beginPassOne('train');
    for (const batch of batches(8, 2 * BATCH)) await reducer.add(batch, true, (layer) => seen.push(layer));
    await reducer.endPassOne();
    const names = LAYERS.map((l) => l.name);
    assert.deepEqual(seen, [...names, ...names], `${where}: one notice per layer and batch, in depth order`);
    await reducer.dispose();
    opened = null;
  }
});

test('owned outputs move to the worker without a copy; others are copied and left intact', async () => {
  const reducer = await open('worker');
  await reducer.beginPassOne('train');
  const [moved, copied] = batches(3, 2 * BATCH);
  await reducer.add(moved!, true);
  await reducer.add(copied!, false);
  await reducer.endPassOne();
  assert.equal(moved!.outputs.get('wide')!.byteLength, 0, 'an owned output is transferred (detached here)');
  assert.equal(copied!.outputs.get('wide')!.length, BATCH * 40, 'an output the runtime still owns is copied');
  assert.equal(copied!.labels.length, BATCH, 'labels are always copied (they may be views of the whole split)');
});

test('a NaN feature reduced in the worker fails with the layer and the sample, as on the main thread', async () => {
  const messages: string[] = [];
  for (const where of ['worker', 'main-thread'] as const) {
    const reducer = await open(where);
    await reducer.beginPassOne('train');
    const list = batches(4, 3 * BATCH);
    list[1]!.outputs.get('wide')![5 * 40 + 2] = Number.NaN;
    const failure = await (async () => {
      for (const batch of list) await reducer.add(batch, true);
      await reducer.endPassOne();
    })().then(
      () => assert.fail(`${where}: a NaN feature was accepted`),
      (err: unknown) => (err instanceof Error ? err.message : String(err)),
    );
    messages.push(failure);
    await reducer.dispose();
    opened = null;
  }
  assert.match(messages[0]!, /layer "wide"/);
  assert.match(messages[0]!, /\b21\b/, 'names sample 21 (batch 1, row 5)');
  assert.equal(messages[0], messages[1]);
});

test('a worker that dies mid-pass fails the next call instead of hanging', async () => {
  const reducer = await open('worker');
  await reducer.beginPassOne('train');
  // Stand-in for an out-of-memory kill: the thread ends while batches are pending.
  const worker = (reducer as unknown as { worker: { terminate(): Promise<number> } }).worker;
  await worker.terminate();
  await assert.rejects(
    (async () => {
      for (const batch of batches(5, 4 * BATCH)) await reducer.add(batch, true);
      await reducer.endPassOne();
    })(),
    /metrics worker (stopped|failed)/,
  );
});

const threadOf = (reducer: Reducer): number => (reducer as unknown as { worker: { threadId: number } }).worker.threadId;

test('a worker that finished cleanly serves the next analysis; one that failed is replaced', async () => {
  const direct = await reduceBothSplits(new SplitReducer(setup()), false);
  const first = await open('worker');
  const firstThread = threadOf(first);
  await reduceBothSplits(first, true);
  await first.dispose();
  const second = await open('worker');
  assert.equal(threadOf(second), firstThread, 'the parked worker is reused');
  assert.deepEqual(await reduceBothSplits(second, true), direct, 'a reused worker starts from fresh accumulators');
  // Fail this analysis (a label outside 0..K-1), then close it: its worker must not be parked.
  await second.beginPassOne('train');
  const [bad] = batches(6, BATCH);
  bad!.labels[0] = K + 4;
  await assert.rejects(async () => {
    await second.add(bad!, true);
    await second.endPassOne();
  }, /label 7/);
  await second.dispose();
  const third = await open('worker');
  assert.notEqual(threadOf(third), firstThread, 'a worker whose analysis failed is not reused');
  assert.deepEqual(await reduceBothSplits(third, true), direct);
});

test('narrow probes reduce on the main thread, wide ones in the worker; the environment can force either', () => {
  const narrow = { ...setup(), layers: [{ name: 'a', dim: 100 }] };
  const wide = { ...setup(), layers: [{ name: 'a', dim: WORKER_MIN_VALUES_PER_SAMPLE }] };
  assert.equal(reductionPlace(narrow, {}), 'main-thread');
  assert.equal(reductionPlace(wide, {}), 'worker');
  assert.equal(reductionPlace(wide, { COLLAPSE_LENS_REDUCE: 'main-thread' }), 'main-thread');
  assert.equal(reductionPlace(narrow, { COLLAPSE_LENS_REDUCE: 'worker' }), 'worker');
});

test('layers spread over several metrics workers give the same summaries to the last bit', async () => {
  const direct = await reduceBothSplits(new SplitReducer(setup()), false);
  for (const shards of [2, 3]) {
    const reducer = await open('worker', shards);
    assert.ok(reducer instanceof ShardedReducer, `${shards} shards asked, got ${reducer.constructor.name}`);
    // Owned outputs (moved to the workers) and borrowed ones (copied) alike.
    assert.deepEqual(await reduceBothSplits(reducer, true), direct, `${shards} shards, owned outputs`);
    assert.deepEqual(await reduceBothSplits(reducer, false), direct, `${shards} shards, borrowed outputs`);
    await reducer.dispose();
    opened = null;
  }
});

test('a NaN feature in one of several metrics workers fails the analysis with the same message', async () => {
  const direct = await (async () => {
    const reducer = new SplitReducer(setup());
    reducer.beginPassOne('train');
    const list = batches(4, 3 * BATCH);
    list[1]!.outputs.get('wide')![5 * 40 + 2] = Number.NaN;
    try {
      for (const batch of list) reducer.add(batch);
      reducer.endPassOne();
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    }
    return assert.fail('a NaN feature was accepted');
  })();
  const reducer = await open('worker', 3);
  await reducer.beginPassOne('train');
  const list = batches(4, 3 * BATCH);
  list[1]!.outputs.get('wide')![5 * 40 + 2] = Number.NaN;
  await assert.rejects(async () => {
    for (const batch of list) await reducer.add(batch, true);
    await reducer.endPassOne();
  }, (err: Error) => err.message === direct);
});

test('the layers are split into groups of about equal width, each in depth order, the network numbers in one', () => {
  const layers = [
    { name: 'conv1', dim: 1000 },
    { name: 'conv2', dim: 800 },
    { name: 'conv3', dim: 600 },
    { name: 'pool', dim: 400 },
    { name: 'fc', dim: 64 },
    { name: 'logits', dim: 10 },
  ];
  const whole = { ...setup(), layers, classifierInput: 'fc', logitsName: 'logits' };
  const { setups: groups, owner } = partitionLayers(whole, 2);
  // Widest first into the lightest group: 1000 | 800, 600 -> 1000 | 1400, 400 -> 1400 | 1400, 64, 10.
  assert.deepEqual(groups.map((g) => g.layers.map((l) => l.name)), [['conv1', 'pool', 'fc'], ['conv2', 'conv3', 'logits']]);
  assert.deepEqual(groups.map((g) => g.layers.reduce((n, l) => n + l.dim, 0)), [1464, 1410]);
  // NC3, NC4 and accuracy: the group with the classifier input, which also reads the other group's logits.
  assert.deepEqual(groups.map((g) => [g.classifierInput, g.logitsName, g.classifier !== null]), [['fc', 'logits', true], [null, null, false]]);
  assert.equal(owner, 0);
  // More groups than layers: one layer each. No classifier: the logits' group counts the accuracy.
  const noClassifier = partitionLayers({ ...whole, classifier: null, classifierInput: null }, 10);
  assert.equal(noClassifier.setups.length, layers.length);
  assert.deepEqual(noClassifier.setups.map((g) => g.logitsName), [null, null, null, null, null, 'logits']);
  assert.equal(noClassifier.owner, 5);
});

test('one metrics worker on two cores; up to half the cores for wide models; the environment sets it', () => {
  const wide = { layers: Array.from({ length: 12 }, (_, i) => ({ name: `l${i}`, dim: 50_000 })) };
  assert.equal(reducerShards(wide, {}, 2), 1);
  assert.equal(reducerShards(wide, {}, 8), 4);
  assert.equal(reducerShards(wide, {}, 64), MAX_REDUCER_SHARDS);
  // Little work in all: not worth more than one.
  assert.equal(reducerShards({ layers: [{ name: 'a', dim: WORKER_MIN_VALUES_PER_SAMPLE }, { name: 'b', dim: 100 }] }, {}, 16), 1);
  assert.equal(reducerShards(wide, { COLLAPSE_LENS_REDUCE_SHARDS: '3' }, 2), 3);
  assert.equal(reducerShards({ layers: wide.layers.slice(0, 2) }, { COLLAPSE_LENS_REDUCE_SHARDS: '5' }, 2), 2, 'at most one worker per layer');
});
