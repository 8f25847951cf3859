/**
 * Bad input through the whole pipeline: each failure must say which file (or layer) and what is wrong,
 * in words a user can act on, instead of a stack trace, a NaN in the result or a hang.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeCheckpoint } from '../../../src/engine/analyze/pipeline';
import { analyzeFeatures } from '../../../src/engine/analyze/features';
import { selectIndices } from '../../../src/core/dataset';
import { tempDir, withTempDir, writeNpz } from '../dataset/helpers/writers';
import { fixtureRequest, silentHooks } from './helpers/analyze';
import { modelPath } from './helpers/paths';
import { buildModel, floatTensor, int64Tensor, node, valueInfo } from '../model/onnx/builders';
import { rejection } from '../helpers/rejection';

const N = 20;
/** Labels 0..9 cycling, as numpy's default int64. */
const cyclingLabels = (mod: number) => BigInt64Array.from({ length: N }, (_, i) => BigInt(i % mod));
/** Pixel values that vary with position, so nothing degenerates to a constant. */
const pattern = (count: number) => new Float32Array(count).map((_, i) => (i % 13) / 13);

test('a missing checkpoint is named', async () => {
  await withTempDir('missing', async (dir) => {
    const path = join(dir, 'no-such-model.onnx');
    const message = await rejection(() => analyzeCheckpoint(fixtureRequest('mlp', { checkpoint: path }), silentHooks));
    assert.match(message, /no-such-model\.onnx/);
    assert.match(message, /no-such-model\.onnx: no such file or directory$/);
  });
});

test('a truncated .onnx is named as truncated', async () => {
  await withTempDir('truncated', async (dir) => {
    const bytes = readFileSync(modelPath('mlp'));
    const path = join(dir, 'half.onnx');
    writeFileSync(path, bytes.subarray(0, bytes.length >> 1));
    const message = await rejection(() => analyzeCheckpoint(fixtureRequest('mlp', { checkpoint: path }), silentHooks));
    assert.match(message, /half\.onnx/);
    assert.match(message, /truncated/);
  });
});

test('labels outside 0..K-1 name the file, the label, the sample and the class count', async () => {
  await withTempDir('labels', async (dir) => {
    // Label 10 first appears at sample 10 in a 10-class model.
    const path = writeNpz(join(dir, 'eleven.npz'), { x: { data: pattern(N * 784), shape: [N, 28, 28] }, y: { data: cyclingLabels(11), shape: [N] } });
    const message = await rejection(() => analyzeCheckpoint(fixtureRequest('mlp', { train: { path }, test: undefined }), silentHooks));
    assert.match(message, /eleven\.npz/);
    assert.match(message, /label 10 at sample 10/);
    assert.match(message, /outside 0\.\.9/);
    assert.match(message, /10 classes/);
  });
});

test('a held-out split lacking a class is a warning, not an error (the training split lacking one is refused)', async () => {
  await withTempDir('heldout-class', async (dir) => {
    // Classes 0..8 only: the 10-class model's class 9 has no held-out sample.
    const nine = writeNpz(join(dir, 'nine.npz'), { x: { data: pattern(N * 784), shape: [N, 28, 28] }, y: { data: cyclingLabels(9), shape: [N] } });
    const result = await analyzeCheckpoint(fixtureRequest('mlp', { test: { path: nine }, perClass: 3 }), silentHooks);
    assert.ok(result.warnings?.some((w) => /nine\.npz: no test samples for class\(es\) 9: the held-out metrics that need every class are null/.test(w)), `warnings: ${JSON.stringify(result.warnings)}`);
    const held = result.layers[0]!.metrics.test!;
    assert.equal(held.nc1, null);
    assert.match(held.unavailable?.nc1 ?? '', /class 9 has no sample/);
    assert.equal(typeof held.nccAccuracy, 'number');
    const message = await rejection(() => analyzeCheckpoint(fixtureRequest('mlp', { train: { path: nine }, test: undefined }), silentHooks));
    assert.match(message, /nine\.npz: class 9 has no samples/);
  });
});

