import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildPreprocessor, resolvePreprocessing, type PreprocessSource, type RawBatch } from '../../../src/core/dataset';

const f32 = Math.fround;

function raw(data: Uint8Array | Float32Array | Float64Array, count: number): RawBatch {
  return { data, count, labels: new Int32Array(count), indices: Int32Array.from({ length: count }, (_, i) => i) };
}

function source(sampleShape: number[], sampleLayout: PreprocessSource['sampleLayout'], dtype: PreprocessSource['dtype'] = 'uint8'): PreprocessSource {
  return { source: '/data/set', sampleShape, sampleLayout, dtype };
}

test('integer pixels are scaled by 1/255 by default; mean and std apply after scaling', () => {
  const pixels = Uint8Array.from([0, 1, 127, 128, 254, 255]);
  const plain = buildPreprocessor(source([2, 3], 'hw'), { shape: ['N', 1, 2, 3] });
  assert.deepEqual(plain.sampleShape, [1, 2, 3]);
  assert.deepEqual(Array.from(plain.apply(raw(pixels, 1))), Array.from(pixels, (v) => f32(v / 255)));
  const normalised = buildPreprocessor(source([2, 3], 'hw'), { shape: [null, 2, 3, 1] }, { mean: [0.5], std: [0.25] });
  assert.equal(normalised.info.layout, 'nhwc');
  assert.deepEqual(Array.from(normalised.apply(raw(pixels, 1))), Array.from(pixels, (v) => f32((v / 255 - 0.5) / 0.25)));
  const scaled = buildPreprocessor(source([2, 3], 'hw'), { shape: [1, 1, 2, 3] }, { scale: 1 });
  assert.deepEqual(Array.from(scaled.apply(raw(pixels, 1))), Array.from(pixels));
});

// A 2x2 RGB image stored HWC: pixel (y, x) has R = 10(2y+x)+1, G = +2, B = +3.
const HWC = Uint8Array.from([1, 2, 3, 11, 12, 13, 21, 22, 23, 31, 32, 33]);

test('layout follows the model: HWC storage to NCHW, CHW storage to NHWC, per-channel mean/std', () => {
  const nchw = buildPreprocessor(source([2, 2, 3], 'hwc'), { shape: ['N', 3, 2, 2] }, { scale: 1 });
  assert.deepEqual(Array.from(nchw.apply(raw(HWC, 1))), [1, 11, 21, 31, 2, 12, 22, 32, 3, 13, 23, 33]);
  const CHW = Uint8Array.from([1, 11, 21, 31, 2, 12, 22, 32, 3, 13, 23, 33]);
  const nhwc = buildPreprocessor(source([3, 2, 2], 'chw'), { shape: ['N', 2, 2, 3] }, { scale: 1, mean: [1, 2, 3], std: [1, 2, 10] });
  const expected = Array.from(HWC, (v, i) => f32((v - [1, 2, 3][i % 3]!) / [1, 2, 10][i % 3]!));
  assert.deepEqual(Array.from(nhwc.apply(raw(CHW, 1))), expected);
  // Two samples in one batch stay separate.
  const two = nchw.apply(raw(Uint8Array.from([...HWC, ...HWC.map((v) => v + 100)]), 2));
  assert.deepEqual(Array.from(two.subarray(12, 16)), [101, 111, 121, 131]);
});

test('BGR swaps the stored RGB channels; mean/std are given in the model channel order', () => {
  const bgr = buildPreprocessor(source([2, 2, 3], 'hwc'), { shape: ['N', 3, 2, 2] }, { scale: 1, channelOrder: 'bgr', mean: [3, 2, 1] });
  assert.deepEqual(Array.from(bgr.apply(raw(HWC, 1))), [0, 10, 20, 30, 0, 10, 20, 30, 0, 10, 20, 30]);
  assert.equal(bgr.info.channelOrder, 'bgr');
});

