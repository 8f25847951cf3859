import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listSplits, openDataset } from '../../../src/core/dataset';
import { withTempDir, writeNpy, writeNpz } from './helpers/writers';

const FIXTURES = join(__dirname, '../../fixtures/datasets/numpy');

test("NumPy's own .npz (x/y) opens by content; sample layout and labels come from the arrays", async () => {
  for (const file of ['stored.npz', 'compressed.npz']) {
    const source = await openDataset({ path: join(FIXTURES, file) });
    assert.deepEqual([source.format, source.size, source.sampleShape, source.sampleLayout, source.dtype], ['npz', 6, [4, 4], 'hw', 'uint8']);
    assert.deepEqual(Array.from(await source.labels()), [0, 1, 2, 0, 1, 2]);
    const batch = await source.read(Int32Array.from([5, 1]));
    assert.deepEqual(Array.from(batch.data.subarray(0, 3)), [80, 81, 82]);
    assert.deepEqual(Array.from(batch.data.subarray(16, 19)), [16, 17, 18]);
    assert.deepEqual(source.describe().arrays, { x: 'x', y: 'y' });
    await source.close();
  }
});

test('an .npz whose images (N x H x W) are stored in Fortran order reads the same samples as C order', async () => {
  await withTempDir('npz-fortran-images', async (dir) => {
    const images = Uint8Array.from({ length: 5 * 4 * 3 }, (_, i) => (i * 7) % 251);
    const labels = Uint8Array.from([0, 1, 2, 0, 1]);
    for (const compressed of [false, true]) {
      const c = await openDataset({ path: writeNpz(join(dir, `c${compressed}.npz`), { x: { data: images, shape: [5, 4, 3] }, y: { data: labels, shape: [5] } }, compressed) });
      const f = await openDataset({ path: writeNpz(join(dir, `f${compressed}.npz`), { x: { data: images, shape: [5, 4, 3], fortran: true }, y: { data: labels, shape: [5], fortran: true } }, compressed) });
      assert.deepEqual([f.sampleShape, f.sampleLayout], [c.sampleShape, c.sampleLayout]);
      const indices = Int32Array.from([4, 0, 2]);
      assert.deepEqual(Array.from((await f.read(indices)).data), Array.from((await c.read(indices)).data));
      assert.deepEqual(Array.from((await f.read(indices)).data.subarray(0, 12)), Array.from(images.subarray(48, 60)));
      await c.close();
      await f.close();
    }
  });
});

test('verify() checks the CRC of the part of an .npz that sampled reads skipped (stored and deflated)', async () => {
  await withTempDir('npz-verify', async (dir) => {
    const images = Float32Array.from({ length: 50 * 16 }, (_, i) => (i % 97) / 8);
    const labels = Uint8Array.from({ length: 50 }, (_, i) => i % 5);
    for (const compressed of [false, true]) {
      const path = writeNpz(join(dir, `d${compressed}.npz`), { x: { data: images, shape: [50, 16] }, y: { data: labels, shape: [50] } }, compressed);
      const clean = await openDataset({ path });
      await clean.read(Int32Array.from([0, 3]));
      await clean.verify?.();
      await clean.close();
      // The x member's CRC in the central directory (x is the first entry): as if its last rows were damaged.
      const bytes = readFileSync(path);
      const directory = bytes.readUInt32LE(bytes.length - 6);
      bytes.writeUInt32LE((bytes.readUInt32LE(directory + 16) ^ 0x8000) >>> 0, directory + 16);
      writeFileSync(path, bytes);
      const source = await openDataset({ path });
      // The first rows read fine: the damage cannot be seen before the member's end...
      assert.equal((await source.read(Int32Array.from([0, 3]))).count, 2);
      // ...which verify() reads (only the rest), before any number is reported.
      await assert.rejects(source.verify!(), new RegExp(`d${compressed}\\.npz: member 'x\\.npy' is corrupt \\(CRC-32 mismatch\\)`));
      await source.close();
    }
  });
});

test('verify() reaches an .npz opened through a train/test split root too (its wrapper forwards it)', async () => {
  await withTempDir('npz-verify-root', async (dir) => {
    const images = Float32Array.from({ length: 50 * 16 }, (_, i) => (i % 97) / 8);
    const labels = Uint8Array.from({ length: 50 }, (_, i) => i % 5);
    for (const split of ['train', 'test']) {
      mkdirSync(join(dir, split));
      writeNpz(join(dir, split, 'data.npz'), { x: { data: images, shape: [50, 16] }, y: { data: labels, shape: [50] } }, false);
    }
    const path = join(dir, 'train', 'data.npz');
    const bytes = readFileSync(path);
    const directory = bytes.readUInt32LE(bytes.length - 6);
    bytes.writeUInt32LE((bytes.readUInt32LE(directory + 16) ^ 0x8000) >>> 0, directory + 16);
    writeFileSync(path, bytes);
    const source = await openDataset({ path: dir, split: 'train' });
    assert.equal((await source.read(Int32Array.from([0, 3]))).count, 2);
    assert.ok(source.verify, 'the split root\'s source offers verify()');
    await assert.rejects(source.verify(), /data\.npz: member 'x\.npy' is corrupt \(CRC-32 mismatch\)/);
    await source.close();
  });
});

