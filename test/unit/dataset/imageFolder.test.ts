import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkLabels, decodeImage, listSplits, openDataset } from '../../../src/core/dataset';
import { patternImage, pngBytes, withTempDir, writeBytes, writeJpeg, writePng } from './helpers/writers';

const FIXTURES = join(__dirname, '../../fixtures/datasets/images');

test('ImageFolder layout: classes are the sorted folder names, images found below them, others ignored and counted', async () => {
  await withTempDir('imgfolder', async (dir) => {
    writePng(join(dir, 'zebra', 'b.png'), 3, 2, 1, patternImage(2, 2, 3, 1));
    writePng(join(dir, 'zebra', 'a.png'), 3, 2, 1, patternImage(1, 2, 3, 1));
    writePng(join(dir, 'ant', 'deep', 'nested', 'c.PNG'), 3, 2, 1, patternImage(3, 2, 3, 1));
    writePng(join(dir, 'Bee', 'd.png'), 3, 2, 1, patternImage(4, 2, 3, 1));
    writeBytes(join(dir, 'zebra', 'notes.txt'), 'not an image');
    writeBytes(join(dir, 'zebra', '.DS_Store'), 'hidden');
    writeBytes(join(dir, '.cache', 'x.png'), 'hidden folder');
    const source = await openDataset({ path: dir });
    // Code-point order, as Python's sorted(): upper case before lower case.
    assert.deepEqual(source.classNames, ['Bee', 'ant', 'zebra']);
    assert.deepEqual([source.format, source.size, source.sampleShape, source.sampleLayout], ['image-folder', 4, [2, 3], 'hw']);
    assert.deepEqual(Array.from(await source.labels()), [0, 1, 2, 2]);
    const batch = await source.read(Int32Array.from([3, 2, 0]));
    assert.deepEqual(Array.from(batch.data), [...patternImage(2, 2, 3, 1), ...patternImage(1, 2, 3, 1), ...patternImage(4, 2, 3, 1)]);
    assert.deepEqual(Array.from(batch.labels), [2, 2, 0]);
    assert.deepEqual(source.describe().ignoredFiles, { count: 1, examples: [join('zebra', 'notes.txt')] });
    await source.close();
  });
});

test('content decides the decoder: a JPEG named .png decodes, RGB JPEGs keep 3 channels', async () => {
  await withTempDir('imgcontent', async (dir) => {
    const flat = new Uint8Array(8 * 8 * 3).fill(0).map((_, i) => [200, 100, 50][i % 3]!);
    writeJpeg(join(dir, 'a', 'really-a-jpeg.png'), 8, 8, flat, 100);
    writeJpeg(join(dir, 'b', 'x.jpg'), 8, 8, flat, 100);
    const source = await openDataset({ path: dir });
    assert.deepEqual(source.sampleShape, [8, 8, 3]);
    const batch = await source.read(Int32Array.from([0, 1]));
    assert.equal(batch.count, 2);
    // A flat colour survives JPEG at quality 100 within a grey level or two.
    for (let i = 0; i < batch.data.length; i++) assert.ok(Math.abs(batch.data[i]! - flat[i % flat.length]!) <= 2, `value ${i}`);
    await source.close();
  });
});

test('PNG variants and JPEGs made by PIL decode to the values PIL reads', () => {
  const expected = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8')) as Record<string, number[]>;
  const decode = (name: string) => decodeImage(new Uint8Array(readFileSync(join(FIXTURES, name))));
  const palette = decode('palette.png');
  assert.deepEqual([palette.width, palette.height, palette.channels], [8, 6, 3]);
  assert.deepEqual(Array.from(palette.data), expected['palette.png']);
  const grey16 = decode('grey16.png');
  assert.equal(grey16.channels, 1);
  assert.deepEqual(Array.from(grey16.data), expected['grey16.png']);
  const rgba = decode('rgba.png');
  assert.equal(rgba.channels, 3);
  assert.deepEqual(Array.from(rgba.data), expected['rgba.png']);
  const grey = decode('grey.jpg');
  assert.equal(grey.channels, 1);
  const greyDiff = Array.from(grey.data, (v, i) => Math.abs(v - expected['grey.jpg']![i]!));
  assert.ok(Math.max(...greyDiff) <= 1, 'grey JPEG within one level of libjpeg');
  // Colour with 4:2:0 chroma: libjpeg upsamples chroma with a triangle filter, jpeg-js replicates it. On
  // this steep gradient that costs a few levels (documented in docs/datasets.md); a regression beyond
  // that is a decoder problem.
  const rgb = decode('rgb.jpg');
  assert.equal(rgb.channels, 3);
  const rgbDiff = Array.from(rgb.data, (v, i) => Math.abs(v - expected['rgb.jpg']![i]!));
  assert.equal(rgbDiff.length, 16 * 16 * 3);
  assert.ok(Math.max(...rgbDiff) <= 8 && rgbDiff.reduce((a, b) => a + b, 0) / rgbDiff.length < 4, 'colour JPEG close to libjpeg');
});

