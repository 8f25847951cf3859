import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildPreprocessor,
  openDataset,
  resolvePreprocessing,
  selectIndices,
  streamBatches,
  type DatasetSpec,
} from '../../../src/core/dataset';
import { fashionMnistMissing, FASHION_TEST_IMAGES, writeFashionVariants } from './helpers/fashionMnist';
import { withTempDir } from './helpers/writers';

const COUNT = 1000;
// Fashion-MNIST's usual normalisation, as a collapse-lens.json would give it.
const OPTIONS = resolvePreprocessing(null, { mean: [0.286], std: [0.353] }, null);

/** Every sample of a dataset through the whole pipeline: labels, indices, streamed batches, preprocessing. */
async function pipeline(spec: DatasetSpec, inputShape: (number | string | null)[]) {
  const source = await openDataset(spec);
  try {
    const all = await source.labels();
    const indices = selectIndices(all, 10, null, 0).subarray(0, COUNT);
    const preprocess = buildPreprocessor(source, { shape: inputShape }, OPTIONS);
    const input = new Float32Array(indices.length * preprocess.sampleSize);
    const labels = new Int32Array(indices.length);
    let row = 0;
    for await (const batch of streamBatches(source, indices, 128, preprocess)) {
      input.set(batch.input, row * preprocess.sampleSize);
      labels.set(batch.labels, row);
      row += batch.count;
    }
    assert.equal(row, COUNT, `${spec.path}: rows streamed`);
    return { input, labels, format: source.format, size: preprocess.sampleSize };
  } finally {
    await source.close();
  }
}

const missing = fashionMnistMissing();

test('the same 1,000 Fashion-MNIST images as IDX, .npz and PNG folder give byte-identical inputs and labels', { skip: missing }, async () => {
  await withTempDir('fashion', async (dir) => {
    const data = writeFashionVariants(dir, COUNT);
    for (const shape of [
      ['N', 1, 28, 28],
      ['N', 784],
    ]) {
      const original = await pipeline({ path: FASHION_TEST_IMAGES }, shape);
      const idx = await pipeline({ path: data.idxImages }, shape);
      const stored = await pipeline({ path: data.npzStored }, shape);
      const compressed = await pipeline({ path: data.npzCompressed }, shape);
      const folder = await pipeline({ path: data.pngFolder }, shape);
      assert.deepEqual([original.format, idx.format, stored.format, folder.format], ['idx', 'idx', 'npz', 'image-folder']);

      // Independent of the readers: the first pixel rows straight from zlib, normalised by hand.
      for (let i = 0; i < 784 * 3; i++) {
        assert.equal(original.input[i], Math.fround((data.pixels[i]! / 255 - 0.286) / 0.353), `value ${i}`);
      }
      assert.deepEqual(Array.from(original.labels), Array.from(data.labels));

      const bytes = (a: Float32Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
      for (const other of [idx, stored, compressed]) {
        assert.ok(bytes(other.input).equals(bytes(original.input)), `${other.format} inputs identical`);
        assert.deepEqual(Array.from(other.labels), Array.from(original.labels));
      }
      // The folder lists class by class; put the IDX rows in that order and compare bytes.
      const reordered = new Float32Array(original.input.length);
      data.folderOrder.forEach((from, to) => reordered.set(original.input.subarray(from * original.size, (from + 1) * original.size), to * original.size));
      assert.ok(bytes(folder.input).equals(bytes(reordered)), 'PNG folder inputs identical');
      assert.deepEqual(Array.from(folder.labels), Array.from(data.folderOrder, (i) => data.labels[i]!));
    }
  });
});
