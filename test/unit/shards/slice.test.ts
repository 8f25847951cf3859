import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseShardSpec, shardRange } from '../../../src/engine/shards/slice';
import { fixtureRequest, silentHooks } from '../pipeline/helpers/analyze';
import { analyzeCheckpoint } from '../../../src/engine/analyze/pipeline';
import { withTempDir } from '../dataset/helpers/writers';
import { assertSameResult, shardedRun } from './helpers';

test('every position is in exactly one shard, in order, whatever N and n (empty shards when n > N)', () => {
  for (const total of [0, 1, 2, 7, 10, 999, 2000]) {
    for (const count of [1, 2, 3, 7, 13, 64]) {
      let next = 0;
      for (let index = 1; index <= count; index++) {
        const { from, to } = shardRange(total, { index, count });
        assert.equal(from, next, `N=${total} n=${count} shard ${index} starts where the last ended`);
        assert.ok(to >= from);
        assert.ok(to - from <= Math.ceil(total / count), 'nearly equal sizes');
        next = to;
      }
      assert.equal(next, total, `N=${total} n=${count}: the shards cover every position`);
    }
  }
});

test('--shard i/n reads 1-based numbers and refuses the rest', () => {
  assert.deepEqual(parseShardSpec('1/1'), { index: 1, count: 1 });
  assert.deepEqual(parseShardSpec('7/7'), { index: 7, count: 7 });
  for (const bad of ['0/1', '2/1', '1/0', '-1/3', '1/3/5', '1.5/3', ' /3', '0x1/3', '1/100001']) assert.throws(() => parseShardSpec(bad), /--shard/, bad);
});

test('more shards than samples: the empty shards merge too, to the single run', async () => {
  // 2 samples per class: 20 per split, cut into 23 shards (3 of them empty).
  const request = fixtureRequest('mlp', { perClass: 2 });
  const single = await analyzeCheckpoint(request, silentHooks);
  await withTempDir('shards-empty-', async (dir) => {
    assertSameResult(await shardedRun(request, 23, dir), single, 1e-12);
  });
});
