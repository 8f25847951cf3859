/**
 * What an image folder's images are brought to (the model's size, else the most common one), what is
 * counted on the way (resized, converted, transparency dropped), and the pixel limit read from headers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { decodeImage, openDataset, resizeUint8 } from '../../../src/core/dataset';
import type { ImageShapeRequest } from '../../../src/core/dataset/types';
import { ImageDecodePool } from '../../../src/core/dataset/images/decodePool';
import { ImageFolderSource } from '../../../src/core/dataset/images/imageFolderSource';
import { ImageTooLargeError, MAX_IMAGE_PIXELS, readImageHeader } from '../../../src/core/dataset/images/imageHeader';
import { loadImages, MIN_FILES_FOR_WORKERS } from '../../../src/core/dataset/images/loadImages';
import { jpegHeaderOnly, patternImage, pngBytes, pngHeaderOnly, pngRgbaBytes, withTempDir, writeBytes, writeJpeg, writePng } from './helpers/writers';

const all = (n: number): Int32Array => Int32Array.from({ length: n }, (_, i) => i);
const request = (over: Partial<ImageShapeRequest>): ImageShapeRequest => ({ height: null, width: null, channels: null, fixedBy: 'model-input', resize: true, indices: new Int32Array(0), ...over });
const HUGE = /30000x30000 \(900\.0 megapixels\), over the limit of 50 megapixels per image/;

test('a fixed model input decides the size: a 100x100 first image does not drag 28x28 images up and back', async () => {
  await withTempDir('imgmodel', async (dir) => {
    const big = patternImage(0, 100, 100, 1);
    writePng(join(dir, 'a', '0.png'), 100, 100, 1, big);
    for (let i = 1; i < 4; i++) writePng(join(dir, i % 2 ? 'b' : 'a', `${i}.png`), 28, 28, 1, patternImage(i, 28, 28, 1));
    const source = await openDataset({ path: dir });
    assert.deepEqual(source.sampleShape, [100, 100], 'before conforming, the first image is a provisional shape');
    await source.conformImages!(request({ height: 28, width: 28, channels: 1, indices: all(4) }));
    assert.deepEqual(source.sampleShape, [28, 28]);
    const batch = await source.read(all(4));
    // The 28x28 images arrive untouched; the 100x100 one is resized once, straight to 28x28.
    assert.deepEqual(Array.from(batch.data.subarray(0, 784)), Array.from(resizeUint8(big, 100, 100, 1, 28, 28)));
    assert.deepEqual(Array.from(batch.data.subarray(784, 2 * 784)), Array.from(patternImage(2, 28, 28, 1)));
    const info = source.describe();
    assert.deepEqual(info.resized, { count: 1, examples: [join('a', '0.png') + ' (100x100)'], to: { width: 28, height: 28 } });
    assert.deepEqual(info.imageSize, { width: 28, height: 28, channels: 1, from: 'model-input' });
    assert.equal(info.converted, undefined);
    await source.close();
  });
});

test('a model input open in size: the most common size among the selected headers wins, not the first image', async () => {
  await withTempDir('imgcommon', async (dir) => {
    writePng(join(dir, 'a', '0.png'), 10, 12, 1, patternImage(0, 12, 10, 1));
    for (let i = 1; i < 4; i++) writePng(join(dir, 'b', `${i}.png`), 6, 5, 1, patternImage(i, 5, 6, 1));
    writeBytes(join(dir, 'b', '9.png'), 'not an image: left out of the census, skipped by the read');
    const source = await openDataset({ path: dir });
    await source.conformImages!(request({ indices: all(5) }));
    assert.deepEqual(source.sampleShape, [5, 6]);
    assert.deepEqual(source.describe().imageSize, { width: 6, height: 5, channels: 1, from: 'most-common', headersRead: 4, ofSize: 3 });
    const batch = await source.read(all(5));
    assert.equal(batch.count, 4);
    const info = source.describe();
    assert.equal((info.resized as { count: number }).count, 1);
    assert.equal((info.skipped as { count: number }).count, 1);
    // A test split under such a model takes the training split's size, whatever its own images say.
    const test = await openDataset({ path: dir });
    await test.conformImages!(request({ height: 12, width: 10, fixedBy: 'train-split', indices: all(5) }));
    assert.deepEqual(test.sampleShape, [12, 10]);
    assert.equal((test.describe().imageSize as { from: string }).from, 'train-split');
    await source.close();
    await test.close();
  });
});

test('grey images for a 3-channel model are converted to RGB per image and counted; transparency dropped is counted too', async () => {
  await withTempDir('imgrgb', async (dir) => {
    writePng(join(dir, 'a', '0.png'), 2, 2, 1, Uint8Array.from([0, 100, 200, 255]));
    writePng(join(dir, 'a', '1.png'), 2, 2, 3, patternImage(1, 2, 2, 3));
    const opaque = Uint8Array.from([1, 2, 3, 255, 4, 5, 6, 255, 7, 8, 9, 255, 10, 11, 12, 255]);
    writeBytes(join(dir, 'b', '2.png'), pngRgbaBytes(2, 2, opaque));
    const seeThrough = Uint8Array.from(opaque).fill(0, 3, 4);
    writeBytes(join(dir, 'b', '3.png'), pngRgbaBytes(2, 2, seeThrough));
    const source = await openDataset({ path: dir });
    await source.conformImages!(request({ height: 2, width: 2, channels: 3, indices: all(4) }));
    const batch = await source.read(all(4));
    assert.deepEqual(Array.from(batch.data.subarray(0, 12)), [0, 0, 0, 100, 100, 100, 200, 200, 200, 255, 255, 255]);
    // An opaque alpha channel loses nothing when dropped: not counted.
    assert.deepEqual(source.describe().converted, {
      count: 2,
      examples: [join('a', '0.png') + ' (grey -> RGB)', join('b', '3.png') + ' (transparency dropped)'],
      to: 'rgb',
      kinds: { 'grey-to-rgb': 1, 'alpha-dropped': 1 },
    });
    await source.close();
  });
});

test('with resize: false, an image of another size than the model takes fails the read, naming the file and both sizes', async () => {
  await withTempDir('imgnoresize', async (dir) => {
    writePng(join(dir, 'a', '0.png'), 4, 4, 1, patternImage(0, 4, 4, 1));
    writePng(join(dir, 'b', '1.png'), 5, 3, 1, patternImage(1, 3, 5, 1));
    const source = await openDataset({ path: dir });
    await source.conformImages!(request({ height: 4, width: 4, channels: 1, resize: false, indices: all(2) }));
    await assert.rejects(source.read(all(2)), /b\/1\.png: the image is 5x3, the model input takes 4x4, and resizing is off \(resize: false\)/);
    await source.close();
  });
});

test('PNG and JPEG headers give the size before decoding; a damaged IHDR is no header', () => {
  assert.deepEqual(readImageHeader(pngBytes(7, 5, 3, patternImage(0, 5, 7, 3))), { width: 7, height: 5, channels: 3 });
  assert.deepEqual(readImageHeader(pngHeaderOnly(640, 480)), { width: 640, height: 480, channels: 1 });
  assert.deepEqual(readImageHeader(jpegHeaderOnly(300, 200, 3)), { width: 300, height: 200, channels: 3 });
  const damaged = pngHeaderOnly(640, 480);
  damaged[18] = damaged[18]! ^ 0xff;
  assert.equal(readImageHeader(damaged), null);
});

test('an image whose header claims 30000x30000 is refused from the header alone, PNG or JPEG, before any decoding', () => {
  assert.ok(30000 * 30000 > MAX_IMAGE_PIXELS);
  // Signature and IHDR only: a decode would fail on the missing data; the limit must speak first.
  for (const bytes of [pngHeaderOnly(30000, 30000), jpegHeaderOnly(30000, 30000, 1)]) {
    assert.throws(
      () => decodeImage(bytes),
      (err: unknown) => err instanceof ImageTooLargeError && HUGE.test(err.message),
    );
  }
  // Just under the limit, the same truncated file is an ordinary decode error.
  assert.throws(() => decodeImage(pngHeaderOnly(5000, 5000)), (err: unknown) => !(err instanceof ImageTooLargeError));
});

test('a huge image in a folder refuses the run with the file named, strict or not, on this thread and in the workers', async () => {
  await withTempDir('imghuge', async (dir) => {
    for (let i = 0; i < MIN_FILES_FOR_WORKERS; i++) writePng(join(dir, 'a', `${String(i).padStart(2, '0')}.png`), 4, 4, 1, patternImage(i, 4, 4, 1));
    const huge = writeBytes(join(dir, 'b', 'huge.png'), pngHeaderOnly(30000, 30000));
    const pool = new ImageDecodePool(1);
    try {
      for (const p of [null, pool]) {
        const source = await ImageFolderSource.open(dir, false, {}, p);
        const message = await source.read(all(MIN_FILES_FOR_WORKERS + 1)).then(
          () => assert.fail('expected a refusal'),
          (err: Error) => err.message,
        );
        assert.ok(message.startsWith(`${huge}: `), message);
        assert.match(message, HUGE);
        assert.equal(source.describe().skipped, undefined, 'a refusal, not a skipped sample');
      }
      const outcomes = await loadImages([huge, ...Array.from({ length: MIN_FILES_FOR_WORKERS }, (_, i) => join(dir, 'a', `${String(i).padStart(2, '0')}.png`))], pool);
      assert.deepEqual(outcomes[0], { ok: false, reason: outcomes[0]!.ok ? '' : outcomes[0]!.reason, tooLarge: true });
      assert.equal(pool.stopped, null, 'the worker answered (no fallback to this thread)');
    } finally {
      await pool.terminate();
    }
    // As the first image (the provisional shape's probe), and in the header census of a size-open model.
    await withTempDir('imghugefirst', async (first) => {
      const path = writeBytes(join(first, 'a', '0.png'), pngHeaderOnly(30000, 30000));
      writePng(join(first, 'b', '1.png'), 4, 4, 1, patternImage(1, 4, 4, 1));
      await assert.rejects(ImageFolderSource.open(first, false, {}, null), (err: Error) => err.message.startsWith(`${path}: `) && HUGE.test(err.message));
    });
    const source = await ImageFolderSource.open(dir, false, {}, null);
    await assert.rejects(source.conformImages(request({ indices: all(MIN_FILES_FOR_WORKERS + 1) })), (err: Error) => err.message.startsWith(`${huge}: `) && HUGE.test(err.message));
  });
});

test('a JPEG header in the census: size and channels from SOFn', async () => {
  await withTempDir('imgjpeg', async (dir) => {
    writeJpeg(join(dir, 'a', '0.jpg'), 9, 7, patternImage(0, 7, 9, 3));
    writeJpeg(join(dir, 'b', '1.jpg'), 9, 7, patternImage(1, 7, 9, 3));
    const source = await openDataset({ path: dir });
    await source.conformImages!(request({ indices: all(2) }));
    assert.deepEqual(source.describe().imageSize, { width: 9, height: 7, channels: 3, from: 'most-common', headersRead: 2, ofSize: 2 });
    await source.close();
  });
});
