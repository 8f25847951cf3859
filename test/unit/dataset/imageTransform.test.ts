import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDataset } from '../../../src/core/dataset';
import { resizeCropAntialiased } from '../../../src/core/dataset/images/antialiasResize';
import { decodeImage } from '../../../src/core/dataset/images/decodeImage';
import { normalizeTransform, planTransform, roundHalfEven, transformProblem } from '../../../src/core/dataset/images/imageTransform';
import { decodeWithSharp, loadSharp, sharpFrom } from '../../../src/core/dataset/images/sharpDecoder';
import type { DatasetSource } from '../../../src/core/dataset/types';
import { describePreprocessing } from '../../../src/core/preprocessingLine';
import { resolvePreprocessing } from '../../../src/core/dataset/config/resolve';
import { buildAnalyzeRequest } from '../../../src/engine/cli/commands/analyze';
import { withTempDir, writeBytes, writePng } from './helpers/writers';

interface Case {
  width: number;
  height: number;
  channels: 1 | 3;
  resizeShorter: number | null;
  centerCrop: number;
  pil: string;
  jpeg?: string;
}
const FIXTURE = JSON.parse(readFileSync(join(__dirname, '../../fixtures/datasets/images/pil-transform.json'), 'utf8')) as { cases: Case[]; jpegs: Case[] };

/** The pattern scripts/fixtures/make_pil_transform.py feeds PIL. */
function pattern(w: number, h: number, c: number): Uint8Array {
  const out = new Uint8Array(w * h * c);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let k = 0; k < c; k++) out[(y * w + x) * c + k] = (x * 7 + y * 13 + k * 50 + ((x * y) % 17) + ((x * x + 3 * y * y) % 29)) % 256;
  return out;
}

function transformPixels(data: Uint8Array, w: number, h: number, c: number, t: { resizeShorter: number | null; centerCrop: number }): Uint8Array {
  const plan = planTransform(w, h, normalizeTransform(t), 'x.png');
  return resizeCropAntialiased(data, h, w, c, plan.resizedHeight, plan.resizedWidth, plan.crop);
}

/** Largest absolute difference and the share of values that differ by more than 1. */
function compare(a: Uint8Array, b: Uint8Array): { max: number; overOne: number } {
  assert.equal(a.length, b.length);
  let max = 0;
  let over = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (d > max) max = d;
    if (d > 1) over++;
  }
  return { max, overOne: over / a.length };
}

const sharp = loadSharp().sharp;

test('Resize(S) + CenterCrop(C) equals PIL/torchvision byte for byte (shrink, enlarge, grey, crop only, odd sizes)', () => {
  assert.ok(FIXTURE.cases.length >= 6);
  for (const c of FIXTURE.cases) {
    const got = transformPixels(pattern(c.width, c.height, c.channels), c.width, c.height, c.channels, c);
    assert.deepEqual(Buffer.from(got), Buffer.from(c.pil, 'base64'), `${c.width}x${c.height}x${c.channels} Resize(${c.resizeShorter}) CenterCrop(${c.centerCrop})`);
  }
});

test('geometry: torchvision truncates the longer side and rounds the crop offset half to even', () => {
  assert.deepEqual(planTransform(500, 375, { resizeShorter: 256, centerCrop: 224 }, 'a.jpg'), { resizedWidth: 341, resizedHeight: 256, crop: { top: 16, left: 58, height: 224, width: 224 } });
  assert.deepEqual(planTransform(375, 500, { resizeShorter: 256, centerCrop: 224 }, 'a.jpg').crop, { top: 58, left: 16, height: 224, width: 224 });
  assert.deepEqual([roundHalfEven(0.5), roundHalfEven(1.5), roundHalfEven(2.5), roundHalfEven(58.5), roundHalfEven(3.2)], [0, 2, 2, 58, 3]);
});