test('a sampled .npz whose unread rows are corrupt is refused before any metric is reported', async () => {
  await withTempDir('npz-sampled-crc', async (dir) => {
    const path = writeNpz(join(dir, 'train.npz'), { x: { data: pattern(N * 784), shape: [N, 28, 28] }, y: { data: cyclingLabels(10), shape: [N] } });
    const bytes = readFileSync(path);
    // Flip a bit of the last sample's pixels (stored member x: local header, name, .npy header, then rows).
    bytes[30 + 'x.npy'.length + 128 + (N - 1) * 784 * 4 + 10] ^= 0x01;
    writeFileSync(path, bytes);
    // One sample per class with seed 2 never picks the damaged sample 19: pass 1 stops short of it.
    const picked = selectIndices(Int32Array.from(cyclingLabels(10), Number), 10, 1, 2);
    assert.ok(picked.every((i) => i < N - 1), `picked ${Array.from(picked)}`);
    const message = await rejection(() => analyzeCheckpoint(fixtureRequest('mlp', { train: { path }, test: undefined, perClass: 1, seed: 2 }), silentHooks));
    assert.match(message, /train\.npz: member 'x\.npy' is corrupt \(CRC-32 mismatch\)/);
  });
});

test('samples that do not fit the model input: the message names both shapes', async () => {
  await withTempDir('shapes', async (dir) => {
    const rgb = writeNpz(join(dir, 'rgb32.npz'), { x: { data: pattern(N * 32 * 32 * 3), shape: [N, 32, 32, 3] }, y: { data: cyclingLabels(10), shape: [N] } });
    // With resizing off, 32x32x3 cannot become the model's 1x28x28.
    const noResize = await rejection(() => analyzeCheckpoint(fixtureRequest('mlp', { train: { path: rgb }, test: undefined, preprocessing: { resize: false } }), silentHooks));
    assert.match(noResize, /rgb32\.npz/);
    assert.match(noResize, /\[32, 32, 3\]/);
    assert.match(noResize, /\[batch, 1, 28, 28\]/);

    // Flat vectors of the wrong length can never be reshaped, resize or not.
    const flat = writeNpz(join(dir, 'flat100.npz'), { x: { data: pattern(N * 100), shape: [N, 100] }, y: { data: cyclingLabels(10), shape: [N] } });
    const wrongLength = await rejection(() => analyzeCheckpoint(fixtureRequest('mlp', { train: { path: flat }, test: undefined }), silentHooks));
    assert.match(wrongLength, /flat100\.npz/);
    assert.match(wrongLength, /\[100\]/);
    assert.match(wrongLength, /\[batch, 1, 28, 28\]/);
  });
});

test('with resizing on (the default) a 32x32x3 array is converted, and the result says how', async () => {
  await withTempDir('converted', async (dir) => {
    const rgb = writeNpz(join(dir, 'rgb32.npz'), { x: { data: pattern(N * 32 * 32 * 3), shape: [N, 32, 32, 3] }, y: { data: cyclingLabels(10), shape: [N] } });
    const result = await analyzeCheckpoint(fixtureRequest('mlp', { train: { path: rgb }, test: undefined }), silentHooks);
    const pre = result.dataset.preprocessing;
    assert.deepEqual(pre.resize, [28, 28]);
    assert.equal(pre.grayscale, 'from-rgb');
  });
});

test('a NaN in dumped features names the layer and the sample', async () => {
  await withTempDir('nan', async (dir) => {
    const h2 = pattern(N * 4);
    h2[13 * 4 + 2] = Number.NaN;
    const path = writeNpz(join(dir, 'features.npz'), {
      labels: { data: cyclingLabels(10), shape: [N] },
      h1: { data: pattern(N * 3), shape: [N, 3] },
      h2: { data: h2, shape: [N, 4] },
    });
    const message = await rejection(() => analyzeFeatures({ features: path, epsilon: 0.01 }, silentHooks));
    assert.match(message, /layer "h2"/);
    assert.match(message, /sample 13/);
    assert.match(message, /NaN/);
  });
});

test('a NaN pixel reaching the model names the first layer it poisons and the sample', async () => {
  await withTempDir('nan-input', async (dir) => {
    const x = pattern(N * 784);
    x[5 * 784 + 3] = Number.NaN;
    const path = writeNpz(join(dir, 'nan.npz'), { x: { data: x, shape: [N, 28, 28] }, y: { data: cyclingLabels(10), shape: [N] } });
    const message = await rejection(() => analyzeCheckpoint(fixtureRequest('mlp', { train: { path }, test: undefined }), silentHooks));
    assert.match(message, /\/flatten\/Flatten_output_0/);
    assert.match(message, /sample 5/);
  });
});

