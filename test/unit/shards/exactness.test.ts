/**
 * A sharded analysis (analyze --shard i/n --phase 1, merge, --phase 2, merge) gives the single run's
 * result: every metric, matrix, count, point and warning, to 1e-12 relative (the float64 totals are
 * merged in another order of summation, nothing else differs).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeCheckpoint } from '../../../src/engine/analyze/pipeline';
import { validateResult } from '../../../src/core/resultValidation';
import { withTempDir } from '../dataset/helpers/writers';
import { fixtureRequest, silentHooks } from '../pipeline/helpers/analyze';
import { assertSameResult, mergeResult, shardedRun, writeMeans, writePassOne, writePassTwo } from './helpers';

const request = fixtureRequest('mlp');
const single = analyzeCheckpoint(request, silentHooks);

for (const n of [1, 3, 7]) {
  test(`mlp fixture in ${n} shard(s) merges to the single run's result within 1e-12 relative`, async () => {
    await withTempDir('shards-', async (dir) => {
      const merged = await shardedRun(request, n, dir);
      validateResult(JSON.parse(JSON.stringify(merged)), 'merged');
      assertSameResult(merged, await single, 1e-12);
      assert.deepEqual({ passOne: merged.shards?.passOne, passTwo: merged.shards?.passTwo }, { passOne: n, passTwo: n });
      assert.match(merged.shards?.means ?? '', /^[0-9a-f]{64}$/);
    });
  });
}

test('the comparison catches a wrong number: NC1 off by 1e-10, a point moved by 1e-10 of its cloud, a count off by one', async () => {
  const base = await single;
  const copy = () => JSON.parse(JSON.stringify(base)) as typeof base;
  const nc1 = copy();
  nc1.layers[0]!.metrics.train.nc1 = (nc1.layers[0]!.metrics.train.nc1 as number) * (1 + 1e-10);
  assert.throws(() => assertSameResult(nc1, base, 1e-12), /layers\[0\]\.metrics\.train\.nc1/);
  const point = copy();
  const points = point.layers[0]!.metrics.train.projection!.points!;
  const spread = Math.max(...points.map((p) => Math.max(Math.abs(p.x), Math.abs(p.y))));
  points[0]!.x += 1e-10 * spread;
  assert.throws(() => assertSameResult(point, base, 1e-12), /projection\.points\[0\]\.x/);
  const counts = copy();
  counts.splits.train.classCounts![0]! += 1;
  assert.throws(() => assertSameResult(counts, base, 1e-12), /splits\.train\.classCounts\[0\]/);
});

/** Runs `body` with the reductions forced into metrics workers, in `groups` groups of layers. */
async function inWorkers<T>(groups: number, body: () => Promise<T>): Promise<T> {
  const saved = { place: process.env.COLLAPSE_LENS_REDUCE, shards: process.env.COLLAPSE_LENS_REDUCE_SHARDS };
  process.env.COLLAPSE_LENS_REDUCE = 'worker';
  process.env.COLLAPSE_LENS_REDUCE_SHARDS = String(groups);
  try {
    return await body();
  } finally {
    for (const [key, value] of [['COLLAPSE_LENS_REDUCE', saved.place], ['COLLAPSE_LENS_REDUCE_SHARDS', saved.shards]] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

for (const groups of [1, 2]) {
  test(`with the reductions in ${groups} metrics worker(s), 3 shards merge to the single run's result`, async () => {
    await withTempDir('shards-workers-', async (dir) => {
      const merged = await inWorkers(groups, () => shardedRun(request, 3, dir));
      assertSameResult(merged, await single, 1e-12);
    });
  });
}

test('phase 2 may cut the data into another number of shards than phase 1 (3 then 2): the same result', async () => {
  await withTempDir('shards-recut-', async (dir) => {
    const means = await writeMeans(await writePassOne(request, 3, dir), dir);
    const merged = await mergeResult(await writePassTwo(request, 2, means, dir));
    assertSameResult(merged, await single, 1e-12);
    assert.deepEqual({ passOne: merged.shards?.passOne, passTwo: merged.shards?.passTwo }, { passOne: 3, passTwo: 2 });
  });
});

test('cnn fixture (wide probes: the reductions run in a metrics worker) in 3 shards merges to its single run', async () => {
  const cnn = fixtureRequest('cnn', { perClass: 40 });
  const whole = await analyzeCheckpoint(cnn, silentHooks);
  await withTempDir('shards-cnn-', async (dir) => {
    assertSameResult(await shardedRun(cnn, 3, dir), whole, 1e-12);
  });
});