test('a crop larger than the image is refused, naming the file, the size and the crop', () => {
  assert.throws(() => planTransform(200, 180, { resizeShorter: null, centerCrop: 224 }, 'data/cat/small.jpg'), /^Error: data\/cat\/small\.jpg: the image is 200x180, smaller than the centre crop of 224x224/);
  assert.match(String(transformProblem({ resizeShorter: 200, centerCrop: 224 })), /larger than every image resized to a shorter side of 200/);
  assert.match(String(transformProblem({ centerCrop: 0 })), /centerCrop/);
  assert.match(String(transformProblem({ centerCrop: 224, shorter: 256 })), /unknown key "shorter"/);
  assert.equal(transformProblem({ resizeShorter: 256, centerCrop: 224 }), null);
});

test('CLI flags: --resize-shorter/--center-crop give the transform; a resize without a crop and a crop over the resize are refused', () => {
  const base = ['m.onnx', '--train', 'data'];
  assert.deepEqual(buildAnalyzeRequest([...base, '--resize-shorter', '256', '--center-crop', '224']).request.preprocessing?.transform, { resizeShorter: 256, centerCrop: 224 });
  assert.deepEqual(buildAnalyzeRequest([...base, '--center-crop', '224']).request.preprocessing?.transform, { resizeShorter: null, centerCrop: 224 });
  assert.throws(() => buildAnalyzeRequest([...base, '--resize-shorter', '256']), /--resize-shorter needs --center-crop/);
  assert.throws(() => buildAnalyzeRequest([...base, '--resize-shorter', '200', '--center-crop', '224']), /--center-crop 224 is larger than --resize-shorter 200/);
  assert.equal(buildAnalyzeRequest([...base, '--image-decoder', 'javascript']).request.train.imageDecoder, 'javascript');
});

test('the transform is a setting: flag over collapse-lens.json, recorded with its origin and shown on the preprocessing line', () => {
  const fromFile = resolvePreprocessing(null, { transform: { resizeShorter: 256, centerCrop: 224 } }, null);
  assert.deepEqual([fromFile.transform, fromFile.origin.transform], [{ resizeShorter: 256, centerCrop: 224 }, 'collapse-lens.json']);
  const fromFlag = resolvePreprocessing({ transform: { resizeShorter: null, centerCrop: 32 } }, { transform: { resizeShorter: 256, centerCrop: 224 } }, null);
  assert.deepEqual([fromFlag.transform, fromFlag.origin.transform], [{ resizeShorter: null, centerCrop: 32 }, 'flag']);
  const none = resolvePreprocessing(null, null, null);
  assert.deepEqual([none.transform, none.origin.transform], [null, 'default']);
  assert.throws(() => resolvePreprocessing(null, { transform: { resizeShorter: 128, centerCrop: 224 } }, null), /collapse-lens\.json: preprocessing\.transform: must be .*larger than every image/);
  const line = describePreprocessing({ scale: 1 / 255, layout: 'nchw', transform: { resizeShorter: 256, centerCrop: 224 }, origin: { scale: 'default', mean: 'default', std: 'default', layout: 'model-input', transform: 'collapse-lens.json' } });
  assert.match(String(line), /resize shorter side 256 \(antialiased bilinear, as PIL\) \+ centre crop 224 \(collapse-lens\.json\)/);
});

/** Opens `dir` as a folder whose images go through the transform to a model that takes `size` x `size` x 3. */
async function openTransformed(dir: string, transform: { resizeShorter: number | null; centerCrop: number }, decoder: 'auto' | 'javascript', size = transform.centerCrop): Promise<DatasetSource> {
  const source = await openDataset({ path: dir, imageDecoder: decoder });
  const indices = Int32Array.from({ length: source.size }, (_, i) => i);
  await source.conformImages!({ height: size, width: size, channels: 3, fixedBy: 'model-input', resize: true, indices, transform: normalizeTransform(transform) });
  return source;
}

