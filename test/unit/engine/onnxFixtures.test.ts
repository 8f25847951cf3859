/**
 * The real checkpoints exported from PyTorch (scripts/fixtures): an MLP and a CNN for Fashion-MNIST,
 * each with an early-epoch twin, and the MLP exported with a fixed batch of 1. Skipped with a message
 * while the files are not there.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadOnnxGraph, resolveProbes } from '../../../src/core/model/onnx';
import type { OnnxModel } from '../../../src/core/model/onnx';
import { createOnnxRunner } from '../../../src/engine/backends/onnxRunner';
import { fillOnnxShapesByRunning } from '../../../src/engine/backends/onnxShapes';
import { linear } from '../model/onnx/builders';
import { CNN_DEFAULT_PROBES } from '../pipeline/helpers/defaultProbes';

const folder = join(__dirname, '..', '..', 'fixtures', 'models');
const fixture = (name: string): string => join(folder, `${name}.onnx`);
const missing = (...names: string[]): string | false => {
  const absent = names.filter((n) => !existsSync(fixture(n)));
  return absent.length > 0 ? `fixture ${absent.map((n) => `${n}.onnx`).join(', ')} not in test/fixtures/models yet` : false;
};

interface ExpectedProbes {
  input: { name: string; shape: (number | string)[] };
  layers: { name: string; op: string; shape: number[] }[];
  classifier: { input: string; output: string };
}

/**
 * The fixture exporter's own record (<name>.expected.json, from PyTorch forward hooks and the exported
 * node names), when there is one: an independent list of the layers the auto rule must pick.
 */
function expectedProbes(name: string): ExpectedProbes | null {
  const path = join(folder, `${name}.expected.json`);
  if (!existsSync(path)) return null;
  const json: unknown = JSON.parse(readFileSync(path, 'utf8'));
  const ok = typeof json === 'object' && json !== null && 'input' in json && 'layers' in json && 'classifier' in json && Array.isArray(json.layers);
  return ok ? (json as ExpectedProbes) : null;
}

/** Deterministic pseudo-random pixels in [0, 1). */
function pixels(count: number, seed: number): Float32Array {
  const out = new Float32Array(count);
  let state = seed >>> 0;
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state / 2 ** 32;
  }
  return out;
}

const sampleSize = (model: OnnxModel): number => model.input.shape.slice(1).reduce<number>((a, d) => a * (typeof d === 'number' ? d : NaN), 1);

async function probe(model: OnnxModel, fetch: string[], input: Float32Array, batch: number): Promise<Map<string, Float32Array>> {
  const runner = await createOnnxRunner(model, { provider: 'cpu', threads: 1, fetch });
  try {
    return await runner.run(input, batch);
  } finally {
    await runner.dispose();
  }
}

for (const name of ['mlp', 'cnn', 'mlp_early', 'cnn_early', 'mlp_batch1']) {
  test(`${name}.onnx: layers, auto probes and a 10 x 64 classifier on the penultimate ReLU`, { skip: missing(name) }, async () => {
    const model = await loadOnnxGraph(fixture(name));
    const c = model.classifier;
    assert.ok(c, `no classifier: ${model.classifierUnavailable}`);
    assert.equal(c.numClasses, 10);
    assert.equal(c.dim, 64);
    assert.equal(model.numOutputs, 10);
    const inputLayer = model.layers.find((l) => l.name === c.inputLayer);
    assert.equal(inputLayer?.op, 'Relu');
    const relus = model.layers.filter((l) => l.op === 'Relu');
    assert.equal(relus[relus.length - 1].name, c.inputLayer, 'the last ReLU feeds the classifier');
    const auto = resolveProbes(model, 'auto').map((l) => l.name);
    assert.ok(auto.includes(c.inputLayer) && auto.includes(c.logitsLayer), `auto probes: ${auto.join(', ')}`);
    // Every ReLU is a default probe except the residual block's first one, which is inside the block.
    for (const relu of relus) assert.equal(auto.includes(relu.name), relu.name !== '/block/relu1/Relu_output_0', `ReLU ${relu.name}`);

    const filled = await fillOnnxShapesByRunning(model);
    assert.deepEqual(filled.layers.find((l) => l.name === c.inputLayer)?.shape, [64]);
    const expected = expectedProbes(name);
    if (expected) {
      assert.equal(model.input.name, expected.input.name);
      assert.deepEqual(model.input.shape, expected.input.shape);
      assert.deepEqual(
        resolveProbes(filled, 'auto').map((l) => ({ name: l.name, op: l.op, shape: l.shape })),
        // The cnn references also hold the tensors inside the residual block, which are not defaults.
        expected.layers.filter((l) => !name.startsWith('cnn') || (CNN_DEFAULT_PROBES as readonly string[]).includes(l.name))
          .map((l) => ({ name: l.name, op: l.op, shape: l.shape })),
      );
      assert.deepEqual([c.inputLayer, c.logitsLayer], [expected.classifier.input, expected.classifier.output]);
    }
    // The W and b read from the graph map the probed features onto the model's own logits.
    const batch = 5;
    const out = await probe(model, [c.inputLayer, c.logitsLayer], pixels(batch * sampleSize(model), 7), batch);
    const reference = linear(out.get(c.inputLayer) ?? [], batch, c.W, c.b, 10);
    const logits = out.get(c.logitsLayer) ?? new Float32Array(0);
    assert.equal(logits.length, batch * 10);
    for (let i = 0; i < logits.length; i++) assert.ok(Math.abs(logits[i] - reference[i]) < 1e-4, `logit ${i}: ${logits[i]} vs W h + b = ${reference[i]}`);
  });
}

test('mlp_batch1.onnx (fixed batch 1) gives the same probes as mlp.onnx', { skip: missing('mlp', 'mlp_batch1') }, async () => {
  const [dynamic, fixed] = await Promise.all([loadOnnxGraph(fixture('mlp')), loadOnnxGraph(fixture('mlp_batch1'))]);
  assert.equal(fixed.input.fixedBatch, 1);
  assert.notEqual(dynamic.input.fixedBatch, 1);
  const batch = 6;
  const input = pixels(batch * sampleSize(dynamic), 11);
  const names = (m: OnnxModel): string[] => [m.classifier?.inputLayer ?? '', m.classifier?.logitsLayer ?? ''];
  const [a, b] = [await probe(dynamic, names(dynamic), input, batch), await probe(fixed, names(fixed), input, batch)];
  for (let k = 0; k < 2; k++) {
    const x = a.get(names(dynamic)[k]) ?? new Float32Array(0);
    const y = b.get(names(fixed)[k]) ?? new Float32Array(0);
    assert.equal(x.length, y.length);
    for (let i = 0; i < x.length; i++) assert.ok(Math.abs(x[i] - y[i]) < 1e-5, `${names(dynamic)[k]}[${i}]: ${x[i]} vs ${y[i]}`);
  }
});
