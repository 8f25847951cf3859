import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadTfjsModelGraph, resolveProbes } from '../../../../src/core/model/tfjs';
import { initTfjsBackend } from '../../../../src/engine/backends/tfjsBackend';
import { tfjsFileIOHandler } from '../../../../src/engine/backends/tfjsIOHandler';
import { createTfjsRunner } from '../../../../src/engine/backends/tfjsRunner';
import { dense, relativeError, relu, seededUniform, softmaxRows, tempDir, type RawWeight } from './helpers';

const IN = 6;
const HIDDEN = 5;
const CLASSES = 3;

function raw(shape: number[], seed: number): RawWeight {
  const values = seededUniform(shape.reduce((a, b) => a * b, 1), seed).map((v) => v - 0.5);
  return { shape, values };
}

const W = {
  conv: [raw([IN, HIDDEN], 1), raw([HIDDEN], 2)],
  proj: [raw([HIDDEN, HIDDEN], 3), raw([HIDDEN], 4)],
  skip: [raw([IN, HIDDEN], 5), raw([HIDDEN], 6)],
  head: [raw([HIDDEN, CLASSES], 7), raw([CLASSES], 8)],
} as const;

/**
 * input -> block1 (a nested Sequential: conv Dense+relu, proj Dense) ----> add -> act (relu) -> head (Dense softmax)
 *       \-> skip (Dense) ------------------------------------------------/
 */
async function saveNestedModel(dir: string): Promise<string> {
  const input = tf.input({ shape: [IN], name: 'features' });
  const block1 = tf.sequential({
    name: 'block1',
    layers: [tf.layers.dense({ units: HIDDEN, inputShape: [IN], activation: 'relu', name: 'conv' }), tf.layers.dense({ units: HIDDEN, name: 'proj' })],
  });
  const skip = tf.layers.dense({ units: HIDDEN, name: 'skip' });
  const add = tf.layers.add({ name: 'add' });
  const act = tf.layers.activation({ activation: 'relu', name: 'act' });
  const head = tf.layers.dense({ units: CLASSES, activation: 'softmax', name: 'head' });
  const output = head.apply(act.apply(add.apply([block1.apply(input), skip.apply(input)] as tf.SymbolicTensor[]))) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: output, name: 'outer' });
  const set = (layer: tf.layers.Layer, [k, b]: readonly RawWeight[]): void =>
    layer.setWeights([tf.tensor(k.values, k.shape), tf.tensor(b.values, b.shape)]);
  set(block1.getLayer('conv'), W.conv);
  set(block1.getLayer('proj'), W.proj);
  set(skip, W.skip);
  set(head, W.head);
  const file = path.join(dir, 'model.json');
  await model.save(tfjsFileIOHandler(file));
  model.dispose();
  return file;
}

test('a nested model is flattened: inner layers get path names, probes and outputs match loop arithmetic', async () => {
  await initTfjsBackend({ backend: 'tfjs-wasm' });
  const dir = tempDir();
  try {
    const file = await saveNestedModel(dir);
    const graph = loadTfjsModelGraph(file);
    const names = graph.layers.map((l) => l.name);
    assert.deepEqual([...names].sort(), ['act', 'add', 'block1/conv', 'block1/proj', 'head', 'head/logits', 'skip'].sort());
    // Depth order: everything a layer reads comes before it.
    for (const [before, after] of [['block1/conv', 'block1/proj'], ['block1/proj', 'add'], ['skip', 'add'], ['add', 'act'], ['act', 'head'], ['head', 'head/logits']]) {
      assert.ok(names.indexOf(before) < names.indexOf(after), `${before} before ${after}`);
    }
    assert.deepEqual(resolveProbes(graph, 'auto').map((l) => l.name).sort(), ['act', 'add', 'block1/conv', 'head/logits'].sort());
    assert.equal(graph.classifier?.inputLayer, 'act');
    assert.equal(graph.classifier?.logitsLayer, 'head/logits');
    assert.deepEqual(graph.layers.find((l) => l.name === 'block1/conv')?.shape, [HIDDEN]);

    const n = 4;
    const x = seededUniform(n * IN, 99);
    const conv = relu(dense(x, n, ...W.conv));
    const proj = dense(conv, n, ...W.proj);
    const skip = dense(x, n, ...W.skip);
    const add = proj.map((v, i) => v + skip[i]);
    const act = relu(add);
    const logits = dense(act, n, ...W.head);
    const expected: Record<string, Float64Array> = {
      'block1/conv': conv, 'block1/proj': proj, skip, add, act, 'head/logits': logits, head: softmaxRows(logits, CLASSES),
    };
    const runner = await createTfjsRunner(graph, { provider: 'auto', threads: 1, fetch: names });
    try {
      const out = await runner.run(x, n);
      for (const [name, values] of Object.entries(expected)) {
        const got = out.get(name);
        assert.ok(got, name);
        assert.ok(relativeError(got, values) < 1e-5, `${name}: relative error ${relativeError(got, values)}`);
      }
    } finally {
      await runner.dispose();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