test('grey to RGB repeats the channel; RGB to grey uses the luma weights', () => {
  const grey = Uint8Array.from([0, 51, 102, 255]);
  const toRgb = buildPreprocessor(source([2, 2], 'hw'), { shape: ['N', 3, 2, 2] });
  assert.equal(toRgb.info.grayscale, 'to-rgb');
  const g = Array.from(grey, (v) => f32(v / 255));
  assert.deepEqual(Array.from(toRgb.apply(raw(grey, 1))), [...g, ...g, ...g]);
  const toGrey = buildPreprocessor(source([2, 2, 3], 'hwc'), { shape: ['N', 1, 2, 2] }, { scale: 1 });
  assert.equal(toGrey.info.grayscale, 'from-rgb');
  const luma = (r: number, gg: number, b: number): number => f32(0.299 * r + 0.587 * gg + 0.114 * b);
  const out = Array.from(toGrey.apply(raw(HWC, 1)));
  const want = [luma(1, 2, 3), luma(11, 12, 13), luma(21, 22, 23), luma(31, 32, 33)];
  out.forEach((v, i) => assert.ok(Math.abs(v - want[i]!) < 1e-5, `pixel ${i}: ${v} vs ${want[i]}`));
});

test('flatten for an MLP keeps stored order; a flat array reshapes into an image model', () => {
  const mlp = buildPreprocessor(source([2, 3], 'hw'), { shape: ['batch', 6] }, { scale: 1 });
  assert.deepEqual([mlp.info.layout, mlp.sampleSize], ['flat', 6]);
  assert.deepEqual(Array.from(mlp.apply(raw(Uint8Array.from([5, 4, 3, 2, 1, 0]), 1))), [5, 4, 3, 2, 1, 0]);
  const rgbMlp = buildPreprocessor(source([2, 2, 3], 'hwc'), { shape: [null, 12] }, { scale: 1, mean: [1, 2, 3] });
  assert.deepEqual(Array.from(rgbMlp.apply(raw(HWC, 1))), Array.from(HWC, (v, i) => v - [1, 2, 3][i % 3]!));
  const reshaped = buildPreprocessor(source([8], 'flat'), { shape: ['N', 1, 2, 4] }, { scale: 1 });
  assert.deepEqual(reshaped.sampleShape, [1, 2, 4]);
  assert.deepEqual(Array.from(reshaped.apply(raw(Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]), 1))), [1, 2, 3, 4, 5, 6, 7, 8]);
  // [N, 1, 2, 3] reads as NCHW (1 channel, 2x3) or NHWC (1x2, 3 channels); the stored 2x3 grey image settles it.
  const settled = buildPreprocessor(source([2, 3], 'hw'), { shape: ['N', 1, 2, 3] });
  assert.equal(settled.info.layout, 'nchw');
  assert.throws(() => buildPreprocessor(source([6], 'flat'), { shape: ['N', 1, 2, 3] }), /cannot tell where the channels are/);
  const keras = buildPreprocessor(source([28, 28], 'hw'), { shape: [null, 28, 28] });
  assert.deepEqual([keras.sampleShape, keras.info.layout], [[28, 28], 'nhwc']);
});

test('bilinear resize matches values computed by hand (half-pixel centres)', () => {
  // 2 -> 4 along an axis: outputs sit at source coordinates -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped
  // to 1), i.e. weights (1,0), (.75,.25), (.25,.75), (0,1) on source pixels (0,1).
  const a = 0;
  const b = 100;
  const c = 200;
  const d = 40;
  const top = [a, 0.75 * a + 0.25 * b, 0.25 * a + 0.75 * b, b];
  const bottom = [c, 0.75 * c + 0.25 * d, 0.25 * c + 0.75 * d, d];
  const mid1 = top.map((t, i) => 0.75 * t + 0.25 * bottom[i]!);
  const mid2 = top.map((t, i) => 0.25 * t + 0.75 * bottom[i]!);
  const expected = [...top, ...mid1, ...mid2, ...bottom];
  assert.deepEqual(expected, [0, 25, 75, 100, 50, 58.75, 76.25, 85, 150, 126.25, 78.75, 55, 200, 160, 80, 40]);
  const floats = buildPreprocessor(source([2, 2], 'hw', 'float32'), { shape: ['N', 1, 4, 4] });
  assert.deepEqual(floats.info.resize, [4, 4]);
  assert.deepEqual(Array.from(floats.apply(raw(Float32Array.from([a, b, c, d]), 1))), expected);
  const bytes = buildPreprocessor(source([2, 2], 'hw'), { shape: ['N', 4, 4, 1] });
  const got = Array.from(bytes.apply(raw(Uint8Array.from([a, b, c, d]), 1)));
  got.forEach((v, i) => assert.ok(Math.abs(v - expected[i]! / 255) < 1e-7, `value ${i}`));
});

