/**
 * Feature reductions (flatten, gap, cls, mean) and shape resolution, on tiny graphs whose values are
 * computed here by hand: the defaults a transformer's tokens get, a tensor that merges the batch with its
 * tokens (never a default probe, refused when chosen), and the refusals of a reduction that does not fit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadModelGraph } from '../../../src/engine/analyze/loadModel';
import { describeLayers } from '../../../src/engine/analyze/layers';
import { analyzeCheckpoint } from '../../../src/engine/analyze/pipeline';
import { createOnnxRunner } from '../../../src/engine/backends/onnxRunner';
import { withReductions } from '../../../src/engine/analyze/reducingRunner';
import { isOnnxModel } from '../../../src/core/model/onnx';
import { parseReductionRequest, planReductions, reduceRows } from '../../../src/core/model/reduction';
import { GAP_CHOICE_LABEL } from '../../../src/core/model/gapChoice';
import { checkMemoryFits, estimateAnalysisMemory, gapCandidates } from '../../../src/engine/analyze/memoryEstimate';
import { tempFolder, writeModel } from '../model/onnx/builders';
import { CLS, convMapModel, tokenModel } from '../model/onnx/tokenModels';
import { silentHooks } from '../pipeline/helpers/analyze';

/** Two samples of 3 patch tokens x 2. */
const X = [1, 2, -1, 0.5, 0, -2, /* sample 2 */ 0.5, 0.5, 2, -1, -0.5, 1];

/** t + (t t^T) t for one sample's T x 2 tokens, in float64. */
function mix(t: number[][]): number[][] {
  const scores = t.map((a) => t.map((b) => a[0] * b[0] + a[1] * b[1]));
  return t.map((row, i) => row.map((v, d) => v + scores[i].reduce((s, w, j) => s + w * t[j][d], 0)));
}
const tokensOf = (sample: number, classToken: boolean): number[][] => {
  const patches = [0, 1, 2].map((k) => [X[sample * 6 + 2 * k], X[sample * 6 + 2 * k + 1]]);
  return classToken ? [CLS.slice(), ...patches] : patches;
};

async function withModel<T>(bytes: Uint8Array, body: (path: string) => Promise<T>): Promise<T> {
  const folder = await tempFolder();
  try {
    return await body(await writeModel(folder.dir, 'model.onnx', bytes));
  } finally {
    await folder.remove();
  }
}

function assertClose(actual: ArrayLike<number>, expected: number[], what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= 1e-5 * (1 + Math.abs(expected[i])), `${what}[${i}] = ${actual[i]}, expected ${expected[i]}`);
  }
}

for (const classToken of [true, false]) {
  test(`token model ${classToken ? 'with' : 'without'} a class token: shapes resolved by running, the residual sum defaults to ${classToken ? 'cls' : 'mean'}, the batch-merged tensor is not a default probe`, async () => {
    await withModel(tokenModel({ classToken }), async (path) => {
      const info = await describeLayers(path);
      assert.deepEqual(info.tokens, { classToken });
      const byName = new Map(info.layers.map((l) => [l.name, l]));
      const T = classToken ? 4 : 3;
      const add = byName.get('add');
      assert.ok(add?.auto, 'the residual sum is a default probe');
      assert.deepEqual(add.shape, [T, 2]);
      assert.equal(add.reduction, classToken ? 'cls' : 'mean');
      const merged = byName.get('merged_relu');
      assert.ok(merged, 'the merged ReLU is listed');
      assert.equal(merged.auto, false, 'never a default probe: it has no per-sample value');
      assert.deepEqual(merged.shape, [null]);
      assert.match(merged.shapeUnknown ?? '', new RegExp(`\\[${2 * T}, 2\\] for a batch of 2: the first dimension is not the batch`));
      assert.deepEqual(byName.get('first')?.shape, [2]);
      assert.equal(byName.get('first')?.reduction, 'flatten');
    });
  });
}

test('cls, mean and flatten of the fetched token tensor match a hand computation, batch by batch', async () => {
  await withModel(tokenModel({ classToken: true }), async (path) => {
    const graph = await loadModelGraph(path);
    assert.ok(isOnnxModel(graph));
    const add = graph.layers.filter((l) => l.name === 'add');
    const mixed = [0, 1].map((s) => mix(tokensOf(s, true)));
    const expected = {
      flatten: mixed.flatMap((t) => t.flat()),
      cls: mixed.flatMap((t) => t[0]),
      mean: mixed.flatMap((t) => [0, 1].map((d) => t.reduce((s, row) => s + row[d], 0) / t.length)),
    };
    for (const reduction of ['flatten', 'cls', 'mean'] as const) {
      const plan = planReductions(path, add, { all: reduction }, graph.tokens);
      assert.deepEqual(plan.get('add')?.shape, reduction === 'flatten' ? [4, 2] : [2]);
      const runner = withReductions(await createOnnxRunner(graph, { provider: 'cpu', threads: 1, fetch: ['add'] }), plan);
      try {
        const out = await runner.run(Float32Array.from(X), 2);
        assertClose(out.get('add')!, expected[reduction], reduction);
      } finally {
        await runner.dispose();
      }
    }
  });
});

