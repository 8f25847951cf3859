/**
 * A held-out split that is the training split (the "test part" of a folder without one, a copied file)
 * is refused before any inference; samples shared by two different sources are counted from their content.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openDataset, overlapWarning, refuseIdenticalSplits, SampleDigests, type DatasetSource } from '../../../src/core/dataset';
import { patternImage, withTempDir, writeIdx, writeNpz, writePng } from './helpers/writers';
import { rejection } from '../helpers/rejection';

/** Class folders a/ (even samples) and b/ (odd ones) of 4x4 grey PNGs; sample s has pattern s. */
function writeImageFolder(root: string, samples: number[]): void {
  for (const s of samples) writePng(join(root, s % 2 === 0 ? 'a' : 'b', `img${s}.png`), 4, 4, 1, patternImage(s, 4, 4, 1));
}

async function withSources<T>(train: DatasetSource, test: DatasetSource, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } finally {
    await train.close();
    await test.close();
  }
}

/** Pass 1's digests of every sample of both sources, compared. */
async function overlapOf(train: DatasetSource, test: DatasetSource) {
  const digests = [new SampleDigests(), new SampleDigests()] as const;
  for (const [i, source] of [train, test].entries()) digests[i]!.add(await source.read(Int32Array.from({ length: source.size }, (_, k) => k)));
  return digests[0].overlap(digests[1], train, test);
}

