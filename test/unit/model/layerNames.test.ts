/**
 * The one short-name rule (src/core/layerNames.ts) on the committed fixtures' real layer names, and the
 * cases the issue named: the exporter's boilerplate is dropped (never the middle of a name), a root op
 * such as "/Flatten_output_0" is shortened like the rest, and two layers never read the same.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { layerNamer, layerSizeText, shortLayerName, shortLayerNames } from '../../../src/core/layerNames';

const fixtureLayers = (model: string): string[] => {
  const expected = JSON.parse(readFileSync(join(__dirname, '../../fixtures/models', `${model}.expected.json`), 'utf8')) as { layers: { name: string }[] };
  return expected.layers.map((l) => l.name);
};

test('the cnn fixture: each exported tensor by its module path, the others as they are', () => {
  const names = fixtureLayers('cnn');
  assert.deepEqual(
    names.map((n) => shortLayerNames(names).get(n)),
    ['relu1', 'pool1', 'block/relu1', 'block/add', 'block/relu_out', 'pool2', 'relu3', 'pool3', 'flatten', 'relu_fc', 'logits'],
  );
});

test('the mlp fixtures: the same rule', () => {
  for (const model of ['mlp', 'mlp_ls']) {
    const names = fixtureLayers(model);
    assert.deepEqual(names.map(layerNamer(names)), ['flatten', 'relu1', 'relu2', 'relu3', 'logits'], model);
  }
});

test('PyTorch export names lose the boilerplate, not their meaning; other names stay as they are', () => {
  const cases: [string, string][] = [
    ['/relu1/Relu_output_0', 'relu1'],
    ['/block/relu_out/Relu_output_0', 'block/relu_out'],
    ['/features/features.3/Add_output_0', 'features/features.3'],
    ['/layer3/layer3.1/relu_1/Relu_output_0', 'layer3/layer3.1/relu_1'],
    ['/encoder/layers.0/attn/MatMul_output_1', 'encoder/layers.0/attn (output 1)'],
    // A functional op at the root has no module path: its op names it (it kept its full name before).
    ['/Flatten_output_0', 'Flatten'],
    ['/Relu_1_output_0', 'Relu_1'],
    // One of several numbered ops of a module: the op tells which.
    ['/block1/Relu_1_output_0', 'block1/Relu_1'],
    ['logits', 'logits'],
    ['fc1', 'fc1'],
    ['classifier/logits', 'classifier/logits'],
    ['onnx::Gemm_12', 'onnx::Gemm_12'],
    ['dense_1/Relu', 'dense_1/Relu'],
  ];
  for (const [name, short] of cases) assert.equal(shortLayerName(name), short, name);
});

test('two ops of one module keep their op; names that still collide keep their full name', () => {
  const names = ['/block/Add_output_0', '/block/Relu_output_0', '/fc/Relu_output_0'];
  assert.deepEqual([...shortLayerNames(names).values()], ['block/Add', 'block/Relu', 'fc']);
  // "fc" from a tensor and a layer named "fc" by hand: the tensor keeps its op.
  assert.deepEqual([...shortLayerNames(['/fc/Relu_output_0', 'fc']).values()], ['fc/Relu', 'fc']);
  // Two tensors whose short forms collide even with their op (two outputs 0 of one op cannot exist, but
  // a hand-named "a/Relu" can): the tensor keeps its full name.
  assert.deepEqual([...shortLayerNames(['/a/Relu_output_0', 'a', 'a/Relu']).values()], ['/a/Relu_output_0', 'a', 'a/Relu']);
  // Every short name of a list is unique.
  const many = [...fixtureLayers('cnn'), '/block/Relu_output_0', '/block/Relu_1_output_0'];
  const shorts = [...shortLayerNames(many).values()];
  assert.equal(new Set(shorts).size, shorts.length);
});

test('a namer gives a name outside its list the single-name rule', () => {
  assert.equal(layerNamer(['/a/Relu_output_0'])('/b/Gemm_output_0'), 'b');
});

test('a layer size reads "D = 128" when flat, the shape and D for a feature map', () => {
  assert.equal(layerSizeText([128], 128), 'D = 128');
  assert.equal(layerSizeText([], 10), 'D = 10');
  assert.equal(layerSizeText([64, 7, 7], 3136), '64×7×7, D = 3,136');
});
