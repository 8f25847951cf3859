import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeWorkspaceDatasets, listSplits, openDataset } from '../../../src/core/dataset';
import { withTempDir, writeBytes, writeCifar } from './helpers/writers';

/** A CIFAR image whose planes are recognisable: R = id, G = id + 1, B = id + 2 (plus position). */
function image(id: number): Uint8Array {
  const out = new Uint8Array(3072);
  for (let c = 0; c < 3; c++) for (let p = 0; p < 1024; p++) out[c * 1024 + p] = (id * 7 + c * 50 + p) & 0xff;
  return out;
}

test('a CIFAR-10 folder reads data_batch_1..N in numeric order as train, test_batch as test, names from batches.meta.txt', async () => {
  await withTempDir('cifar10', async (dir) => {
    writeCifar(join(dir, 'data_batch_2.bin'), [{ labels: [5], image: image(20) }, { labels: [6], image: image(21) }]);
    writeCifar(join(dir, 'data_batch_1.bin'), [{ labels: [9], image: image(10) }, { labels: [0], image: image(11) }]);
    writeCifar(join(dir, 'test_batch.bin'), [{ labels: [3], image: image(30) }]);
    writeBytes(join(dir, 'batches.meta.txt'), 'airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n');
    assert.deepEqual(await listSplits(dir), ['train', 'test']);
    const train = await openDataset({ path: dir, split: 'train' });
    assert.deepEqual([train.format, train.size, train.sampleShape, train.sampleLayout], ['cifar10', 4, [3, 32, 32], 'chw']);
    assert.deepEqual(Array.from(await train.labels()), [9, 0, 5, 6]);
    assert.equal(train.classNames?.[9], 'truck');
    assert.equal(train.classNames?.length, 10);
    // Row 2 is the first record of data_batch_2: rows span files.
    const batch = await train.read(Int32Array.from([2, 1]));
    assert.deepEqual(Array.from(batch.data.subarray(0, 3072)), Array.from(image(20)));
    assert.deepEqual(Array.from(batch.data.subarray(3072)), Array.from(image(11)));
    assert.deepEqual(Array.from(batch.labels), [5, 0]);
    await train.close();
    const test = await openDataset({ path: dir, split: 'test' });
    assert.deepEqual(Array.from(await test.labels()), [3]);
    await test.close();
  });
});

test('CIFAR-100 train.bin gives fine labels by default and coarse ones on request, with names', async () => {
  await withTempDir('cifar100', async (dir) => {
    const path = writeCifar(join(dir, 'train.bin'), [
      { labels: [4, 72], image: image(1) },
      { labels: [19, 99], image: image(2) },
    ]);
    writeBytes(join(dir, 'fine_label_names.txt'), Array.from({ length: 100 }, (_, i) => `fine${i}`).join('\n'));
    writeBytes(join(dir, 'coarse_label_names.txt'), Array.from({ length: 20 }, (_, i) => `coarse${i}`).join('\n'));
    const fine = await openDataset({ path });
    assert.equal(fine.format, 'cifar100');
    assert.deepEqual(Array.from(await fine.labels()), [72, 99]);
    assert.equal(fine.classNames?.[72], 'fine72');
    assert.deepEqual(Array.from((await fine.read(Int32Array.from([1]))).data), Array.from(image(2)));
    await fine.close();
    const coarse = await openDataset({ path, labelKind: 'coarse' });
    assert.deepEqual(Array.from(await coarse.labels()), [4, 19]);
    assert.equal(coarse.classNames?.[19], 'coarse19');
    await coarse.close();
  });
});