test('gap averages each channel of a C x H x W map; --reduce gap leaves a vector flattened', () => {
  const layers = [
    { name: 'map', op: 'Relu', shape: [2, 2, 2], index: 0, auto: true },
    { name: 'flat', op: 'Flatten', shape: [8], index: 1, auto: true },
  ];
  const plan = planReductions('m.onnx', layers, parseReductionRequest('gap'), undefined);
  assert.deepEqual([plan.get('map')?.reduction, plan.get('map')?.shape, plan.get('map')?.dim], ['gap', [2], 2]);
  assert.deepEqual([plan.get('flat')?.reduction, plan.get('flat')?.shape], ['flatten', [8]]);
  const values = Float32Array.from([1, 2, 3, 4, -1, -1, 1, 5, /* sample 2 */ 0, 0, 0, 8, 2, 2, 2, 2]);
  assertClose(reduceRows(values, 2, plan.get('map')!), [2.5, 1, 2, 2], 'gap');
  assert.equal(reduceRows(values, 2, plan.get('flat')!), values, 'flatten hands the fetched array on as it is');
});

test('auto flattens conv maps and vectors of a model without attention (no token reduction)', async () => {
  await withModel(convMapModel(), async (path) => {
    const info = await describeLayers(path);
    assert.equal(info.tokens, undefined);
    assert.deepEqual(info.layers.map((l) => [l.name, l.reduction]), [['map', 'flatten'], ['flat', 'flatten'], ['logits', 'flatten']]);
  });
});

test('a reduction that does not fit a named layer, or names a layer that is not probed, is refused naming it', () => {
  const layers = [
    { name: 'map', op: 'Relu', shape: [2, 2, 2], index: 0, auto: true },
    { name: 'tokens', op: 'Add', shape: [4, 2], index: 1, auto: true },
  ];
  assert.throws(() => planReductions('m.onnx', layers, parseReductionRequest('map=cls'), undefined), /m\.onnx: layer "map": cls needs a T x D token tensor, and this tensor is \[2, 2, 2\]/);
  assert.throws(() => planReductions('m.onnx', layers, parseReductionRequest('tokens=gap'), undefined), /layer "tokens": gap needs a C x H x W map/);
  assert.throws(() => planReductions('m.onnx', layers, parseReductionRequest('nope=gap'), undefined), /a reduction was given for "nope", which is not probed/);
  const mixed = planReductions('m.onnx', layers, parseReductionRequest('mean,map=gap'), { classToken: true });
  assert.deepEqual([mixed.get('map')?.reduction, mixed.get('tokens')?.reduction], ['gap', 'mean']);
  assert.throws(() => parseReductionRequest('pool'), /--reduce: "pool" is not a reduction \(auto, flatten, gap, cls, mean, or <layer>=<reduction>\)/);
  assert.throws(() => parseReductionRequest('a=avg'), /--reduce: "avg" \(for layer "a"\) is not a reduction/);
  assert.throws(() => parseReductionRequest('=gap'), /names no layer/);
});

test('choosing a tensor without a per-sample shape is refused before any data is read, with the reason', async () => {
  await withModel(tokenModel({ classToken: true }), async (path) => {
    await assert.rejects(
      analyzeCheckpoint({ checkpoint: path, train: { path: '/nonexistent/train.npz' }, layers: ['merged_relu'], perClass: null, batchSize: 8, provider: 'cpu', threads: 1, seed: 0, epsilon: 0.01 }, silentHooks),
      /layer "merged_relu" cannot be probed: its per-sample shape is not known \(\?; its shape is \[8, 2\] for a batch of 2: the first dimension is not the batch/,
    );
  });
});

test('a memory refusal over a wide conv map offers gap by name', () => {
  const plan = planReductions('big.onnx', [{ name: 'conv_map', op: 'Relu', shape: [64, 112, 112], index: 0, auto: true }], undefined, undefined);
  const offers = gapCandidates(plan);
  assert.deepEqual(offers, ['conv_map']);
  const estimate = estimateAnalysisMemory([{ name: 'conv_map', dim: 64 * 112 * 112 }], 1000, true, 0);
  assert.throws(() => checkMemoryFits('big.onnx', estimate, 1000, 8 * 2 ** 30, offers), /reduce the conv map to its channel means with gap .*--reduce "conv_map=gap"/);
  // The editor's way to it is named by the layers step's label, so the user finds that choice.
  assert.throws(() => checkMemoryFits('big.onnx', estimate, 1000, 8 * 2 ** 30, offers), (err: Error) => err.message.includes(`"${GAP_CHOICE_LABEL}" in the layers step`));
});
