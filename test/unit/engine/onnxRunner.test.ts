import { availableParallelism } from 'node:os';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import type { OnnxModel } from '../../../src/core/model/onnx';
import type { ModelRunner, RunnerOptions } from '../../../src/core/model/types';
import { createRunner } from '../../../src/engine/backends';
import { createOnnxRunner } from '../../../src/engine/backends/onnxRunner';
import { fillOnnxShapesByRunning } from '../../../src/engine/backends/onnxShapes';
import { B1, B2, W1, W2, linear, loadModelBytes, relu } from '../model/onnx/builders';
import { ZOO_CONV, ZOO_CONV_BIAS, activationZoo, flattenedMlp, mixedTypes, mlp } from '../model/onnx/models';
import type { ClassifierStyle } from '../model/onnx/models';

/** Three 4-value samples with positive and negative hidden units. */
const X = [1, 2, -1, 0.5, -2, 0.25, 1, -1, 0, 0, 0, 0];
const hiddenRef = relu(linear(X, 3, W1, B1, 3));
const logitsRef = linear(hiddenRef, 3, W2, B2, 2);

async function withRunner<T>(model: OnnxModel, fetch: string[], body: (runner: ModelRunner) => Promise<T>, extra: Partial<RunnerOptions> = {}): Promise<T> {
  const runner = await createOnnxRunner(model, { provider: 'cpu', threads: 1, fetch, ...extra });
  try {
    return await body(runner);
  } finally {
    await runner.dispose();
  }
}

function assertClose(actual: Float32Array | undefined, expected: ArrayLike<number>, what: string): void {
  assert.ok(actual, `${what} was not returned`);
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= 1e-5 * (1 + Math.abs(expected[i])), `${what}[${i}] = ${actual[i]}, expected ${expected[i]}`);
  }
}

const styles: ClassifierStyle[] = ['gemm-transB1', 'gemm-transB0', 'gemm-scaled', 'matmul-add', 'matmul-bias-first'];
for (const style of styles) {
  test(`${style}: the ReLU probe and the logits match a hand computation, and the classifier reproduces the logits`, async () => {
    const model = await loadModelBytes(mlp(style));
    const c = model.classifier;
    assert.ok(c);
    await withRunner(model, [c.inputLayer, c.logitsLayer], async (runner) => {
      const out = await runner.run(Float32Array.from(X), 3);
      assertClose(out.get('r'), hiddenRef, 'r');
      assertClose(out.get('out'), logitsRef, 'logits');
      // The classifier read from the graph, applied to the probed features, gives the model's logits.
      assertClose(out.get('out'), linear(out.get('r') ?? [], 3, c.W, c.b, c.numClasses), 'W r + b');
    });
  });
}

test('Softmax model: the pre-softmax logits are fetched, and the softmax output agrees with them', async () => {
  const model = await loadModelBytes(mlp('gemm-transB1', { softmax: true }));
  await withRunner(model, ['logits', 'out'], async (runner) => {
    const out = await runner.run(Float32Array.from(X), 3);
    assertClose(out.get('logits'), logitsRef, 'logits');
    const probabilities = Array.from(logitsRef, (_, i) => {
      const row = Math.floor(i / 2) * 2;
      const max = Math.max(logitsRef[row], logitsRef[row + 1]);
      return Math.exp(logitsRef[i] - max) / (Math.exp(logitsRef[row] - max) + Math.exp(logitsRef[row + 1] - max));
    });
    assertClose(out.get('out'), probabilities, 'softmax');
  });
});

test('Flatten before the classifier: the 3 x 1 x 1 ReLU comes back as 3 values per sample', async () => {
  for (const flatten of ['flatten', 'reshape-dynamic'] as const) {
    const model = await loadModelBytes(flattenedMlp(flatten));
    await withRunner(model, ['r4', 'f'], async (runner) => {
      const out = await runner.run(Float32Array.from(X), 3);
      assertClose(out.get('r4'), hiddenRef, `${flatten} r4`);
      assertClose(out.get('f'), hiddenRef, `${flatten} f`);
    });
  }
});

test('fixed batch 1: a batch of 3 runs one sample at a time and gives the dynamic model\'s values', async () => {
  const model = await loadModelBytes(mlp('gemm-transB1', { batch: 1, shapes: true }));
  await withRunner(model, ['r', 'out'], async (runner) => {
    const out = await runner.run(Float32Array.from(X), 3);
    assertClose(out.get('r'), hiddenRef, 'r');
    assertClose(out.get('out'), logitsRef, 'out');
  });
});

test('fixed batch 2: a batch of 3 is cut in 2 + 1 (padded) and the padding is dropped', async () => {
  const model = await loadModelBytes(mlp('gemm-transB1', { batch: 2 }));
  await withRunner(model, ['r'], async (runner) => {
    assertClose((await runner.run(Float32Array.from(X), 3)).get('r'), hiddenRef, 'r');
    assertClose((await runner.run(Float32Array.from(X.slice(0, 4)), 1)).get('r'), hiddenRef.slice(0, 3), 'one sample');
  });
});

