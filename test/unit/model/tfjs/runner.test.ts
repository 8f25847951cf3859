import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { loadTfjsModelGraph, resolveProbes } from '../../../../src/core/model/tfjs';
import { createTfjsRunner } from '../../../../src/engine/backends/tfjsRunner';
import { dense, GRAPH_MLP, LAYERS_MLP, readRawWeights, relativeError, relu, seededUniform, softmaxRows, weight } from './helpers';

const SAMPLES = 5;
const input = seededUniform(SAMPLES * 784, 7);

/** The MLP computed by loops from the committed weight bytes: the independent reference. */
function referenceActivations(): Record<string, Float64Array> {
  const w = readRawWeights(LAYERS_MLP);
  const fc1 = relu(dense(input, SAMPLES, weight(w, 'fc1/kernel'), weight(w, 'fc1/bias')));
  const fc2 = relu(dense(fc1, SAMPLES, weight(w, 'fc2/kernel'), weight(w, 'fc2/bias')));
  const logits = dense(fc2, SAMPLES, weight(w, 'classifier/kernel'), weight(w, 'classifier/bias'));
  return { flatten: Float64Array.from(input), fc1, fc2, logits, probs: softmaxRows(logits, 10) };
}

const options = (fetch: string[]) => ({ provider: 'auto' as const, threads: 1, fetch, backend: 'tfjs-wasm' as const });

test('LayersModel runner: every probe equals the loop-computed Dense + ReLU values, logits before the softmax', async () => {
  const graph = loadTfjsModelGraph(LAYERS_MLP);
  const fetch = resolveProbes(graph, 'all').map((l) => l.name);
  const runner = await createTfjsRunner(graph, options(fetch));
  try {
    assert.equal(runner.provider, 'tfjs-wasm');
    assert.equal(runner.runtime.version, '4.22.0');
    const out = await runner.run(input, SAMPLES);
    const ref = referenceActivations();
    assert.deepEqual([...out.keys()], fetch);
    for (const [probe, expected] of [['flatten', ref.flatten], ['fc1', ref.fc1], ['fc2', ref.fc2], ['classifier/logits', ref.logits], ['classifier', ref.probs]] as const) {
      const got = out.get(probe);
      assert.ok(got, probe);
      assert.equal(got.length, expected.length, probe);
      assert.ok(relativeError(got, expected) < 1e-5, `${probe}: relative error ${relativeError(got, expected)}`);
    }
    // The logits are the pre-activation values themselves, not something recovered from probabilities.
    const logits = out.get('classifier/logits') as Float32Array;
    for (let i = 0; i < logits.length; i++) assert.ok(Math.abs(logits[i] - ref.logits[i]) < 1e-4 * Math.max(1, Math.abs(ref.logits[i])), `logit ${i}`);
    assert.ok(relativeError(softmaxRows(Float64Array.from(logits), 10), out.get('classifier') as Float32Array) < 1e-6);
  } finally {
    await runner.dispose();
  }
});

test('GraphModel runner: node outputs equal the same loop-computed values', async () => {
  const graph = loadTfjsModelGraph(GRAPH_MLP);
  const runner = await createTfjsRunner(graph, options(['fc1/Relu', 'fc2/Relu', 'classifier/BiasAdd', 'classifier/Softmax']));
  try {
    const out = await runner.run(input, SAMPLES);
    const ref = referenceActivations();
    const pairs = [['fc1/Relu', ref.fc1], ['fc2/Relu', ref.fc2], ['classifier/BiasAdd', ref.logits], ['classifier/Softmax', ref.probs]] as const;
    for (const [probe, expected] of pairs) {
      const got = out.get(probe) as Float32Array;
      assert.ok(relativeError(got, expected) < 1e-5, `${probe}: relative error ${relativeError(got, expected)}`);
    }
  } finally {
    await runner.dispose();
  }
});

test('a batch split across calls gives the same rows as one call', async () => {
  const graph = loadTfjsModelGraph(LAYERS_MLP);
  const runner = await createTfjsRunner(graph, options(['fc2']));
  try {
    const whole = (await runner.run(input, SAMPLES)).get('fc2') as Float32Array;
    const head = (await runner.run(input.subarray(0, 2 * 784), 2)).get('fc2') as Float32Array;
    const tail = (await runner.run(input.subarray(2 * 784), 3)).get('fc2') as Float32Array;
    assert.ok(relativeError(Float32Array.from([...head, ...tail]), whole) < 1e-6);
    await assert.rejects(runner.run(input.subarray(0, 100), 1), /got 100 values for a batch of 1/);
  } finally {
    await runner.dispose();
  }
});

test('tf.memory().numTensors does not grow over many batches, and dispose releases the model', async () => {
  const before = tf.memory().numTensors;
  for (const file of [LAYERS_MLP, GRAPH_MLP]) {
    const graph = loadTfjsModelGraph(file);
    const runner = await createTfjsRunner(graph, options(resolveProbes(graph, 'auto').map((l) => l.name)));
    await runner.run(input, SAMPLES);
    const afterFirst = tf.memory().numTensors;
    for (let i = 0; i < 40; i++) await runner.run(input, SAMPLES);
    assert.equal(tf.memory().numTensors, afterFirst, `${file}: tensors leaked over 40 batches`);
    await runner.dispose();
  }
  assert.equal(tf.memory().numTensors, before, 'tensors left after dispose');
});

test('unknown fetch names are refused before anything runs', async () => {
  const graph = loadTfjsModelGraph(LAYERS_MLP);
  await assert.rejects(createTfjsRunner(graph, options(['fc9'])), /no layer named "fc9"/);
});
