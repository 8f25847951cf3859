import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { listSplits, openDataset } from '../../../src/core/dataset';
import { patternImage, withTempDir, writeBytes, writeIdx } from './helpers/writers';

const H = 4;
const W = 3;
const images = (n: number, offset = 0): Uint8Array => {
  const out = new Uint8Array(n * H * W);
  for (let i = 0; i < n; i++) out.set(patternImage(i + offset, H, W, 1), i * H * W);
  return out;
};

for (const gzip of [false, true]) {
  test(`IDX images + labels (${gzip ? 'gzipped' : 'plain'}): labels found by name, rows read in the order asked`, async () => {
    await withTempDir('idx', async (dir) => {
      const suffix = gzip ? '.gz' : '';
      const path = writeIdx(join(dir, `train-images-idx3-ubyte${suffix}`), 'uint8', [5, H, W], images(5), gzip);
      writeIdx(join(dir, `train-labels-idx1-ubyte${suffix}`), 'uint8', [5], [3, 1, 4, 1, 5], gzip);
      const source = await openDataset({ path });
      try {
        assert.deepEqual([source.format, source.size, source.sampleShape, source.sampleLayout, source.dtype], ['idx', 5, [H, W], 'hw', 'uint8']);
        assert.deepEqual(Array.from(await source.labels()), [3, 1, 4, 1, 5]);
        const batch = await source.read(Int32Array.from([3, 0, 3]));
        assert.equal(batch.count, 3);
        assert.deepEqual(Array.from(batch.labels), [1, 3, 1]);
        assert.deepEqual(Array.from(batch.indices), [3, 0, 3]);
        const expected = [...patternImage(3, H, W, 1), ...patternImage(0, H, W, 1), ...patternImage(3, H, W, 1)];
        assert.deepEqual(Array.from(batch.data), expected);
        const info = source.describe();
        assert.equal(info.labels, join(dir, `train-labels-idx1-ubyte${suffix}`));
        assert.equal(info.gzip, gzip);
        assert.match(String(info.fingerprint), /^sha256:[0-9a-f]{32}$/);
      } finally {
        await source.close();
      }
    });
  });
}

test('a gzipped images file pairs with a plain labels file, and float32 IDX images decode from big-endian', async () => {
  await withTempDir('idx-mixed', async (dir) => {
    const values = [0.5, -1.25, 3, 1e-3, 2.5, -7];
    const path = writeIdx(join(dir, 't10k-images-idx3-ubyte.gz'), 'float32', [3, 1, 2], values, true);
    writeIdx(join(dir, 't10k-labels-idx1-ubyte'), 'int32', [3], [0, 2, 1]);
    const source = await openDataset({ path });
    const batch = await source.read(Int32Array.from([0, 1, 2]));
    assert.equal(source.dtype, 'float32');
    assert.ok(batch.data instanceof Float32Array);
    assert.deepEqual(Array.from(batch.data), values.map(Math.fround));
    assert.deepEqual(Array.from(batch.labels), [0, 2, 1]);
    await source.close();
  });
});

test('an IDX folder offers train and test splits (MNIST naming) and needs one chosen', async () => {
  await withTempDir('idx-folder', async (dir) => {
    writeIdx(join(dir, 'train-images-idx3-ubyte.gz'), 'uint8', [4, H, W], images(4), true);
    writeIdx(join(dir, 'train-labels-idx1-ubyte.gz'), 'uint8', [4], [0, 1, 0, 1], true);
    writeIdx(join(dir, 't10k-images-idx3-ubyte.gz'), 'uint8', [2, H, W], images(2, 100), true);
    writeIdx(join(dir, 't10k-labels-idx1-ubyte.gz'), 'uint8', [2], [1, 0], true);
    assert.deepEqual(await listSplits(dir), ['train', 'test']);
    const test = await openDataset({ path: dir, split: 'test' });
    assert.equal(test.size, 2);
    assert.deepEqual(Array.from((await test.read(Int32Array.from([0]))).data), Array.from(patternImage(100, H, W, 1)));
    assert.equal(test.describe().split, 'test');
    await test.close();
    const train = await openDataset({ path: dir, split: 'train' });
    assert.equal(train.size, 4);
    await train.close();
    await assert.rejects(openDataset({ path: dir }), /holds the splits train and test; choose one/);
  });
});

