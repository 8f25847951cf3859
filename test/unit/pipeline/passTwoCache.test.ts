/**
 * Pass 2 replayed from pass 1's cached outputs (src/engine/analyze/passTwoCache.ts) must give the very
 * numbers of a second inference pass: the same float32 arrays are reduced in the same order. Every number
 * of the result is compared for equality, with the cache fitting every split, only one, and off.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AnalysisResult } from '../../../src/core/result';
import type { ProgressInfo } from '../../../src/protocol/engine';
import { analyzeCheckpoint } from '../../../src/engine/analyze/pipeline';
import { PASS2_CACHE_ENV, PassTwoCache, passTwoCacheBudget } from '../../../src/engine/analyze/passTwoCache';
import { validateResult } from '../../../src/core/resultValidation';
import { fixtureRequest } from './helpers/analyze';

async function analyzeWithBudget(model: string, mb: string | undefined, progress?: ProgressInfo[]): Promise<AnalysisResult> {
  const before = process.env[PASS2_CACHE_ENV];
  if (mb === undefined) delete process.env[PASS2_CACHE_ENV];
  else process.env[PASS2_CACHE_ENV] = mb;
  try {
    return await analyzeCheckpoint(fixtureRequest(model), { onProgress: (p) => void progress?.push(p) });
  } finally {
    if (before === undefined) delete process.env[PASS2_CACHE_ENV];
    else process.env[PASS2_CACHE_ENV] = before;
  }
}

/** The result less what says how it ran (timing, the pass-2 fields, the creation time). */
function numbersOf(result: AnalysisResult): unknown {
  const { timing: _timing, createdAt: _createdAt, runtime, ...rest } = result;
  const { pass2: _p, pass2CachedBytes: _b, pass2Note: _n, ...runtimeRest } = runtime ?? { name: '', version: '' };
  return { ...rest, runtime: runtimeRest };
}

for (const model of ['mlp', 'cnn']) {
  test(`${model}: pass 2 replayed from the cache gives every number of the two-pass run, all fitting, partly, and off`, async () => {
    const progressOn: ProgressInfo[] = [];
    const progressOff: ProgressInfo[] = [];
    const off = await analyzeWithBudget(model, '0', progressOff);
    const on = await analyzeWithBudget(model, undefined, progressOn);
    assert.equal(off.runtime?.pass2, 'inferred');
    assert.match(off.runtime?.pass2Note ?? '', /cache is off/);
    assert.equal(on.runtime?.pass2, 'replayed', on.runtime?.pass2Note);
    assert.ok((on.runtime?.pass2CachedBytes ?? 0) > 0);
    assert.equal(on.runtime?.pass2Note, undefined);
    assert.deepStrictEqual(numbersOf(on), numbersOf(off));
    validateResult(JSON.parse(JSON.stringify(on)), 'replayed.json');

    // A budget between the two splits' sizes: the smaller split is replayed, the larger one inferred.
    const train = on.splits.train.samples;
    const held = on.splits.test!.samples;
    assert.notEqual(train, held, 'the fixture splits differ in size');
    const perSample = on.runtime!.pass2CachedBytes! / (train + held);
    const between = (perSample * (train + held)) / 2 / 2 ** 20;
    const partly = await analyzeWithBudget(model, String(between));
    assert.equal(partly.runtime?.pass2, 'partly replayed');
    assert.match(partly.runtime?.pass2Note ?? '', new RegExp(`^${train > held ? 'train' : 'test'}: pass 1's outputs .* exceed the pass-2 cache`));
    assert.deepStrictEqual(numbersOf(partly), numbersOf(off));

    // Progress reads the same either way: a replayed pass reports its batches as a sweep does (the layer
    // lines come from the metrics worker at their own pace, so the counts are compared, not every line).
    const counts = (lines: ProgressInfo[]) => [...new Set(lines.filter((p) => p.stage === 'pass2').map((p) => `${p.split} ${p.done}/${p.total} ${p.message}`))];
    assert.deepStrictEqual(counts(progressOn), counts(progressOff));
    assert.ok(progressOn.some((p) => p.stage === 'pass2' && p.layer !== undefined), 'the replay names the layers it reduces');
  });
}

test('a cache whose batches do not add up to what pass 1 counted refuses to replay, and says why', () => {
  const batch = (indices: number[]) => ({ outputs: new Map([['x', new Float32Array(indices.length)]]), labels: new Int32Array(indices.length), indices: Int32Array.from(indices), count: indices.length });
  const cache = new PassTwoCache(2 ** 20, 4);
  assert.equal(cache.keep(batch([0, 1]), true), true);
  assert.equal(cache.keep(batch([1, 2]), true), true);
  const taken = cache.takeForReplay(4);
  assert.equal(taken.batches, null);
  assert.deepEqual(taken.source, { kind: 'inferred', why: 'the cached batches hold 4 samples (3 distinct) where pass 1 counted 4' });
});

test('a kept batch that the runner does not own is copied; one that it owns is kept as it is', () => {
  const values = new Float32Array([1, 2]);
  const owned = new PassTwoCache(2 ** 20, 2);
  owned.keep({ outputs: new Map([['x', values]]), labels: new Int32Array(2), indices: Int32Array.from([0, 1]), count: 2 }, true);
  assert.equal(owned.takeForReplay(2).batches![0]!.outputs.get('x'), values);
  const lent = new PassTwoCache(2 ** 20, 2);
  lent.keep({ outputs: new Map([['x', values]]), labels: new Int32Array(2), indices: Int32Array.from([0, 1]), count: 2 }, false);
  values[0] = 9;
  assert.deepEqual([...lent.takeForReplay(2).batches![0]!.outputs.get('x')!], [1, 2]);
});

test(`${PASS2_CACHE_ENV}: the default is 256 MiB, 0 turns it off, a value that is not a number is refused`, () => {
  assert.equal(passTwoCacheBudget({}), 256 * 2 ** 20);
  assert.equal(passTwoCacheBudget({ [PASS2_CACHE_ENV]: '0' }), 0);
  assert.equal(passTwoCacheBudget({ [PASS2_CACHE_ENV]: '1.5' }), 1.5 * 2 ** 20);
  assert.throws(() => passTwoCacheBudget({ [PASS2_CACHE_ENV]: 'lots' }), /COLLAPSE_LENS_PASS2_CACHE_MB="lots": expected a number of MiB, 0 or more/);
  assert.throws(() => passTwoCacheBudget({ [PASS2_CACHE_ENV]: '-1' }), /expected a number of MiB/);
});
