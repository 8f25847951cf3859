import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isTfjsModelGraph, loadTfjsModelGraph, resolveProbes } from '../../../../src/core/model/tfjs';
import { copyFixture, editJson, GRAPH_MLP, LAYERS_MLP, readRawWeights, weight } from './helpers';

/** W must be the classifier kernel (D x K, Keras layout) transposed to K x D. */
function assertIsKernelTransposed(W: Float64Array, b: Float64Array, modelJson: string, kernelName: string, biasName: string): void {
  const raw = readRawWeights(modelJson);
  const kernel = weight(raw, kernelName);
  const bias = weight(raw, biasName);
  const [D, K] = kernel.shape;
  assert.equal(W.length, K * D);
  for (let k = 0; k < K; k++) for (let d = 0; d < D; d++) assert.equal(W[k * D + d], kernel.values[d * K + k], `W[${k}][${d}]`);
  assert.deepEqual(Array.from(b), Array.from(bias.values));
}

test('LayersModel: every layer listed with its op and shape, the softmax Dense gets a logits probe', () => {
  const graph = loadTfjsModelGraph(LAYERS_MLP);
  assert.equal(graph.format, 'tfjs-layers');
  assert.deepEqual(
    graph.layers.map((l) => [l.name, l.op, l.shape, l.index]),
    [
      ['flatten', 'Flatten', [784], 0],
      ['fc1', 'Dense+relu', [128], 1],
      ['fc2', 'Dense+relu', [64], 2],
      ['classifier', 'Dense+softmax', [10], 3],
      ['classifier/logits', 'Dense (pre-activation)', [10], 4],
    ],
  );
  assert.deepEqual(graph.input, { name: 'flatten_input', dtype: 'float32', shape: [null, 28, 28, 1], fixedBatch: null });
  assert.equal(graph.numOutputs, 10);
});

test('LayersModel: auto probes are flatten, the fused-ReLU Dense layers and the logits, not the softmax output', () => {
  const graph = loadTfjsModelGraph(LAYERS_MLP);
  assert.deepEqual(resolveProbes(graph, 'auto').map((l) => l.name), ['flatten', 'fc1', 'fc2', 'classifier/logits']);
  assert.equal(resolveProbes(graph, 'all').length, 5);
  assert.deepEqual(resolveProbes(graph, ['fc2', 'flatten', 'fc2']).map((l) => l.name), ['flatten', 'fc2']);
});

test('LayersModel: the classifier is the last Dense, W = kernel transposed, logits before the softmax', () => {
  const graph = loadTfjsModelGraph(LAYERS_MLP);
  const c = graph.classifier;
  assert.ok(c, graph.classifierUnavailable);
  assert.equal(c.inputLayer, 'fc2');
  assert.equal(c.logitsLayer, 'classifier/logits');
  assert.equal(graph.logitsLayer, 'classifier/logits');
  assert.ok(isTfjsModelGraph(graph));
  assert.equal(c.numClasses, 10);
  assert.equal(c.dim, 64);
  assertIsKernelTransposed(c.W, c.b, LAYERS_MLP, 'classifier/kernel', 'classifier/bias');
});

