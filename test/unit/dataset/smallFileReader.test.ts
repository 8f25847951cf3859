import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { createSmallFileReader } from '../../../src/core/dataset/images/smallFileReader';
import { withTempDir, writeBytes } from './helpers/writers';

const bytesOf = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);

test('small files come back whole from one reused buffer; larger ones whole too, and the buffer grows', async () => {
  await withTempDir('small-files', async (dir) => {
    const read = createSmallFileReader(fs);
    const sizes = [0, 1, 515, 65535, 65536, 65537, 300_000, 700];
    for (const [i, size] of sizes.entries()) {
      const content = bytesOf(size, i);
      const got = read(writeBytes(join(dir, `f${i}.bin`), content));
      assert.deepEqual(got, content, `a file of ${size} bytes`);
    }
    // A view of the reused buffer: the next read overwrites it (callers decode or copy first).
    const first = read(writeBytes(join(dir, 'a.bin'), bytesOf(100, 1)));
    const kept = first.slice();
    read(writeBytes(join(dir, 'b.bin'), bytesOf(100, 2)));
    assert.notDeepEqual(first, kept, 'the first view now shows the second file');
  });
});

test('a missing file or a folder fails as readFileSync does, with its error code', async () => {
  await withTempDir('small-files-errors', async (dir) => {
    const read = createSmallFileReader(fs);
    assert.throws(() => read(join(dir, 'missing.png')), (err: NodeJS.ErrnoException) => err.code === 'ENOENT');
    assert.throws(() => read(dir), (err: NodeJS.ErrnoException) => err.code === 'EISDIR');
  });
});