test('image folder with the transform: every image comes out as the crop, the result says transform and decoder', async () => {
  await withTempDir('imgtransform', async (dir) => {
    writePng(join(dir, 'a', 'wide.png'), 45, 31, 3, pattern(45, 31, 3));
    writePng(join(dir, 'b', 'tall.png'), 29, 47, 1, pattern(29, 47, 1));
    for (const decoder of ['auto', 'javascript'] as const) {
      const source = await openTransformed(dir, { resizeShorter: 24, centerCrop: 20 }, decoder);
      const batch = await source.read(Int32Array.from([0, 1]));
      assert.deepEqual([batch.count, source.sampleShape], [2, [20, 20, 3]]);
      // The RGB one is PIL's resize of its pixels; the grey one is resized as grey, then repeated to RGB.
      assert.deepEqual(Buffer.from(batch.data.subarray(0, 1200)), Buffer.from(transformPixels(pattern(45, 31, 3), 45, 31, 3, { resizeShorter: 24, centerCrop: 20 })));
      const info = source.describe();
      assert.deepEqual(info.transform, { resizeShorter: 24, centerCrop: 20, interpolation: 'pil-bilinear' });
      assert.deepEqual(info.imageSize, { width: 20, height: 20, channels: 3, from: 'model-input' });
      assert.equal(info.resized, undefined, 'the transform is not a stray resize');
      assert.deepEqual((info.converted as { kinds: unknown }).kinds, { 'grey-to-rgb': 1 });
      const expected = decoder === 'auto' && sharp ? 'sharp' : 'javascript';
      assert.equal((info.decoder as { name: string }).name, expected);
      if (decoder === 'javascript') assert.match(String((info.decoder as { reason: string }).reason), /asked for/);
      await source.close();
    }
  });
});

test('a crop the model does not take is refused; a crop larger than an image fails the read naming the file', async () => {
  await withTempDir('imgtransformbad', async (dir) => {
    writePng(join(dir, 'a', 'ok.png'), 40, 40, 3, pattern(40, 40, 3));
    writePng(join(dir, 'b', 'small.png'), 20, 30, 3, pattern(20, 30, 3));
    await assert.rejects(openTransformed(dir, { resizeShorter: null, centerCrop: 24 }, 'auto', 32), /makes 24x24 images, but the model input takes 32x32; set transform\.centerCrop to 32/);
    const source = await openTransformed(dir, { resizeShorter: null, centerCrop: 24 }, 'javascript');
    await assert.rejects(source.read(Int32Array.from([0, 1])), (err: Error) => err.message.startsWith(join(dir, 'b', 'small.png')) && /20x30, smaller than the centre crop of 24x24/.test(err.message));
    await source.close();
  });
});

test('sharp and the JavaScript decoders give the same transformed pixels: PNG exactly, grey JPEG to 1 level', { skip: sharp ? false : 'sharp does not load here' }, async () => {
  const grey = FIXTURE.jpegs.find((j) => j.channels === 1)!;
  const bytes = Buffer.from(grey.jpeg!, 'base64');
  const js = decodeImage(bytes);
  const native = await decodeWithSharp(sharp!, bytes);
  assert.equal(native.channels, 1);
  const t = { resizeShorter: grey.resizeShorter, centerCrop: grey.centerCrop };
  const a = transformPixels(js.data, js.width, js.height, 1, t);
  const b = transformPixels(native.data, native.width, native.height, 1, t);
  assert.ok(compare(a, b).max <= 1, `grey JPEG: max ${compare(a, b).max}`);
  // sharp's libjpeg-turbo decodes as PIL's libjpeg does: with the transform, PIL's bytes to 1 level.
  assert.ok(compare(b, Buffer.from(grey.pil, 'base64')).max <= 1);
  await withTempDir('imgsharppng', async (dir) => {
    writePng(join(dir, 'a', 'x.png'), 53, 37, 3, pattern(53, 37, 3));
    writePng(join(dir, 'b', 'y.png'), 31, 44, 1, pattern(31, 44, 1));
    const reads = [];
    for (const decoder of ['auto', 'javascript'] as const) {
      const source = await openTransformed(dir, { resizeShorter: 30, centerCrop: 27 }, decoder);
      reads.push((await source.read(Int32Array.from([0, 1]))).data);
      await source.close();
    }
    assert.deepEqual(Buffer.from(reads[0]!), Buffer.from(reads[1]!));
  });
});