test('GraphModel: node outputs listed in order, probes and the MatMul + BiasAdd classifier', () => {
  const graph = loadTfjsModelGraph(GRAPH_MLP);
  assert.equal(graph.format, 'tfjs-graph');
  assert.deepEqual(
    graph.layers.map((l) => [l.name, l.op, l.shape]),
    ['fc1', 'fc2', 'classifier'].flatMap((n, i) => {
      const width = [128, 64, 10][i];
      return [
        [`${n}/MatMul`, 'MatMul', [width]],
        [`${n}/BiasAdd`, 'BiasAdd', [width]],
        [`${n}/${n === 'classifier' ? 'Softmax' : 'Relu'}`, n === 'classifier' ? 'Softmax' : 'Relu', [width]],
      ];
    }),
  );
  assert.deepEqual(graph.input, { name: 'x', dtype: 'float32', shape: [null, 784], fixedBatch: null });
  assert.deepEqual(resolveProbes(graph, 'auto').map((l) => l.name), ['fc1/Relu', 'fc2/Relu', 'classifier/BiasAdd']);
  const c = graph.classifier;
  assert.ok(c, graph.classifierUnavailable);
  assert.equal(c.inputLayer, 'fc2/Relu');
  assert.equal(c.logitsLayer, 'classifier/BiasAdd');
  assert.equal(graph.logitsLayer, 'classifier/BiasAdd');
  assert.ok(isTfjsModelGraph(graph));
  assert.match(c.description, /MatMul \+ BiasAdd/);
  assertIsKernelTransposed(c.W, c.b, GRAPH_MLP, 'classifier/kernel', 'classifier/bias');
});

test('both fixtures carry the same classifier (the GraphModel was written from the LayersModel weights)', () => {
  const a = loadTfjsModelGraph(LAYERS_MLP).classifier;
  const b = loadTfjsModelGraph(GRAPH_MLP).classifier;
  assert.ok(a && b);
  assert.deepEqual(Array.from(a.W), Array.from(b.W));
  assert.deepEqual(Array.from(a.b), Array.from(b.b));
});

test('an unknown probe name is an error naming the model and listing close matches', () => {
  const graph = loadTfjsModelGraph(LAYERS_MLP);
  assert.throws(
    () => resolveProbes(graph, ['fc3', 'flaten']),
    (err: unknown) => {
      assert.ok(err instanceof Error);
      assert.ok(err.message.startsWith(graph.path), err.message);
      assert.match(err.message, /unknown layers/);
      assert.match(err.message, /"fc3".*"fc1", "fc2"/);
      assert.match(err.message, /"flaten".*"flatten"/);
      return true;
    },
  );
  assert.throws(() => resolveProbes(graph, ['zzzzzzzzzzzzzzzz']), /"zzzzzzzzzzzzzzzz": no similar layer name/);
});

test('a Python-converted LayersModel (model_config wrapper, ":0" weight names) reads the same', () => {
  const copy = copyFixture(LAYERS_MLP);
  editJson(copy, (json) => {
    json['modelTopology'] = { keras_version: '2.15.0', backend: 'tensorflow', model_config: json['modelTopology'] };
    const [group] = json['weightsManifest'] as { weights: { name: string }[] }[];
    for (const w of group.weights) w.name = `${w.name}:0`;
  });
  const graph = loadTfjsModelGraph(copy);
  assert.deepEqual(graph.layers.map((l) => l.name), ['flatten', 'fc1', 'fc2', 'classifier', 'classifier/logits']);
  assert.ok(graph.classifier);
  assertIsKernelTransposed(graph.classifier.W, graph.classifier.b, LAYERS_MLP, 'classifier/kernel', 'classifier/bias');
  fs.rmSync(path.dirname(copy), { recursive: true, force: true });
});

test('when the classifier weights cannot be found by name, the logits probe still exists and the reason is given', () => {
  const copy = copyFixture(LAYERS_MLP);
  try {
    editJson(copy, (json) => {
      const [group] = json['weightsManifest'] as { weights: { name: string }[] }[];
      for (const w of group.weights) w.name = w.name.replace('classifier/', 'renamed/');
    });
    const graph = loadTfjsModelGraph(copy);
    assert.equal(graph.classifier, null);
    assert.match(graph.classifierUnavailable ?? '', /the kernel of Dense "classifier": no weight named "classifier\/kernel"/);
    assert.equal(graph.logitsLayer, 'classifier/logits');
    assert.deepEqual(resolveProbes(graph, 'auto').map((l) => l.name), ['flatten', 'fc1', 'fc2', 'classifier/logits']);
  } finally {
    fs.rmSync(path.dirname(copy), { recursive: true, force: true });
  }
});