test('a CIFAR batch under any name is recognised by content; a truncated one is an error naming it', async () => {
  await withTempDir('cifar-bad', async (dir) => {
    const odd = writeCifar(join(dir, 'my-images.dat'), [{ labels: [1], image: image(1) }, { labels: [2], image: image(2) }]);
    const source = await openDataset({ path: odd });
    assert.equal(source.format, 'cifar10');
    assert.equal(source.classNames, null);
    await source.close();

    const bytes = readFileSync(odd);
    const cut = writeBytes(join(dir, 'data_batch_1.bin'), new Uint8Array(bytes.subarray(0, bytes.length - 100)));
    await assert.rejects(openDataset({ path: cut }), /data_batch_1\.bin: truncated or not CIFAR-10: 6046 bytes is not a whole number of 3073-byte records/);

    // In a folder, a truncated batch among good ones is reported, not silently left out.
    writeCifar(join(dir, 'data_batch_2.bin'), [{ labels: [1], image: image(1) }]);
    await assert.rejects(openDataset({ path: dir, split: 'train' }), /data_batch_1\.bin: truncated or not CIFAR-10/);
  });
});

test('a CIFAR-100 folder reads train.bin as train and test.bin as test; a wrong-size train.bin is refused, naming it', async () => {
  await withTempDir('cifar100-folder', async (dir) => {
    writeCifar(join(dir, 'train.bin'), [{ labels: [0, 3], image: image(1) }, { labels: [1, 98], image: image(2) }]);
    writeCifar(join(dir, 'test.bin'), [{ labels: [2, 41], image: image(3) }]);
    assert.deepEqual(await listSplits(dir), ['train', 'test']);
    const train = await openDataset({ path: dir, split: 'train' });
    assert.deepEqual([train.format, train.size], ['cifar100', 2]);
    assert.deepEqual(Array.from(await train.labels()), [3, 98]);
    assert.equal(train.classNames, null, 'no names file: no names guessed');
    await train.close();
    const coarse = await openDataset({ path: dir, split: 'test', labelKind: 'coarse' });
    assert.deepEqual(Array.from(await coarse.labels()), [2]);
    await coarse.close();

    // One byte short of two records: a CIFAR-100 name with a size that is no whole number of 3,074-byte records.
    writeBytes(join(dir, 'train.bin'), new Uint8Array(2 * 3074 - 1));
    await assert.rejects(
      openDataset({ path: dir, split: 'train' }),
      /train\.bin: truncated or not CIFAR-100: 6147 bytes is not a whole number of 3074-byte records \(2 label byte\(s\) \+ 3x32x32 image\)/,
    );
  });
});

test('collapse-lens.json picks CIFAR-100 coarse labels with "labelKind"; any other value is refused naming the file', async () => {
  await withTempDir('cifar100-config', async (dir) => {
    writeCifar(join(dir, 'cifar-100-binary', 'train.bin'), [{ labels: [7, 55], image: image(1) }]);
    writeCifar(join(dir, 'cifar-100-binary', 'test.bin'), [{ labels: [12, 90], image: image(2) }]);
    const file = writeBytes(
      join(dir, 'collapse-lens.json'),
      JSON.stringify({
        datasets: [{
          name: 'CIFAR-100 superclasses',
          train: { path: 'cifar-100-binary', split: 'train', labelKind: 'coarse' },
          test: { path: 'cifar-100-binary', split: 'test', labelKind: 'coarse' },
        }],
      }),
    );
    const [entry] = await describeWorkspaceDatasets(file);
    assert.equal(entry?.train.labelKind, 'coarse');
    const train = await openDataset(entry!.train);
    assert.deepEqual(Array.from(await train.labels()), [7], 'the coarse byte, not the fine one (55)');
    await train.close();
    const test = await openDataset(entry!.test!);
    assert.deepEqual(Array.from(await test.labels()), [12]);
    await test.close();

    writeBytes(file, JSON.stringify({ datasets: [{ name: 'x', train: { path: 'cifar-100-binary', labelKind: 'superclass' } }] }));
    await assert.rejects(describeWorkspaceDatasets(file), /collapse-lens\.json: datasets\[0\]\.train\.labelKind: must be "fine" or "coarse"/);
  });
});