test('a float64 intermediate comes back as float32', async () => {
  const model = await loadModelBytes(mixedTypes());
  await withRunner(model, ['r64'], async (runner) => {
    assertClose((await runner.run(Float32Array.from(X), 3)).get('r64'), hiddenRef, 'r64');
  });
});

test('activation zoo: the pooled SiLU + residual + ReLU6 probe matches a hand computation', async () => {
  const model = await loadModelBytes(activationZoo());
  // Two samples of 2 channels x 2 x 2.
  const x = [0.5, -1, 2, 3, -0.5, 1, 0, 4, 1, 1, 1, 1, -2, -2, -2, -2];
  const pooled: number[] = [];
  for (let n = 0; n < 2; n++) {
    for (let c = 0; c < 2; c++) {
      let sum = 0;
      for (let p = 0; p < 4; p++) {
        const at = (ch: number): number => x[n * 8 + ch * 4 + p];
        const conv = ZOO_CONV[c * 2] * at(0) + ZOO_CONV[c * 2 + 1] * at(1) + ZOO_CONV_BIAS[c];
        const silu = conv / (1 + Math.exp(-conv));
        sum += Math.min(6, Math.max(0, silu + at(c)));
      }
      pooled.push(sum / 4);
    }
  }
  await withRunner(model, ['pooled', 'logits'], async (runner) => {
    const out = await runner.run(Float32Array.from(x), 2);
    assertClose(out.get('pooled'), pooled, 'pooled');
    assert.equal(out.get('logits')?.length, 4);
  });
});

test('bad calls fail clearly: wrong input length, unknown or integer fetch names', async () => {
  const model = await loadModelBytes(mlp('gemm-transB1'));
  await withRunner(model, ['r'], async (runner) => {
    await assert.rejects(runner.run(new Float32Array(7), 2), /a batch of 2 samples of shape \[4\] needs 8 values, got 7/);
  });
  await assert.rejects(createOnnxRunner(model, { provider: 'cpu', threads: 0, fetch: ['relu'] }), /cannot fetch "relu" \(did you mean "r"/);
  const typed = await loadModelBytes(mixedTypes());
  await assert.rejects(createOnnxRunner(typed, { provider: 'cpu', threads: 0, fetch: ['label'] }), /cannot fetch "label".*not a float tensor/);
  await assert.rejects(createOnnxRunner(model, { provider: 'cpu', threads: 0, fetch: [] }), /no tensors to fetch/);
});

test('runtime record: onnxruntime-node, its package version, the thread count', async () => {
  const expected = (createRequire(__filename)('onnxruntime-node/package.json') as { version: string }).version;
  const model = await loadModelBytes(mlp('gemm-transB1'));
  await withRunner(model, ['r'], async (runner) => {
    assert.equal(runner.provider, 'cpu');
    assert.deepEqual(runner.runtime, { name: 'onnxruntime-node', version: expected, threads: 2 });
  }, { threads: 2 });
  // 0 asks the engine to choose: every core, recorded (onnxruntime's own default is not recorded as a number).
  await withRunner(model, ['r'], async (runner) => assert.equal(runner.runtime.threads, availableParallelism()), { threads: 0 });
});

test('createRunner dispatches ONNX graphs, and refuses a TF.js-labelled graph that was not read by the TF.js loader', async () => {
  const model = await loadModelBytes(mlp('gemm-transB1'));
  const runner = await createRunner(model, { provider: 'cpu', threads: 1, fetch: ['out'] });
  try {
    assertClose((await runner.run(Float32Array.from(X), 3)).get('out'), logitsRef, 'out');
  } finally {
    await runner.dispose();
  }
  await assert.rejects(createRunner({ ...model, format: 'tfjs-graph' }, { provider: 'cpu', threads: 1, fetch: ['out'] }), /a TF.js graph must come from loadTfjsModelGraph/);
});

test('shapes unknown in the graph are filled by running one sample', async () => {
  const model = await loadModelBytes(mlp('gemm-transB1'));
  assert.deepEqual(model.layers.map((l) => l.shape), [[null], [null], [2]]);
  const filled = await fillOnnxShapesByRunning(model);
  assert.deepEqual(filled.layers.map((l) => l.shape), [[3], [3], [2]]);
  const zoo = await fillOnnxShapesByRunning(await loadModelBytes(activationZoo()));
  assert.deepEqual(
    Object.fromEntries(zoo.layers.map((l) => [l.name, l.shape])),
    {
      c1: [2, 2, 2], s: [2, 2, 2], silu: [2, 2, 2], res: [2, 2, 2], relu6: [2, 2, 2], mp: [2, 2, 2], pooled: [2],
      mean: [1], centred: [2], g: [3], gd: [3], ge: [3], ga: [3], gm: [3], gelu: [3], logits: [2],
    },
  );
});
