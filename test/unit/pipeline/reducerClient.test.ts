/**
 * The metrics worker must be invisible in the numbers: the same batches reduced in the worker and on
 * the main thread give identical summaries, a bad feature found in the worker fails the analysis with
 * the same message, and owned outputs move to the worker without a copy.
 */
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { createReducer, reductionPlace, WORKER_MIN_VALUES_PER_SAMPLE, type Reducer } from '../../../src/engine/analyze/reducerClient';
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
const saved = process.env.COLLAPSE_LENS_REDUCE;
afterEach(async () => {
  await opened?.dispose();
  opened = null;
  if (saved === undefined) delete process.env.COLLAPSE_LENS_REDUCE;
  else process.env.COLLAPSE_LENS_REDUCE = saved;
});

async function open(where: 'worker' | 'main-thread'): Promise<Reducer> {
  process.env.COLLAPSE_LENS_REDUCE = where;
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
