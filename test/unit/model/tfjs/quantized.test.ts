import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadTfjsModelGraph } from '../../../../src/core/model/tfjs';
import { createTfjsRunner } from '../../../../src/engine/backends/tfjsRunner';
import { copyFixture, dense, editJson, GRAPH_MLP, readRawWeights, relativeError, relu, seededUniform, weight } from './helpers';

const D = 64;
const K = 10;
const SCALE = 0.02;
const MIN = -2.5;

/** float -> IEEE half, for the normal, exactly representable values used here. */
function toHalf(v: number): number {
  if (v === 0) return 0;
  const sign = v < 0 ? 0x8000 : 0;
  const e = Math.floor(Math.log2(Math.abs(v)));
  const mantissa = Math.round((Math.abs(v) / 2 ** e - 1) * 1024);
  return sign | ((e + 15) << 10) | mantissa;
}

test('a uint8-quantized kernel and a float16 bias: sizes checked, W and b dequantized, tfjs agrees', async () => {
  const modelJson = copyFixture(GRAPH_MLP);
  const folder = path.dirname(modelJson);
  try {
    const original = readRawWeights(modelJson);
    const q = Uint8Array.from(seededUniform(D * K, 3), (u) => Math.floor(u * 256));
    const biasValues = Array.from({ length: K }, (_, k) => (k - 5) * 0.25);
    const half = Buffer.alloc(2 * K);
    biasValues.forEach((v, k) => half.writeUInt16LE(toHalf(v), 2 * k));
    const floats = (name: string): Buffer => Buffer.from(weight(original, name).values.buffer);
    fs.writeFileSync(
      path.join(folder, 'weights.bin'),
      Buffer.concat([floats('fc1/kernel'), floats('fc1/bias'), floats('fc2/kernel'), floats('fc2/bias'), Buffer.from(q), half]),
    );
    editJson(modelJson, (json) => {
      const [group] = json['weightsManifest'] as { weights: Record<string, unknown>[] }[];
      group.weights[4]['quantization'] = { dtype: 'uint8', scale: SCALE, min: MIN };
      group.weights[5]['quantization'] = { dtype: 'float16' };
    });

    const graph = loadTfjsModelGraph(modelJson);
    const c = graph.classifier;
    assert.ok(c, graph.classifierUnavailable);
    for (let k = 0; k < K; k++) {
      for (let d = 0; d < D; d++) assert.ok(Math.abs(c.W[k * D + d] - (q[d * K + k] * SCALE + MIN)) < 1e-12, `W[${k}][${d}]`);
    }
    assert.deepEqual(Array.from(c.b), biasValues);

    const n = 3;
    const x = seededUniform(n * 784, 11);
    const h1 = relu(dense(x, n, weight(original, 'fc1/kernel'), weight(original, 'fc1/bias')));
    const h2 = relu(dense(h1, n, weight(original, 'fc2/kernel'), weight(original, 'fc2/bias')));
    const kernel = { shape: [D, K], values: Float32Array.from(q, (v) => v * SCALE + MIN) };
    const logits = dense(h2, n, kernel, { shape: [K], values: Float32Array.from(biasValues) });
    const runner = await createTfjsRunner(graph, { provider: 'auto', threads: 1, fetch: ['classifier/BiasAdd'] });
    try {
      const got = (await runner.run(x, n)).get('classifier/BiasAdd') as Float32Array;
      assert.ok(relativeError(got, logits) < 1e-5, `relative error ${relativeError(got, logits)}`);
    } finally {
      await runner.dispose();
    }
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
});