test('an unknown layer name lists the close matches', async () => {
  const message = await rejection(() => analyzeCheckpoint(fixtureRequest('mlp', { layers: ['/relu2/Relu_output'] }), silentHooks));
  assert.match(message, /mlp\.onnx/);
  assert.match(message, /unknown layer/);
  assert.match(message, /"\/relu2\/Relu_output": did you mean "\/relu2\/Relu_output_0"/);
});

/**
 * 1,000 classes and a 51-million-value activation (the input tiled 65,536 times): its class means alone
 * would take 400 GB. The model itself is 3 MB.
 */
function hugeActivationModel(): Uint8Array {
  const K = 1000;
  return buildModel({
    inputs: [valueInfo('x', ['batch', 784])],
    outputs: [valueInfo('logits', ['batch', K])],
    nodes: [
      node('Tile', ['x', 'repeats'], ['tiled']),
      node('Relu', ['tiled'], ['wide_relu']),
      node('ReduceMax', ['wide_relu'], ['wide_max'], [{ name: 'axes', type: 7, ints: [1] }, { name: 'keepdims', type: 2, i: 1 }]),
      node('MatMul', ['x', 'W'], ['scores']),
      node('Add', ['scores', 'wide_max'], ['logits']),
    ],
    initializers: [int64Tensor('repeats', [2], [1, 65536]), floatTensor('W', [784, K], new Float32Array(784 * K).fill(0.001))],
  });
}

test('an analysis too large for the machine is refused before it runs, naming the layer that takes the memory', async () => {
  await withTempDir('huge', async (dir) => {
    const checkpoint = join(dir, 'huge.onnx');
    writeFileSync(checkpoint, hugeActivationModel());
    const data = writeNpz(join(dir, 'data.npz'), { x: { data: pattern(N * 784), shape: [N, 784] }, y: { data: cyclingLabels(N), shape: [N] } });
    const stages: string[] = [];
    // The wide branch joins the scores at an Add, so the block rule (probes.md) keeps it out of the default
    // probes: it is asked for by name, as a user who wants that depth would.
    const layers = ['wide_relu', 'logits'];
    const message = await rejection(() => analyzeCheckpoint(fixtureRequest('mlp', { checkpoint, train: { path: data }, test: { path: data }, layers }), { onProgress: (p) => void stages.push(p.stage) }));
    assert.match(message, /huge\.onnx: this analysis would need about [\d,.]+ GiB of memory, more than the [\d.]+ GiB it may use \(80% of the [\d.]+ GiB this machine, or its container, allows\)/);
    assert.match(message, /wide_relu \(51,380,224 values/);
    assert.match(message, /1000 class means/);
    // Refused from the graph's shapes: no batch ran, nothing of the means was allocated.
    assert.ok(!stages.includes('pass1'), `no batch ran (stages seen: ${[...new Set(stages)].join(', ')})`);
  });
});

const openFiles = (): number => readdirSync('/proc/self/fd').length;

test(
  'a failed analysis closes the dataset files it opened',
  {
    skip: existsSync('/proc/self/fd') ? false : 'needs /proc/self/fd to count open files',
  },
  async () => {
    const { dir, cleanup } = tempDir('leaks');
    try {
      const labels = writeNpz(join(dir, 'eleven.npz'), { x: { data: pattern(N * 784), shape: [N, 28, 28] }, y: { data: cyclingLabels(11), shape: [N] } });
      const flat = writeNpz(join(dir, 'flat100.npz'), { x: { data: pattern(N * 100), shape: [N, 100] }, y: { data: cyclingLabels(10), shape: [N] } });
      const before = openFiles();
      await rejection(() => analyzeCheckpoint(fixtureRequest('mlp', { train: { path: labels }, test: undefined }), silentHooks));
      await rejection(() => analyzeCheckpoint(fixtureRequest('mlp', { train: { path: flat }, test: { path: flat } }), silentHooks));
      assert.equal(openFiles(), before, 'open file descriptors after two failed analyses');
    } finally {
      cleanup();
    }
  },
);