test('colour 4:2:0 JPEG (as PIL and cameras write them): sharp gives PIL\'s pixels, jpeg-js does not (known, documented)', { skip: sharp ? false : 'sharp does not load here' }, async () => {
  const rgb = FIXTURE.jpegs.find((j) => j.channels === 3)!;
  const bytes = Buffer.from(rgb.jpeg!, 'base64');
  const t = { resizeShorter: rgb.resizeShorter, centerCrop: rgb.centerCrop };
  const native = await decodeWithSharp(sharp!, bytes);
  const viaSharp = transformPixels(native.data, native.width, native.height, 3, t);
  const pil = Buffer.from(rgb.pil, 'base64');
  assert.ok(compare(viaSharp, pil).max <= 1, `sharp vs PIL: ${JSON.stringify(compare(viaSharp, pil))}`);
  const js = decodeImage(bytes);
  const viaJs = transformPixels(js.data, js.width, js.height, 3, t);
  // jpeg-js replicates the subsampled chroma where libjpeg interpolates it: docs/datasets.md gives the
  // measured gap. The bound keeps the documented number honest if jpeg-js changes.
  const gap = compare(viaJs, pil);
  assert.ok(gap.max <= 8, `jpeg-js vs PIL on a smooth 4:2:0 JPEG: ${JSON.stringify(gap)}`);
});

test('where sharp does not load, the JavaScript decoders run and the reason is kept for the result', () => {
  const missing = sharpFrom(() => {
    throw new Error("Could not load the \"sharp\" module using the darwin-arm64 runtime\nPossible solutions:\n- Install ...");
  });
  assert.equal(missing.sharp, null);
  assert.deepEqual(missing.info, { name: 'javascript', reason: 'sharp did not load (Could not load the "sharp" module using the darwin-arm64 runtime)' });
  if (sharp) assert.match(String(loadSharp().info.version), /^sharp \d+\.\d+\.\d+, libvips \d+\.\d+/);
});

test('with the transform, a truncated JPEG is skipped and counted by either decoder (strict: the read fails naming it)', async () => {
  await withTempDir('imgtransformcorrupt', async (dir) => {
    const rgb = FIXTURE.jpegs.find((j) => j.channels === 3)!;
    const bytes = Buffer.from(rgb.jpeg!, 'base64');
    writeBytes(join(dir, 'a', 'good.jpg'), bytes);
    writeBytes(join(dir, 'b', 'cut.jpg'), bytes.subarray(0, Math.floor(bytes.length / 2)));
    for (const decoder of ['auto', 'javascript'] as const) {
      const source = await openTransformed(dir, { resizeShorter: 32, centerCrop: 28 }, decoder);
      const batch = await source.read(Int32Array.from([0, 1]));
      assert.equal(batch.count, 1, decoder);
      const skipped = source.describe().skipped as { count: number; examples: string[] };
      assert.equal(skipped.count, 1);
      assert.match(skipped.examples[0]!, /^b\/cut\.jpg \(/);
      await source.close();
    }
    const strict = await openDataset({ path: dir, strict: true });
    await strict.conformImages!({ height: 28, width: 28, channels: 3, fixedBy: 'model-input', resize: true, indices: Int32Array.from([0, 1]), transform: normalizeTransform({ resizeShorter: 32, centerCrop: 28 }) });
    await assert.rejects(strict.read(Int32Array.from([0, 1])), /cut\.jpg: corrupt image/);
  });
});