test('corrupt images are skipped, counted and listed; strict mode fails naming the file', async () => {
  await withTempDir('imgcorrupt', async (dir) => {
    writePng(join(dir, 'a', '0.png'), 4, 4, 1, patternImage(0, 4, 4, 1));
    const good = pngBytes(4, 4, 1, patternImage(1, 4, 4, 1));
    writeBytes(join(dir, 'a', '1.png'), good.subarray(0, good.length - 20));
    const flipped = new Uint8Array(good);
    flipped[20] = flipped[20]! ^ 0xff; // inside IHDR: the CRC check catches it
    writeBytes(join(dir, 'b', '2.png'), flipped);
    writeBytes(join(dir, 'b', '3.jpg'), 'plain text pretending');
    writePng(join(dir, 'b', '4.png'), 4, 4, 1, patternImage(4, 4, 4, 1));
    const source = await openDataset({ path: dir });
    const batch = await source.read(Int32Array.from([0, 1, 2, 3, 4]));
    assert.equal(batch.count, 2);
    assert.deepEqual(Array.from(batch.indices), [0, 4]);
    assert.deepEqual(Array.from(batch.labels), [0, 1]);
    assert.deepEqual(Array.from(batch.data), [...patternImage(0, 4, 4, 1), ...patternImage(4, 4, 4, 1)]);
    const skipped = source.describe().skipped as { count: number; examples: string[] };
    assert.equal(skipped.count, 3);
    assert.match(skipped.examples[0]!, /^a\/1\.png \(truncated PNG/);
    assert.match(skipped.examples[1]!, /^b\/2\.png \(PNG IHDR chunk fails its CRC check\)/);
    assert.match(skipped.examples[2]!, /^b\/3\.jpg \(neither PNG nor JPEG content\)/);
    // Reading the same samples again does not count them twice.
    await source.read(Int32Array.from([1]));
    assert.equal((source.describe().skipped as { count: number }).count, 3);
    await source.close();

    const strict = await openDataset({ path: dir, strict: true });
    await assert.rejects(strict.read(Int32Array.from([0, 1])), /a\/1\.png: corrupt image \(truncated PNG/);
    await strict.close();
  });
});

test('without a model to fit, images of another size or colour are converted to the first image, and counted', async () => {
  await withTempDir('imgmixed', async (dir) => {
    writePng(join(dir, 'a', '0.png'), 2, 2, 1, Uint8Array.from([0, 100, 200, 255]));
    writePng(join(dir, 'a', '1.png'), 2, 2, 3, Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30]));
    // 4x4 -> 2x2 with half-pixel centres: each output is the mean of a 2x2 block.
    writePng(join(dir, 'a', '2.png'), 4, 4, 1, Uint8Array.from([0, 2, 10, 20, 4, 6, 30, 40, 50, 50, 9, 9, 50, 50, 9, 11]));
    const source = await openDataset({ path: dir });
    const batch = await source.read(Int32Array.from([1, 2]));
    assert.deepEqual(Array.from(batch.data.subarray(0, 4)), [76, 150, 29, Math.round(0.299 * 10 + 0.587 * 20 + 0.114 * 30)]);
    assert.deepEqual(Array.from(batch.data.subarray(4)), [3, 25, 50, 10]);
    const info = source.describe();
    assert.deepEqual(info.converted, { count: 1, examples: [join('a', '1.png') + ' (RGB -> grey)'], to: 'grey', kinds: { 'rgb-to-grey': 1 } });
    assert.deepEqual(info.resized, { count: 1, examples: [join('a', '2.png') + ' (4x4)'], to: { width: 2, height: 2 } });
    assert.deepEqual(info.imageSize, { width: 2, height: 2, channels: 1, from: 'first-image' });
    await source.close();
  });
});

test('a root with train/ and test/ offers both splits; an empty class folder is reported by name', async () => {
  await withTempDir('imgsplits', async (dir) => {
    for (const split of ['train', 'test']) {
      writePng(join(dir, split, 'cat', '0.png'), 2, 2, 1, patternImage(split === 'train' ? 1 : 2, 2, 2, 1));
      writePng(join(dir, split, 'dog', '0.png'), 2, 2, 1, patternImage(3, 2, 2, 1));
    }
    writeBytes(join(dir, 'train', 'emu', 'readme.md'), 'no pictures yet');
    assert.deepEqual(await listSplits(dir), ['train', 'test']);
    const test = await openDataset({ path: dir, split: 'test' });
    assert.deepEqual(test.classNames, ['cat', 'dog']);
    assert.deepEqual(Array.from((await test.read(Int32Array.from([0]))).data), Array.from(patternImage(2, 2, 2, 1)));
    assert.deepEqual([test.describe().split, test.describe().root], ['test', dir]);
    await test.close();
    const train = await openDataset({ path: dir, split: 'train' });
    assert.deepEqual(train.classNames, ['cat', 'dog', 'emu']);
    assert.throws(() => checkLabels(Int32Array.from([0, 1]), 3, train.source, train.classNames), /train: class 2 \("emu"\) has no samples/);
    await train.close();
    await assert.rejects(openDataset({ path: dir }), /holds the splits train and test; choose one/);
  });
});

test('folders and files that hold no dataset get errors that say what was expected', async () => {
  await withTempDir('imgnone', async (dir) => {
    writeBytes(join(dir, 'empty', 'a', 'note.txt'), 'x');
    await assert.rejects(openDataset({ path: join(dir, 'empty') }), /empty: no \.png or \.jpg files in its 1 class folders \(a\)/);
    writeBytes(join(dir, 'flat', 'readme.txt'), 'x');
    await assert.rejects(openDataset({ path: join(dir, 'flat') }), /flat: no dataset found in this folder \(expected an image folder/);
    const single = writePng(join(dir, 'one.png'), 2, 2, 1, new Uint8Array(4));
    await assert.rejects(openDataset({ path: single }), /one\.png: a single image; give the folder/);
    const junk = writeBytes(join(dir, 'junk.bin'), 'hello world, not a dataset');
    await assert.rejects(openDataset({ path: junk }), /junk\.bin: unrecognised format \(26 bytes, starting 68 65 6c 6c/);
  });
});
