import { test } from 'node:test';
import assert from 'node:assert/strict';
import { streamBatches, type DatasetSource, type RawBatch } from '../../../src/core/dataset';

/** A source whose reads take a while and which records how far ahead of the consumer they run. */
function slowSource(size: number, options: { failAt?: number; dropOdd?: boolean } = {}) {
  const log = { started: 0, maxAhead: 0, consumed: 0 };
  const source: DatasetSource = {
    source: 'fake',
    format: 'fake',
    size,
    sampleShape: [2],
    sampleLayout: 'flat',
    dtype: 'uint8',
    classNames: null,
    labels: async () => Int32Array.from({ length: size }, (_, i) => i % 3),
    read: async (indices: Int32Array): Promise<RawBatch> => {
      log.started++;
      log.maxAhead = Math.max(log.maxAhead, log.started - 1 - log.consumed);
      await new Promise((r) => setTimeout(r, 2));
      if (options.failAt !== undefined && indices.includes(options.failAt)) throw new Error(`fake: sample ${options.failAt} is broken`);
      const kept = options.dropOdd ? indices.filter((i) => i % 2 === 0) : indices;
      return {
        data: Uint8Array.from(Array.from(kept).flatMap((i) => [i, 255 - i])),
        labels: Int32Array.from(kept, (i) => i % 3),
        indices: Int32Array.from(kept),
        count: kept.length,
      };
    },
    describe: () => ({}),
    close: async () => undefined,
  };
  return { source, log };
}

const identity = { apply: (raw: RawBatch) => Float32Array.from(raw.data) };
const indices = Int32Array.from({ length: 23 }, (_, i) => i * 2);

for (const prefetch of [0, 1, 2, 4]) {
  test(`streamBatches yields every batch in order and reads at most ${prefetch} batch(es) ahead`, async () => {
    const { source, log } = slowSource(100);
    const seen: number[] = [];
    for await (const batch of streamBatches(source, indices, 5, identity, { prefetch })) {
      // The consumer is slower than the reads: the prefetcher would run ahead if it were not bounded.
      await new Promise((r) => setTimeout(r, 6));
      seen.push(...batch.indices);
      assert.equal(batch.input.length, batch.count * 2);
      assert.deepEqual(Array.from(batch.input.subarray(0, 2)), [batch.indices[0]!, 255 - batch.indices[0]!]);
      assert.deepEqual(Array.from(batch.labels), Array.from(batch.indices, (i) => i % 3));
      log.consumed++;
    }
    assert.deepEqual(seen, Array.from(indices));
    assert.equal(log.started, 5);
    assert.equal(log.maxAhead, prefetch);
  });
}

test('a failing read surfaces at its own batch, with no unhandled rejection from the read-ahead', async () => {
  const { source } = slowSource(100, { failAt: 20 });
  let unhandled = 0;
  const onUnhandled = (): void => {
    unhandled++;
  };
  process.on('unhandledRejection', onUnhandled);
  const seen: number[] = [];
  try {
    await assert.rejects(async () => {
      for await (const batch of streamBatches(source, indices, 5, identity, { prefetch: 3 })) {
        await new Promise((r) => setTimeout(r, 10));
        seen.push(...batch.indices);
      }
    }, /fake: sample 20 is broken/);
    await new Promise((r) => setTimeout(r, 20));
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
  assert.deepEqual(seen, [0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
  assert.equal(unhandled, 0);
});

test('skipped samples shrink their batch; labels and indices stay aligned with the rows', async () => {
  const { source } = slowSource(100, { dropOdd: true });
  const odd = Int32Array.from([1, 2, 3, 5, 6, 7, 9, 11]);
  const batches = [];
  for await (const batch of streamBatches(source, odd, 3, identity)) batches.push(batch);
  // Batch [9, 11] lost both samples and is not yielded.
  assert.deepEqual(batches.map((b) => Array.from(b.indices)), [[2], [6]]);
  assert.deepEqual(batches.map((b) => b.count), [1, 1]);
});
