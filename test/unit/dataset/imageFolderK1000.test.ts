import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { buildPreprocessor, checkLabels, openDataset, selectIndices, streamBatches } from '../../../src/core/dataset';
import { normalizeTransform } from '../../../src/core/dataset/images/imageTransform';
import { withTempDir, writePng } from './helpers/writers';

const K = 1000;

/** WordNet-style ids (n + 8 digits) that sort in another order than the one they are made in. */
const wnid = (c: number): string => `n${String((c * 7919) % 100_000_000).padStart(8, '0')}`;
/** 1, 2 or 3 images per class, so a per-class count that slips shows. */
const imagesOf = (c: number): number => 1 + (c % 3);

/**
 * Every pixel of an image of class c carries c: red c mod 256, green c div 256, blue the image's number.
 * Uniform images keep these values exactly through any resize, so each read sample names its class.
 */
function classImage(c: number, i: number, w: number, h: number): Uint8Array {
  const out = new Uint8Array(w * h * 3);
  for (let p = 0; p < w * h; p++) out.set([c & 0xff, c >> 8, i], p * 3);
  return out;
}

test('K = 1,000 class folders: classes in sorted folder order, every label right, per-class counts, read with the transform', async () => {
  await withTempDir('k1000', async (dir) => {
    const made = Array.from({ length: K }, (_, c) => c);
    // Made in reverse: the listing must sort, not keep the file system's order.
    for (const c of [...made].reverse()) for (let i = 0; i < imagesOf(c); i++) writePng(join(dir, wnid(c), `img${i}.png`), 6 + (i % 2), 5, 3, classImage(c, i, 6 + (i % 2), 5));
    const sorted = made.map(wnid).sort();
    const labelOf = new Map(sorted.map((name, label) => [name, label]));
    const total = made.reduce((n, c) => n + imagesOf(c), 0);

    const source = await openDataset({ path: dir });
    assert.equal(source.classNames!.length, K);
    assert.deepEqual(source.classNames, sorted);
    assert.equal(source.size, total);
    const labels = await source.labels();
    const counts = checkLabels(labels, K, dir, source.classNames!);
    for (const c of made) assert.equal(counts[labelOf.get(wnid(c))!], imagesOf(c), `class ${wnid(c)}`);

    // Through the reader and the preprocessor, as an analysis would: 4x4 crops of 6x5 and 7x5 images.
    const indices = selectIndices(labels, K, null, 0);
    const transform = normalizeTransform({ resizeShorter: 4, centerCrop: 4 });
    await source.conformImages!({ height: 4, width: 4, channels: 3, fixedBy: 'model-input', resize: true, indices, transform });
    const preprocess = buildPreprocessor(source, { shape: ['batch', 3, 4, 4] }, { scale: 1 });
    const seen = new Int32Array(K);
    for await (const batch of streamBatches(source, indices, 256, preprocess)) {
      for (let r = 0; r < batch.count; r++) {
        const label = batch.labels[r]!;
        seen[label]!++;
        // NCHW: red plane first, then green. The class the pixels carry is the folder the label names.
        const row = batch.input.subarray(r * 48, (r + 1) * 48);
        const carried = row[0]! + 256 * row[16]!;
        assert.equal(sorted[label], wnid(carried), `sample ${batch.indices[r]} labelled ${label}`);
      }
    }
    assert.deepEqual(Array.from(seen), Array.from(counts));
    const info = source.describe();
    assert.deepEqual(info.imageSize, { width: 4, height: 4, channels: 3, from: 'model-input' });
    assert.equal(info.skipped, undefined);
    await source.close();
  });
});
