import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImageDecodePool } from '../../../src/core/dataset/images/decodePool';
import { ImageFolderSource } from '../../../src/core/dataset/images/imageFolderSource';
import { loadImages, MIN_FILES_FOR_WORKERS, type ImageOutcome } from '../../../src/core/dataset/images/loadImages';
import { patternImage, pngBytes, tempDir, writeBytes, writeJpeg, writePng } from './helpers/writers';

const FIXTURES = join(__dirname, '../../fixtures/datasets/images');

/** Outcomes as plain values, so two runs compare with deepEqual whatever buffers hold the pixels. */
const plain = (outcomes: ImageOutcome[]) =>
  outcomes.map((o) => (o.ok ? { width: o.image.width, height: o.image.height, channels: o.image.channels, data: Array.from(o.image.data) } : { reason: o.reason }));

/**
 * Every kind of file a folder can hold: grey and RGB PNGs (the workers' fast path), PIL's palette,
 * 16-bit and RGBA PNGs, JPEGs (decoded back on the main thread), corrupt, truncated and fake images and a
 * path that does not exist. Returns the paths (more than MIN_FILES_FOR_WORKERS) and the grey ones' pixels.
 */
function mixedFolder(dir: string): { paths: string[]; grey: Map<string, Uint8Array> } {
  const paths: string[] = [];
  const grey = new Map<string, Uint8Array>();
  for (let i = 0; i < MIN_FILES_FOR_WORKERS + 8; i++) {
    const pixels = patternImage(i, 5, 7, 1);
    const path = writePng(join(dir, `pattern${i}.png`), 7, 5, 1, pixels);
    grey.set(path, pixels);
    paths.push(path);
  }
  paths.push(writePng(join(dir, 'rgb.png'), 3, 2, 3, patternImage(9, 2, 3, 3)));
  for (const name of ['palette.png', 'grey16.png', 'rgba.png', 'grey.jpg']) {
    copyFileSync(join(FIXTURES, name), join(dir, name));
    paths.push(join(dir, name));
  }
  paths.push(writeJpeg(join(dir, 'flat.jpg'), 8, 8, new Uint8Array(8 * 8 * 3).fill(120)));
  const good = pngBytes(4, 4, 1, patternImage(1, 4, 4, 1));
  const flipped = new Uint8Array(good);
  flipped[20] = flipped[20]! ^ 0xff;
  paths.push(writeBytes(join(dir, 'crc.png'), flipped));
  paths.push(writeBytes(join(dir, 'short.png'), good.subarray(0, good.length - 20)));
  paths.push(writeBytes(join(dir, 'text.png'), 'plain text pretending'));
  paths.push(join(dir, 'missing.png'));
  return { paths, grey };
}

test('the decoding workers give what this thread gives, file for file, whatever the files hold', async () => {
  const { dir, cleanup } = tempDir('decodepool');
  const pool = new ImageDecodePool(2);
  try {
    const { paths, grey } = mixedFolder(dir);
    const here = plain(await loadImages(paths, null));
    const pooled = plain(await loadImages(paths, pool));
    assert.equal(pool.stopped, null);
    assert.deepEqual(pooled, here);
    // And what they give is right: the grey PNGs are the pixels written, the rest as the readers say.
    const byName = new Map(paths.map((p, i) => [p.slice(dir.length + 1), pooled[i]!]));
    for (const [path, pixels] of grey) assert.deepEqual(byName.get(path.slice(dir.length + 1)), { width: 7, height: 5, channels: 1, data: Array.from(pixels) });
    assert.deepEqual(byName.get('rgb.png'), { width: 3, height: 2, channels: 3, data: Array.from(patternImage(9, 2, 3, 3)) });
    const expected = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8')) as Record<string, number[]>;
    for (const name of ['palette.png', 'grey16.png', 'rgba.png']) assert.deepEqual((byName.get(name) as { data: number[] }).data, expected[name]);
    assert.deepEqual(byName.get('crc.png'), { reason: 'PNG IHDR chunk fails its CRC check' });
    assert.match((byName.get('short.png') as { reason: string }).reason, /^truncated PNG/);
    assert.deepEqual(byName.get('text.png'), { reason: 'neither PNG nor JPEG content' });
    assert.deepEqual(byName.get('missing.png'), { reason: 'no such file or directory' });
  } finally {
    await pool.terminate();
    cleanup();
  }
});

test('when a worker dies the pool stops and the files are decoded on this thread instead', async () => {
  const { dir, cleanup } = tempDir('decodepooldead');
  const pool = new ImageDecodePool(2, 'throw new Error("no decoder here")');
  try {
    const { paths } = mixedFolder(dir);
    const pooled = plain(await loadImages(paths, pool));
    assert.match(pool.stopped?.message ?? '', /an image decoding worker failed \(no decoder here\)/);
    assert.deepEqual(pooled, plain(await loadImages(paths, null)));
    await assert.rejects(pool.run(paths), /no decoder here/);
  } finally {
    await pool.terminate();
    cleanup();
  }
});

test('an image folder read through the workers: same rows, labels, skips and strict errors as without', async () => {
  const { dir, cleanup } = tempDir('decodepoolfolder');
  const pool = new ImageDecodePool(2);
  try {
    const count = MIN_FILES_FOR_WORKERS * 2;
    for (let i = 0; i < count; i++) writePng(join(dir, `c${i % 3}`, `${String(i).padStart(3, '0')}.png`), 6, 4, 1, patternImage(i, 4, 6, 1));
    const good = pngBytes(6, 4, 1, patternImage(0, 4, 6, 1));
    writeBytes(join(dir, 'c1', 'zz-broken.png'), good.subarray(0, good.length - 20));
    const indices = Int32Array.from({ length: count + 1 }, (_, i) => count - i);
    const pooled = await ImageFolderSource.open(dir, false, {}, pool);
    const here = await ImageFolderSource.open(dir, false, {}, null);
    const a = await pooled.read(indices);
    const b = await here.read(indices);
    assert.equal(pool.stopped, null);
    assert.deepEqual([a.count, Array.from(a.indices), Array.from(a.labels)], [b.count, Array.from(b.indices), Array.from(b.labels)]);
    assert.deepEqual(Array.from(a.data), Array.from(b.data));
    assert.equal(a.count, count);
    // Sample index -> file: class folders c0, c1, c2, each sorted by name (c1 ends with the broken file).
    const files = [0, 1, 2].flatMap((c) => [...Array.from({ length: count }, (_, i) => i).filter((i) => i % 3 === c).map((i) => ({ i, c })), ...(c === 1 ? [null] : [])]);
    for (let row = 0; row < a.count; row++) {
      const file = files[a.indices[row]!];
      assert.ok(file, `row ${row} is not the broken file`);
      assert.deepEqual(Array.from(a.data.subarray(row * 24, (row + 1) * 24)), Array.from(patternImage(file.i, 4, 6, 1)), `row ${row}`);
      assert.equal(a.labels[row], file.c);
    }
    assert.deepEqual(pooled.describe().skipped, here.describe().skipped);
    assert.match((pooled.describe().skipped as { examples: string[] }).examples[0]!, /^c1\/zz-broken\.png \(truncated PNG/);
    const strict = await ImageFolderSource.open(dir, true, {}, pool);
    await assert.rejects(strict.read(indices), /c1\/zz-broken\.png: corrupt image \(truncated PNG/);
  } finally {
    await pool.terminate();
    cleanup();
  }
});
