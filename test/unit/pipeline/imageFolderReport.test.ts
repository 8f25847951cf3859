/**
 * What reading an image folder changed reaches the result after the passes: skipped, resized and
 * converted counts with example files, a warning line for each, the size every image was brought to and
 * who decided it; a class emptied by corrupt files refuses the run; a whole-array conversion is a warning.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { AnalysisResult, DatasetSourceInfo } from '../../../src/core/result';
import { openDataset, resizeUint8 } from '../../../src/core/dataset';
import { analyzeCheckpoint } from '../../../src/engine/analyze/pipeline';
import { conformSplitImages } from '../../../src/engine/analyze/imageShape';
import { preprocessingWarning } from '../../../src/core/imageReadReport';
import type { PreparedSplit } from '../../../src/engine/analyze/splits';
import { patternImage, withTempDir, writeBytes, writeNpz, writePng } from '../dataset/helpers/writers';
import { fixtureRequest, silentHooks } from './helpers/analyze';

const CLASSES = 10;
const PER_CLASS = 3;

/** 10 class folders of 28x28 grey images (what the mlp fixture takes), 3 each. */
function writeFolder(dir: string, image: (c: number, i: number) => Uint8Array = (c, i) => patternImage(c * PER_CLASS + i, 28, 28, 1)): void {
  for (let c = 0; c < CLASSES; c++) for (let i = 0; i < PER_CLASS; i++) writePng(join(dir, String(c), `${i}.png`), 28, 28, 1, image(c, i));
}

const analyze = (path: string, strict = false): Promise<AnalysisResult> => analyzeCheckpoint(fixtureRequest('mlp', { train: { path }, test: undefined, strict }), silentHooks);

test('a folder with a 100x100 first image, an RGB image and a corrupt file: all counted after the pass, warned, and the metrics are those of the model-sized images', async () => {
  await withTempDir('report', async (dir) => {
    const big = patternImage(99, 100, 100, 1);
    writeFolder(dir);
    writePng(join(dir, '0', '0.png'), 100, 100, 1, big);
    writePng(join(dir, '1', '1.png'), 28, 28, 3, patternImage(4, 28, 28, 3));
    writeBytes(join(dir, '2', '2.png'), 'not a picture');
    const result = await analyze(dir);
    const info: DatasetSourceInfo = result.dataset.train;
    assert.deepEqual(info.imageSize, { width: 28, height: 28, channels: 1, from: 'model-input' });
    assert.deepEqual(info.resized, { count: 1, examples: [join('0', '0.png') + ' (100x100)'], to: { width: 28, height: 28 } });
    assert.deepEqual(info.converted, { count: 1, examples: [join('1', '1.png') + ' (RGB -> grey)'], to: 'grey', kinds: { 'rgb-to-grey': 1 } });
    assert.equal(info.skipped?.count, 1);
    assert.match(info.skipped!.examples[0]!, /^2\/2\.png \(neither PNG nor JPEG content\)/);
    assert.equal(result.splits.train.samples, CLASSES * PER_CLASS - 1);
    // The images were conformed on read: the preprocessor had nothing left to resize or convert.
    assert.equal(result.dataset.preprocessing.resize, null);
    assert.equal(result.dataset.preprocessing.grayscale, null);
    const warnings = result.warnings ?? [];
    assert.ok(warnings.includes(`train: 1 image(s) resized to 28x28 (the model input's size), e.g. ${join('0', '0.png')} (100x100)`), warnings.join('\n'));
    assert.ok(warnings.includes(`train: 1 image(s) converted to grey (1 RGB -> grey), e.g. ${join('1', '1.png')} (RGB -> grey)`), warnings.join('\n'));
    assert.ok(warnings.some((w) => /^train: 1 corrupt sample\(s\) skipped, e\.g\. 2\/2\.png/.test(w)), warnings.join('\n'));

    // The 100x100 image went straight to 28x28, once: the same metrics as a folder holding that 28x28.
    writePng(join(dir, '0', '0.png'), 28, 28, 1, resizeUint8(big, 100, 100, 1, 28, 28));
    const direct = await analyze(dir);
    assert.deepEqual(direct.layers, result.layers);
    assert.equal(direct.dataset.train.resized, undefined);
  });
});

test('a class whose only images are corrupt refuses the run, naming the class and its folder', async () => {
  await withTempDir('emptied', async (dir) => {
    writeFolder(dir);
    for (let i = 0; i < PER_CLASS; i++) writeBytes(join(dir, '3', `${i}.png`), `broken ${i}`);
    await assert.rejects(analyze(dir), (err: Error) => {
      assert.match(err.message, /train split: class 3 \("3"\) \(folder [^)]*\/3\) has no usable sample: all 3 selected sample\(s\) were skipped as corrupt/);
      assert.match(err.message, /3\/0\.png/);
      return true;
    });
  });
});

test('a whole dataset converted to fit the model (32x32 RGB arrays for a 1x28x28 model) is a warning', async () => {
  await withTempDir('arrays', async (dir) => {
    const N = 20;
    const x = new Float32Array(N * 32 * 32 * 3).map((_, i) => (i % 13) / 13);
    const path = writeNpz(join(dir, 'rgb32.npz'), { x: { data: x, shape: [N, 32, 32, 3] }, y: { data: BigInt64Array.from({ length: N }, (_, i) => BigInt(i % 10)), shape: [N] } });
    const result = await analyze(path);
    assert.ok(
      (result.warnings ?? []).includes('train: every sample (stored as [32, 32, 3]) resized to 28x28 (bilinear) and RGB converted to grey (luma) to fit the model input'),
      (result.warnings ?? []).join('\n'),
    );
  });
});

test('28x28 grey arrays for a 3x32x32 model: the warning says resized and turned into RGB; samples that fit get none', () => {
  assert.equal(
    preprocessingWarning('test', { resize: [32, 32], grayscale: 'to-rgb', storedShape: [28, 28] }),
    'test: every sample (stored as [28, 28]) resized to 32x32 (bilinear) and grey copied into R, G and B to fit the model input',
  );
  assert.equal(preprocessingWarning('train', { resize: null, grayscale: null, storedShape: [28, 28] }), null);
});

test('a model whose input size is open: the training split decides by its most common size, the test split follows it', async () => {
  await withTempDir('dynamic', async (dir) => {
    writePng(join(dir, 'train', 'a', '0.png'), 9, 9, 1, patternImage(0, 9, 9, 1));
    for (let i = 1; i < 3; i++) writePng(join(dir, 'train', 'b', `${i}.png`), 6, 4, 1, patternImage(i, 4, 6, 1));
    for (const c of ['a', 'b']) writePng(join(dir, 'test', c, '0.png'), 9, 9, 1, patternImage(5, 9, 9, 1));
    const split = async (name: 'train' | 'test'): Promise<PreparedSplit> => {
      const source = await openDataset({ path: dir, split: name });
      return { name, source, indices: Int32Array.from([0, 1, 2].slice(0, source.size)), classCounts: [1, 1], info: { source: dir, format: source.format } };
    };
    const input = { shape: ['batch', 1, 'height', 'width'] };
    const train = await split('train');
    await conformSplitImages(train, input, { resize: true });
    assert.deepEqual(train.source.sampleShape, [4, 6]);
    assert.equal((train.source.describe().imageSize as { from: string }).from, 'most-common');
    const test = await split('test');
    await conformSplitImages(test, input, { resize: true }, train);
    assert.deepEqual(test.source.sampleShape, [4, 6]);
    assert.equal((test.source.describe().imageSize as { from: string }).from, 'train-split');
    await train.source.close();
    await test.source.close();
  });
});
