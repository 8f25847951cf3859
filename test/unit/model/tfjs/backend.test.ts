import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { loadTfjsModelGraph } from '../../../../src/core/model/tfjs';
import { defaultWasmDir, initTfjsBackend } from '../../../../src/engine/backends/tfjsBackend';
import { createTfjsRunner } from '../../../../src/engine/backends/tfjsRunner';
import { LAYERS_MLP, relativeError, seededUniform, tempDir } from './helpers';

function installed(name: string): boolean {
  try {
    require.resolve(name);
    return true;
  } catch {
    return false;
  }
}

const tfjsNodeInstalled = installed('@tensorflow/tfjs-node');
const tfjsCoreVersion = (JSON.parse(fs.readFileSync(require.resolve('@tensorflow/tfjs-core/package.json'), 'utf8')) as { version: string }).version;

// One process, one TF.js backend at a time: these run in order.
test('a wasm folder without .wasm files is a clear error when wasm is forced', async () => {
  const empty = tempDir();
  try {
    await assert.rejects(initTfjsBackend({ backend: 'tfjs-wasm', wasmDir: empty }), new RegExp(`the tfjs-wasm backend cannot start: no \\.wasm files in ${empty}`));
  } finally {
    fs.rmSync(empty, { recursive: true, force: true });
  }
});

test('forcing tfjs-node where it is not installed says so', { skip: tfjsNodeInstalled && 'tfjs-node is installed here' }, async () => {
  await assert.rejects(initTfjsBackend({ backend: 'tfjs-node' }), /the tfjs-node backend cannot start: @tensorflow\/tfjs-node unavailable/);
});

test('auto picks wasm from node_modules when tfjs-node is absent, and records why', { skip: tfjsNodeInstalled && 'tfjs-node is installed here' }, async () => {
  assert.ok(fs.existsSync(`${defaultWasmDir()}/tfjs-backend-wasm-simd.wasm`));
  const info = await initTfjsBackend();
  assert.equal(info.kind, 'tfjs-wasm');
  assert.equal(info.tfjsVersion, tfjsCoreVersion);
  assert.match(info.note ?? '', /@tensorflow\/tfjs-node unavailable/);
});

test('the cpu backend gives the same features as wasm', async () => {
  const graph = loadTfjsModelGraph(LAYERS_MLP);
  const x = seededUniform(4 * 784, 5);
  const fetch = ['fc1', 'fc2', 'classifier/logits'];
  const wasm = await createTfjsRunner(graph, { provider: 'auto', threads: 1, fetch, backend: 'tfjs-wasm' });
  const fromWasm = await wasm.run(x, 4);
  await wasm.dispose();
  const cpu = await createTfjsRunner(graph, { provider: 'auto', threads: 1, fetch, backend: 'tfjs-cpu' });
  assert.equal(cpu.provider, 'tfjs-cpu');
  const fromCpu = await cpu.run(x, 4);
  await cpu.dispose();
  for (const name of fetch) {
    assert.ok(relativeError(fromCpu.get(name) as Float32Array, fromWasm.get(name) as Float32Array) < 1e-5, name);
  }
});