test('the "test part" of an image folder that has none is the training split: refused, naming both and why', async () => {
  await withTempDir('same-folder', async (dir) => {
    writeImageFolder(dir, [0, 1, 2, 3]);
    const train = await openDataset({ path: dir, split: 'train' });
    const test = await openDataset({ path: dir, split: 'test' });
    await withSources(train, test, async () => {
      const message = await rejection(() => refuseIdenticalSplits(train, test));
      assert.match(message, /the held-out split is the training split .* \(the same files\)/);
      assert.match(message, /has no test part \(no test\/ folder/);
      assert.ok(message.startsWith(`${dir}: `), message);
    });
  });
});

test('an .npz without x_test asked for its test split is the same arrays: refused; x_train vs x_test is not', async () => {
  await withTempDir('same-npz', async (dir) => {
    const x = Float32Array.from({ length: 4 * 3 }, (_, i) => i / 7);
    const y = BigInt64Array.from([0n, 1n, 0n, 1n]);
    const single = writeNpz(join(dir, 'single.npz'), { x: { data: x, shape: [4, 3] }, y: { data: y, shape: [4] } });
    const a = await openDataset({ path: single, split: 'train' });
    const b = await openDataset({ path: single, split: 'test' });
    await withSources(a, b, async () => assert.match(await rejection(() => refuseIdenticalSplits(a, b)), /single\.npz: the held-out split is the training split/));

    const both = writeNpz(join(dir, 'both.npz'), {
      x_train: { data: x, shape: [4, 3] },
      y_train: { data: y, shape: [4] },
      x_test: { data: x.map((v) => v + 1), shape: [4, 3] },
      y_test: { data: y, shape: [4] },
    });
    const train = await openDataset({ path: both, split: 'train' });
    const test = await openDataset({ path: both, split: 'test' });
    await withSources(train, test, () => refuseIdenticalSplits(train, test));
  });
});

/** Labels 0, 1 alternating over 6 samples. */
const COPY_LABELS = [0, 1, 0, 1, 0, 1];

/** The same 6 IDX samples under train/ and copy/, opened. */
async function idxCopies(dir: string) {
  const pixels = Array.from({ length: 6 * 2 * 2 }, (_, i) => (i * 29) & 0xff);
  const labels = COPY_LABELS;
  for (const folder of ['train', 'copy']) {
    writeIdx(join(dir, folder, 'images-idx3-ubyte'), 'uint8', [6, 2, 2], pixels);
    writeIdx(join(dir, folder, 'labels-idx1-ubyte'), 'uint8', [6], labels);
  }
  return { train: await openDataset({ path: join(dir, 'train', 'images-idx3-ubyte') }), copy: await openDataset({ path: join(dir, 'copy', 'images-idx3-ubyte') }) };
}

test('a copy of the training data under another name (IDX, .npz) is refused by content', async () => {
  await withTempDir('copies', async (dir) => {
    const { train, copy } = await idxCopies(dir);
    await withSources(train, copy, async () => {
      const message = await rejection(() => refuseIdenticalSplits(train, copy));
      assert.match(message, /copy\/images-idx3-ubyte: the held-out split has the same content as the training split .*train\/images-idx3-ubyte/);
      assert.match(message, /6 samples, the same labels, and the 6 samples compared are byte for byte equal/);
    });

    const x = Float64Array.from({ length: 6 * 3 }, (_, i) => Math.sin(i));
    const y = BigInt64Array.from(COPY_LABELS.map(BigInt));
    const first = writeNpz(join(dir, 'a.npz'), { x: { data: x, shape: [6, 3] }, y: { data: y, shape: [6] } });
    const second = writeNpz(join(dir, 'b.npz'), { x: { data: x, shape: [6, 3] }, y: { data: y, shape: [6] } });
    const a = await openDataset({ path: first });
    const b = await openDataset({ path: second });
    await withSources(a, b, async () => assert.match(await rejection(() => refuseIdenticalSplits(a, b)), /b\.npz: the held-out split has the same content as the training split .*a\.npz/));

    // Same size and labels, one sample different: not identical (the pass counts the shared ones).
    const changed = x.slice();
    changed[0] = 42;
    const third = writeNpz(join(dir, 'c.npz'), { x: { data: changed, shape: [6, 3] }, y: { data: y, shape: [6] } });
    const a2 = await openDataset({ path: first });
    const c = await openDataset({ path: third });
    await withSources(a2, c, async () => {
      await refuseIdenticalSplits(a2, c);
      assert.deepEqual(await overlapOf(a2, c), { samples: 5, of: 6, examples: ['held-out #1 = train #1', 'held-out #2 = train #2', 'held-out #3 = train #3', 'held-out #4 = train #4', 'held-out #5 = train #5'] });
    });
  });
});

test('the content check reads only samples both analyses select: files outside them are never read (nor counted)', async () => {
  await withTempDir('selected', async (dir) => {
    const { train, copy } = await idxCopies(dir);
    await withSources(train, copy, async () => {
      const read: number[] = [];
      const spied = (source: typeof train) => Object.assign(Object.create(source) as typeof train, { read: (indices: Int32Array) => (read.push(...indices), source.read(indices)) });
      const selected = { train: Int32Array.from([1, 2, 4]), test: Int32Array.from([2, 4, 5]) };
      const message = await rejection(() => refuseIdenticalSplits(spied(train), spied(copy), selected));
      assert.match(message, /the 2 samples compared are byte for byte equal/);
      assert.deepEqual([...new Set(read)].sort(), [2, 4], 'only samples selected in both splits were read');
      read.length = 0;
      await refuseIdenticalSplits(spied(train), spied(copy), { train: Int32Array.from([0, 1]), test: Int32Array.from([2, 3]) });
      assert.deepEqual(read, [], 'no sample selected in both: nothing to compare, nothing read');
    });
  });
});

test('image folders sharing some images (by content, whatever their names) are counted, with the pairs named', async () => {
  await withTempDir('partial', async (dir) => {
    writeImageFolder(join(dir, 'train'), [0, 1, 2, 3, 4, 5]);
    writeImageFolder(join(dir, 'heldout'), [4, 5, 6, 7]);
    // The same picture as training sample 2, renamed.
    writePng(join(dir, 'heldout', 'a', 'renamed.png'), 4, 4, 1, patternImage(2, 4, 4, 1));
    const train = await openDataset({ path: join(dir, 'train') });
    const test = await openDataset({ path: join(dir, 'heldout') });
    await withSources(train, test, async () => {
      await refuseIdenticalSplits(train, test);
      const overlap = await overlapOf(train, test);
      assert.equal(overlap.samples, 3);
      assert.equal(overlap.of, 5);
      assert.deepEqual([...overlap.examples].sort(), ['held-out a/img4.png = train a/img4.png', 'held-out a/renamed.png = train a/img2.png', 'held-out b/img5.png = train b/img5.png']);
      const warning = overlapWarning(overlap, train.source, test.source) ?? '';
      assert.match(warning, /^3 of the 5 held-out samples in .*heldout are also training samples in .*train \(same content\)/);
      assert.match(warning, /overstate generalisation/);
    });
  });
});

test('no overlap: no warning, and the count says it was checked', () => {
  assert.equal(overlapWarning({ samples: 0, of: 10, examples: [] }, 'a', 'b'), null);
  assert.match(overlapWarning({ samples: 4, of: 4, examples: ['held-out #0 = train #0'] }, 'a', 'b') ?? '', /4 of the 4 held-out samples \(all of them: there is no held-out sample\) in b/);
});