test('array names: spec.arrays, x_train/x_test splits (Keras layout), and a clear error when unsure', async () => {
  const keras = join(FIXTURES, 'keras_style.npz');
  assert.deepEqual(await listSplits(keras), ['train', 'test']);
  const test = await openDataset({ path: keras, split: 'test' });
  assert.equal(test.size, 2);
  assert.deepEqual(Array.from(await test.labels()), [1, 2]);
  await test.close();
  await assert.rejects(openDataset({ path: keras }), /keras_style\.npz: holds the splits train and test; choose one/);

  const named = await openDataset({ path: join(FIXTURES, 'stored.npz'), arrays: { x: 'feats', y: 'y' } });
  assert.deepEqual([named.sampleShape, named.sampleLayout, named.dtype], [[3], 'flat', 'float32']);
  await named.close();

  await withTempDir('npz-names', async (dir) => {
    const odd = writeNpz(join(dir, 'odd.npz'), { pixels: { data: new Uint8Array(8), shape: [2, 4] }, classes: { data: new Int32Array(2), shape: [2] } });
    await assert.rejects(openDataset({ path: odd }), /odd\.npz: cannot tell which arrays hold samples and labels \(it has: pixels, classes\)/);
    const ok = await openDataset({ path: odd, arrays: { x: 'pixels', y: 'classes' } });
    assert.equal(ok.size, 2);
    await ok.close();
    const floats = writeNpz(join(dir, 'floaty.npz'), { x: { data: new Uint8Array(4), shape: [2, 2] }, y: { data: new Float32Array(2), shape: [2] } });
    await assert.rejects(openDataset({ path: floats }), /floaty\.npz:y\.npy: labels must be integers, but the array is float32/);
    const mismatch = writeNpz(join(dir, 'mismatch.npz'), { x: { data: new Uint8Array(6), shape: [3, 2] }, y: { data: new Uint8Array(2), shape: [2] } });
    await assert.rejects(openDataset({ path: mismatch }), /mismatch\.npz: array 'x' holds 3 samples but 'y' holds 2 labels/);
  });
});

test('.npy pairs: labels by naming (x_train -> y_train), by labelsPath, or a clear error', async () => {
  const pair = await openDataset({ path: join(FIXTURES, 'x_train.npy') });
  assert.deepEqual([pair.format, pair.size, pair.sampleShape], ['npy', 6, [4, 4]]);
  assert.deepEqual(Array.from(await pair.labels()), [0, 1, 2, 0, 1, 2]);
  assert.equal(pair.describe().labels, join(FIXTURES, 'y_train.npy'));
  await pair.close();

  await withTempDir('npy-pair', async (dir) => {
    const images = writeNpy(join(dir, 'test_images.npy'), new Float64Array(2 * 3 * 2 * 2).map((_, i) => i / 10), [2, 3, 2, 2]);
    writeNpy(join(dir, 'test_labels.npy'), BigInt64Array.from([1n, 0n]), [2]);
    const source = await openDataset({ path: images });
    assert.deepEqual([source.sampleShape, source.sampleLayout, source.dtype], [[3, 2, 2], 'chw', 'float64']);
    const batch = await source.read(Int32Array.from([1]));
    assert.ok(batch.data instanceof Float64Array);
    assert.equal(batch.data[0], 1.2);
    await source.close();

    const lone = writeNpy(join(dir, 'pictures.npy'), new Uint8Array(4), [1, 4]);
    await assert.rejects(openDataset({ path: lone }), /pictures\.npy: no labels file found .*labelsPath/);
    const explicit = writeNpy(join(dir, 'answers.npy'), new Int32Array([7]), [1]);
    const withPath = await openDataset({ path: lone, labelsPath: explicit });
    assert.deepEqual(Array.from(await withPath.labels()), [7]);
    await withPath.close();

    // NumPy's own Fortran-order array (arange(12).reshape(3, 4)) is a dataset like any other.
    copyFileSync(join(FIXTURES, 'fortran.npy'), join(dir, 'x.npy'));
    writeNpy(join(dir, 'y.npy'), new Uint8Array(3), [3]);
    const fortran = await openDataset({ path: join(dir, 'x.npy') });
    assert.deepEqual(Array.from((await fortran.read(Int32Array.from([2, 0]))).data), [8, 9, 10, 11, 0, 1, 2, 3]);
    await fortran.close();

    await withTempDir('npy-folder', async (folder) => {
      writeNpy(join(folder, 'x_train.npy'), new Uint8Array(12), [3, 4]);
      writeNpy(join(folder, 'y_train.npy'), new Uint8Array(3), [3]);
      writeNpy(join(folder, 'x_test.npy'), new Uint8Array(8), [2, 4]);
      writeNpy(join(folder, 'y_test.npy'), new Uint8Array(2), [2]);
      assert.deepEqual(await listSplits(folder), ['train', 'test']);
      const t = await openDataset({ path: folder, split: 'test' });
      assert.equal(t.size, 2);
      await t.close();
    });
  });
});