test('bilinear resize agrees with PyTorch F.interpolate(align_corners=False)', () => {
  const reference = JSON.parse(readFileSync(join(__dirname, '../../fixtures/datasets/bilinear_torch.json'), 'utf8')) as {
    input: number[];
    shape: [number, number];
    cases: { size: [number, number]; output: number[] }[];
  };
  for (const { size, output } of reference.cases) {
    const p = buildPreprocessor(source(reference.shape, 'hw', 'float64'), { shape: [1, 1, ...size] });
    const got = p.apply(raw(Float64Array.from(reference.input), 1));
    assert.equal(got.length, output.length);
    got.forEach((v, i) => assert.ok(Math.abs(v - output[i]!) <= 1e-5 * Math.max(1, Math.abs(output[i]!)), `${size}: value ${i} ${v} vs ${output[i]}`));
  }
});

test('a sample that cannot fit the input is an error naming both shapes and the dataset path', () => {
  assert.throws(() => buildPreprocessor(source([28, 28], 'hw'), { shape: ['batch', 100] }), /\/data\/set: samples of shape \[28, 28\] do not fit the model input \[batch, 100\]: 784 values per sample, the model takes 100/);
  assert.throws(
    () => buildPreprocessor(source([28, 28], 'hw'), { shape: ['N', 1, 32, 32] }, { resize: false }),
    /\/data\/set: samples of shape \[28, 28\] do not fit the model input \[N, 1, 32, 32\]: resizing is off/,
  );
  assert.throws(() => buildPreprocessor(source([4, 4, 4], 'hwc'), { shape: ['N', 3, 4, 4] }), /4 channels are stored/);
  assert.throws(() => buildPreprocessor(source([10], 'flat'), { shape: ['N', 1, 4, 4] }), /10 values cannot be reshaped to 4x4/);
  assert.throws(() => buildPreprocessor(source([3, 3], 'hw'), { shape: ['N', 3, 3, 3] }), /\/data\/set: cannot tell where the channels are .*set preprocessing\.layout/);
  const explicit = buildPreprocessor(source([3, 3], 'hw'), { shape: ['N', 3, 3, 3] }, { layout: 'nhwc' });
  assert.deepEqual(explicit.sampleShape, [3, 3, 3]);
  assert.throws(() => buildPreprocessor(source([2, 2], 'hw'), { shape: ['N', 1, 2, 2] }, { mean: [0, 0] }), /mean has 2 values; give 1 or one per channel \(1\)/);
});

test('dynamic spatial dims take the stored size; floats pass through unless normalizeFloats or an explicit scale/mean/std', () => {
  const dynamic = buildPreprocessor(source([5, 7], 'hw'), { shape: ['N', 1, 'H', null] });
  assert.deepEqual([dynamic.sampleShape, dynamic.info.resize], [[1, 5, 7], null]);
  const values = Float32Array.from([0.25, -3, 100, 7.5]);
  // Resolved defaults only (nothing given): the floats come through as stored.
  const asIs = buildPreprocessor(source([2, 2], 'hw', 'float32'), { shape: ['N', 1, 2, 2] }, resolvePreprocessing(null, null, null));
  assert.deepEqual(Array.from(asIs.apply(raw(values, 1))), Array.from(values));
  assert.equal(asIs.info.floatsTakenAsIs, true);
  const normalised = buildPreprocessor(source([2, 2], 'hw', 'float32'), { shape: ['N', 1, 2, 2] }, { normalizeFloats: true, scale: 2, mean: [0.5], std: [2] });
  assert.deepEqual(Array.from(normalised.apply(raw(values, 1))), Array.from(values, (v) => f32((v * 2 - 0.5) / 2)));
});

test('floats taken as they are: float32 samples come through bit for bit, float64 ones rounded once to float32, in either layout', () => {
  // 0.1 and 1/3 are not float32 values; 1e-40 is a float32 subnormal; 3.4e39 overflows float32.
  const float64 = Float64Array.from([0.1, 1 / 3, 1e-40, -2.5, 3.4e39, -0, 7, 1e-300, 0.7, -1 / 7, 2 ** 30 + 1, 5e-8]);
  const asStored = buildPreprocessor(source([3, 2, 2], 'chw', 'float64'), { shape: ['N', 3, 2, 2] }, { layout: 'nchw' });
  assert.deepEqual(Array.from(asStored.apply(raw(float64, 1))), Array.from(Float32Array.from(float64)));
  const float32 = Float32Array.from(float64);
  const same = buildPreprocessor(source([3, 2, 2], 'chw', 'float32'), { shape: ['N', 3, 2, 2] }, { layout: 'nchw' });
  const out = same.apply(raw(float32, 1));
  assert.deepEqual(Array.from(out), Array.from(float32));
  assert.notEqual(out.buffer, float32.buffer, 'a copy: the batch the reader returned is not handed on');
  // Stored CHW into an NHWC model: the values move, each one unchanged.
  const moved = buildPreprocessor(source([3, 2, 2], 'chw', 'float64'), { shape: ['N', 2, 2, 3] }, { layout: 'nhwc' });
  const hwc = moved.apply(raw(float64, 1));
  // (=== rather than Object.is: the per-value loop that moves them gives +0 for -0, the same number.)
  for (let c = 0; c < 3; c++) for (let p = 0; p < 4; p++) assert.ok(hwc[p * 3 + c] === Math.fround(float64[c * 4 + p]!), `channel ${c}, pixel ${p}: ${hwc[p * 3 + c]}`);
});

