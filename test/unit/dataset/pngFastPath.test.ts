/**
 * The PNG fast path against pngjs on images pngjs encodes with each row filter forced in turn (None, Sub,
 * Up, Average, Paeth) and with its adaptive choice, in every colour type the fast path takes, at sizes
 * where the first row, the first pixel and a one-pixel-wide image are each their own case.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as zlib from 'node:zlib';
import { PNG } from 'pngjs';
import { createPngFastPath } from '../../../src/core/dataset/images/pngFastPath';
import { seededRandom } from '../../../src/core/dataset/sampling';

const fastPath = createPngFastPath({ inflate: (c) => zlib.inflateSync(c), crc32: (b, s, e) => zlib.crc32(b.subarray(s, e)) >>> 0 });

/** RGBA pixels with smooth gradients (where the filters differ most) plus noise, seeded. */
function rgbaImage(width: number, height: number, seed: number): Buffer {
  const next = seededRandom(seed);
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let k = 0; k < 4; k++) data[(y * width + x) * 4 + k] = (x * (3 + k) + y * (5 - k) + Math.floor(next() * 40)) & 0xff;
    }
  }
  return data;
}

const COLOUR_TYPES = [
  { colorType: 0, name: 'grey', channels: 1 },
  { colorType: 2, name: 'RGB', channels: 3 },
  { colorType: 4, name: 'grey + alpha', channels: 1 },
  { colorType: 6, name: 'RGBA', channels: 3 },
] as const;

test('the fast path decodes what pngjs decodes, for every row filter, colour type and edge size', () => {
  let images = 0;
  for (const [width, height] of [[28, 28], [1, 9], [9, 1], [17, 5]] as const) {
    for (const { colorType, name, channels } of COLOUR_TYPES) {
      for (const filterType of [0, 1, 2, 3, 4, -1]) {
        const png = new PNG({ width, height });
        png.data = rgbaImage(width, height, width * 1000 + height * 10 + colorType + filterType);
        const bytes = new Uint8Array(PNG.sync.write(png, { colorType, inputColorType: 6, inputHasAlpha: true, filterType }));
        const reference = PNG.sync.read(Buffer.from(bytes));
        const decoded = fastPath.decode(bytes);
        const what = `${name} ${width}x${height}, filter ${filterType}`;
        assert.ok(decoded !== null, `${what}: the fast path declined it`);
        assert.deepEqual([decoded.width, decoded.height, decoded.channels], [width, height, channels], what);
        const expected = new Uint8Array(width * height * channels);
        for (let i = 0; i < width * height; i++) for (let k = 0; k < channels; k++) expected[i * channels + k] = reference.data[i * 4 + k]!;
        assert.deepEqual(decoded.data, expected, what);
        images++;
      }
    }
  }
  assert.equal(images, 4 * 4 * 6);
});