test('EMNIST naming pairs files, and a folder of several EMNIST sets asks for a file', async () => {
  await withTempDir('emnist', async (dir) => {
    for (const set of ['balanced', 'digits']) {
      writeIdx(join(dir, `emnist-${set}-train-images-idx3-ubyte.gz`), 'uint8', [2, H, W], images(2), true);
      writeIdx(join(dir, `emnist-${set}-train-labels-idx1-ubyte.gz`), 'uint8', [2], [1, 0], true);
    }
    const one = await openDataset({ path: join(dir, 'emnist-digits-train-images-idx3-ubyte.gz') });
    assert.equal(one.describe().labels, join(dir, 'emnist-digits-train-labels-idx1-ubyte.gz'));
    await one.close();
    await assert.rejects(openDataset({ path: dir, split: 'train' }), /several IDX images \(train\) files \(emnist-balanced-train-images-idx3-ubyte\.gz, emnist-digits/);
  });
});

test('detection is by content: an IDX file named .bin or .npy opens as IDX with an explicit labels file', async () => {
  await withTempDir('idx-content', async (dir) => {
    const path = writeIdx(join(dir, 'pixels.npy'), 'uint8', [2, H, W], images(2));
    const labels = writeIdx(join(dir, 'targets.bin'), 'uint8', [2], [1, 1]);
    const source = await openDataset({ path, labelsPath: labels });
    assert.equal(source.format, 'idx');
    assert.deepEqual(Array.from(await source.labels()), [1, 1]);
    await source.close();
  });
});

test('broken IDX inputs each get an error that names the file and the fault', async () => {
  await withTempDir('idx-bad', async (dir) => {
    const full = writeIdx(join(dir, 'full-images-idx3-ubyte'), 'uint8', [5, H, W], images(5));
    writeIdx(join(dir, 'full-labels-idx1-ubyte'), 'uint8', [5], [0, 1, 2, 3, 4]);
    const bytes = readFileSync(full);

    const cut = writeBytes(join(dir, 'cut-images-idx3-ubyte'), new Uint8Array(bytes.subarray(0, bytes.length - 7)));
    writeIdx(join(dir, 'cut-labels-idx1-ubyte'), 'uint8', [5], [0, 1, 2, 3, 4]);
    await assert.rejects(openDataset({ path: cut }), /cut-images-idx3-ubyte: truncated: the header promises 5 x 4 x 3 uint8 values \(76 bytes\) but the file has 69 bytes/);

    const gz = writeIdx(join(dir, 'gz-images-idx3-ubyte.gz'), 'uint8', [5, H, W], images(5), true);
    const gzBytes = readFileSync(gz);
    writeBytes(gz, new Uint8Array(gzBytes.subarray(0, gzBytes.length - 12)));
    writeIdx(join(dir, 'gz-labels-idx1-ubyte.gz'), 'uint8', [5], [0, 1, 2, 3, 4], true);
    await assert.rejects(openDataset({ path: gz }), /gz-images-idx3-ubyte\.gz: cannot decompress \(truncated gzip file/);

    // A gzipped IDX whose content runs past what its header announces.
    const long = writeBytes(join(dir, 'long-images-idx3-ubyte.gz'), new Uint8Array(gzipSync(Buffer.concat([bytes, Buffer.from([1, 2, 3])]))));
    writeIdx(join(dir, 'long-labels-idx1-ubyte'), 'uint8', [5], [0, 1, 2, 3, 4]);
    await assert.rejects(openDataset({ path: long }), /long-images-idx3-ubyte\.gz: the header promises 5 x 4 x 3 uint8 values \(76 bytes\) but the file decompresses to 79 bytes/);

    const lonely = writeIdx(join(dir, 'lonely-images-idx3-ubyte'), 'uint8', [5, H, W], images(5));
    await assert.rejects(
      openDataset({ path: lonely }),
      /lonely-images-idx3-ubyte: no labels file found \(looked for .*lonely-labels-idx1-ubyte.*\); give the labels file explicitly \(labelsPath\)/,
    );

    await assert.rejects(openDataset({ path: join(dir, 'full-labels-idx1-ubyte') }), /full-labels-idx1-ubyte: this IDX file holds labels/);

    const short = writeIdx(join(dir, 'short-images-idx3-ubyte'), 'uint8', [5, H, W], images(5));
    writeIdx(join(dir, 'short-labels-idx1-ubyte'), 'uint8', [4], [0, 1, 2, 3]);
    await assert.rejects(openDataset({ path: short }), /short-images-idx3-ubyte holds 5 images but .*short-labels-idx1-ubyte holds 4 labels/);

    await assert.rejects(openDataset({ path: join(dir, 'missing-images-idx3-ubyte') }), /missing-images-idx3-ubyte: no such file or directory$/);
  });
});