test('info records the settings used and where each came from', () => {
  const resolved = resolvePreprocessing({ mean: [0.2860] }, { std: [0.3530], scale: 1 / 255 }, { channelOrder: 'rgb', perClass: 50 });
  const p = buildPreprocessor(source([28, 28], 'hw'), { shape: ['N', 1, 28, 28] }, resolved);
  assert.deepEqual(
    [p.info.mean, p.info.std, p.info.scale, p.info.layout, p.info.resize, p.info.grayscale, p.info.perClass, p.info.seed],
    [[0.286], [0.353], 1 / 255, 'nchw', null, null, 50, 0],
  );
  assert.deepEqual(p.info.origin, {
    scale: 'collapse-lens.json',
    mean: 'flag',
    std: 'collapse-lens.json',
    channelOrder: 'vscode-settings',
    resize: 'default',
    normalizeFloats: 'default',
    perClass: 'vscode-settings',
    seed: 'default',
    transform: 'default',
    inputShape: 'model-input',
    grayscale: 'model-input',
    layout: 'model-input',
  });
  assert.throws(() => p.apply(raw(new Uint8Array(10), 1)), /\/data\/set: a batch of 1 samples has 10 values, expected 784/);
});

test('an explicit mean/std on float samples is applied (scale 1 unless given), and the origin says it implied normalizeFloats', () => {
  const values = Float32Array.from([0.25, -3, 100, 7.5]);
  const fromFlag = buildPreprocessor(source([2, 2], 'hw', 'float32'), { shape: ['N', 1, 2, 2] }, resolvePreprocessing({ mean: [0.5], std: [2] }, null, null));
  assert.deepEqual(Array.from(fromFlag.apply(raw(values, 1))), Array.from(values, (v) => f32((v - 0.5) / 2)));
  assert.deepEqual([fromFlag.info.floatsTakenAsIs, fromFlag.info.scale], [false, 1]);
  assert.equal(fromFlag.info.origin?.normalizeFloats, 'implied by mean/std');
  assert.match(String((fromFlag.info.notes as string[]).join(' ')), /normalised because mean\/std were given \(scale 1/);
  // A scale given too is used; from collapse-lens.json the file's path is recorded.
  const fromFile = buildPreprocessor(
    source([2, 2], 'hw', 'float64'),
    { shape: ['N', 1, 2, 2] },
    { ...resolvePreprocessing(null, { scale: 0.5, mean: [1] }, null), configFile: '/data/collapse-lens.json' },
  );
  assert.deepEqual(Array.from(fromFile.apply(raw(Float64Array.from(values), 1))), Array.from(values, (v) => f32(v * 0.5 - 1)));
  assert.equal(fromFile.info.origin?.normalizeFloats, 'implied by scale/mean');
  assert.equal(fromFile.info.configFile, '/data/collapse-lens.json');
  // Settings that contradict each other are refused, naming both origins.
  assert.throws(
    () => buildPreprocessor(source([2, 2], 'hw', 'float32'), { shape: ['N', 1, 2, 2] }, resolvePreprocessing({ mean: [0.5] }, { normalizeFloats: false }, null)),
    /\/data\/set: mean \(flag\) would normalise the float samples, but normalizeFloats is false \(collapse-lens\.json\)/,
  );
  // Bytes keep the 1/255 default whatever was given.
  const bytes = buildPreprocessor(source([2, 2], 'hw'), { shape: ['N', 1, 2, 2] }, resolvePreprocessing({ mean: [0.5] }, null, null));
  assert.equal(bytes.info.scale, 1 / 255);
  assert.equal(bytes.info.configFile, undefined);
});
