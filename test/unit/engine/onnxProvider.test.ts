import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createOnnxRunner } from '../../../src/engine/backends/onnxRunner';
import { loadModelBytes } from '../model/onnx/builders';
import { mlp } from '../model/onnx/models';

// These tests describe a machine whose onnxruntime-node was installed without the CUDA provider
// (ONNXRUNTIME_NODE_INSTALL=skip, as in this project's CI). Where the provider library is present
// the behaviour depends on the GPU, so they are skipped.
const binaryDir = join(dirname(require.resolve('onnxruntime-node/package.json')), 'bin', 'napi-v6', process.platform, process.arch);
const cudaInstalled = existsSync(join(binaryDir, 'libonnxruntime_providers_cuda.so'));
const skip = cudaInstalled ? 'the CUDA provider is installed here' : false;

const model = () => loadModelBytes(mlp('gemm-transB1'));

test("provider 'auto' falls back to the CPU and says why in runtime.note", { skip }, async () => {
  const runner = await createOnnxRunner(await model(), { provider: 'auto', threads: 1, fetch: ['r'] });
  try {
    assert.equal(runner.provider, 'cpu');
    assert.match(runner.runtime.note ?? '', /^CUDA execution provider unavailable: .*Failed to load shared library.*; ran on the CPU$/);
    const out = await runner.run(new Float32Array([1, 0, 0, 0]), 1);
    assert.equal(out.get('r')?.length, 3);
  } finally {
    await runner.dispose();
  }
});

test("provider 'cuda' fails with the reason and how to install the CUDA provider", { skip }, async () => {
  await assert.rejects(
    createOnnxRunner(await model(), { provider: 'cuda', threads: 1, fetch: ['r'] }),
    /^Error: CUDA execution provider unavailable: .*Failed to load shared library.*; install onnxruntime-node with ONNXRUNTIME_NODE_INSTALL=cuda12/,
  );
});

test("provider 'cpu' never mentions CUDA", async () => {
  const runner = await createOnnxRunner(await model(), { provider: 'cpu', threads: 1, fetch: ['r'] });
  try {
    assert.equal(runner.provider, 'cpu');
    assert.equal(runner.runtime.note, undefined);
  } finally {
    await runner.dispose();
  }
});
