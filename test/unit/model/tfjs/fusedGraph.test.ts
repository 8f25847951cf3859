import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadTfjsModelGraph, resolveProbes } from '../../../../src/core/model/tfjs';
import { createTfjsRunner } from '../../../../src/engine/backends/tfjsRunner';
import { dense, relativeError, relu, seededUniform, softmaxRows, tempDir, type RawWeight } from './helpers';

const IN = 6;
const HIDDEN = 4;
const K = 3;
const FLOAT = { type: 'DT_FLOAT' };
const b64 = (s: string): string => Buffer.from(s).toString('base64');
const dims = (shape: number[]): { dim: { size: string }[] } => ({ dim: shape.map((d) => ({ size: String(d) })) });
const constNode = (name: string, shape: number[]) => ({ name, op: 'Const', attr: { dtype: FLOAT, value: { tensor: { dtype: 'DT_FLOAT', tensorShape: dims(shape) } } } });
const fused = (name: string, inputs: string[], ops: string[], transposeB: boolean) => ({
  name,
  op: '_FusedMatMul',
  input: inputs,
  attr: {
    T: FLOAT,
    num_args: { i: '1' },
    fused_ops: { list: { s: ops.map(b64) } },
    epsilon: { f: 0 },
    transpose_a: { b: false },
    transpose_b: { b: transposeB },
  },
});

/**
 * What tensorflowjs_converter writes for Dense layers: _FusedMatMul with fused BiasAdd (+ Relu), the
 * head's weight stored K x D with transpose_b, a Softmax and an Identity as the signature output.
 */
function writeFusedGraph(dir: string, w1: RawWeight, b1: RawWeight, w2KxD: RawWeight, b2: RawWeight): string {
  const nodes = [
    { name: 'input', op: 'Placeholder', attr: { dtype: FLOAT, shape: { shape: dims([-1, IN]) } } },
    constNode('dense/kernel', w1.shape),
    constNode('dense/bias', b1.shape),
    constNode('head/kernel', w2KxD.shape),
    constNode('head/bias', b2.shape),
    fused('dense/Relu', ['input', 'dense/kernel', 'dense/bias'], ['BiasAdd', 'Relu'], false),
    fused('head/BiasAdd', ['dense/Relu', 'head/kernel', 'head/bias'], ['BiasAdd'], true),
    { name: 'head/Softmax', op: 'Softmax', input: ['head/BiasAdd'], attr: { T: FLOAT } },
    { name: 'Identity', op: 'Identity', input: ['head/Softmax'], attr: { T: FLOAT } },
  ];
  const specs = [['dense/kernel', w1], ['dense/bias', b1], ['head/kernel', w2KxD], ['head/bias', b2]] as const;
  const modelJson = {
    format: 'graph-model',
    modelTopology: { node: nodes, library: {}, versions: {} },
    signature: {
      inputs: { input: { name: 'input:0', dtype: 'DT_FLOAT', tensorShape: dims([-1, IN]) } },
      outputs: { output_0: { name: 'Identity:0', dtype: 'DT_FLOAT', tensorShape: dims([-1, K]) } },
    },
    weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: specs.map(([name, w]) => ({ name, shape: w.shape, dtype: 'float32' })) }],
  };
  fs.writeFileSync(path.join(dir, 'group1-shard1of1.bin'), Buffer.concat(specs.map(([, w]) => Buffer.from(w.values.buffer))));
  fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(modelJson));
  return path.join(dir, 'model.json');
}

const rand = (shape: number[], seed: number): RawWeight => ({ shape, values: seededUniform(shape.reduce((a, b) => a * b, 1), seed).map((v) => v - 0.5) });

test('converter-style _FusedMatMul graph: fused ReLU probed, transpose_b head read as W directly, outputs match', async () => {
  const dir = tempDir();
  try {
    const w1 = rand([IN, HIDDEN], 1);
    const b1 = rand([HIDDEN], 2);
    const w2 = rand([K, HIDDEN], 3);
    const b2 = rand([K], 4);
    const graph = loadTfjsModelGraph(writeFusedGraph(dir, w1, b1, w2, b2));
    assert.equal(graph.format, 'tfjs-graph');
    assert.deepEqual(graph.layers.map((l) => [l.name, l.shape]), [['dense/Relu', [HIDDEN]], ['head/BiasAdd', [K]], ['head/Softmax', [K]], ['Identity', [K]]]);
    assert.deepEqual(resolveProbes(graph, 'auto').map((l) => l.name), ['dense/Relu', 'head/BiasAdd']);
    const c = graph.classifier;
    assert.ok(c, graph.classifierUnavailable);
    assert.equal(c.inputLayer, 'dense/Relu');
    assert.equal(c.logitsLayer, 'head/BiasAdd');
    assert.equal(graph.logitsLayer, 'head/BiasAdd');
    // With transpose_b the stored K x D weight already is W.
    assert.deepEqual(Array.from(c.W), Array.from(w2.values));
    assert.deepEqual(Array.from(c.b), Array.from(b2.values));

    const n = 4;
    const x = seededUniform(n * IN, 9);
    const h = relu(dense(x, n, w1, b1));
    const w2T: RawWeight = { shape: [HIDDEN, K], values: Float32Array.from({ length: HIDDEN * K }, (_, i) => w2.values[(i % K) * HIDDEN + Math.floor(i / K)]) };
    const logits = dense(h, n, w2T, b2);
    // Several rows: tfjs-backend-wasm 4.22 gets rows after the first wrong for a transposed fused MatMul with bias.
    for (const backend of ['tfjs-wasm', 'tfjs-cpu'] as const) {
      const runner = await createTfjsRunner(graph, { provider: 'auto', threads: 1, fetch: ['dense/Relu', 'head/BiasAdd', 'Identity'], backend });
      try {
        if (backend === 'tfjs-wasm') assert.match(runner.runtime.note ?? '', /1 transposed _FusedMatMul node\(s\) run unfused/);
        else assert.doesNotMatch(runner.runtime.note ?? '', /unfused/);
        const out = await runner.run(x, n);
        assert.ok(relativeError(out.get('dense/Relu') as Float32Array, h) < 1e-5, `${backend} dense/Relu`);
        assert.ok(relativeError(out.get('head/BiasAdd') as Float32Array, logits) < 1e-5, `${backend} head/BiasAdd`);
        assert.ok(relativeError(out.get('Identity') as Float32Array, softmaxRows(logits, K)) < 1e-5, `${backend} Identity`);
      } finally {
        await runner.dispose();
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
