/**
 * The result says which kernels reduced the features. The WebAssembly kernels once failed only in the
 * bundle (a shadowed CommonJS `exports`) and every shipped analysis ran the JavaScript fallback unseen:
 * the bundled CLI is checked too, and a fallback must be announced with its reason.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeFixture, fixtureRequest } from './helpers/analyze';
import { FASHION_SLICE, modelPath, REPO_ROOT } from './helpers/paths';
import { withTempDir } from '../dataset/helpers/writers';
import { formatLayerTable } from '../../../src/engine/cli/table';
import { syntheticResult } from '../helpers/syntheticResult';
import { validateResult } from '../../../src/core/resultValidation';
import { kernelUsed } from '../../../src/engine/analyze/reducer';

test('an analysis records the WebAssembly kernels, in the metrics worker (cnn) and on the main thread (mlp)', async () => {
  for (const model of ['cnn', 'mlp']) {
    const result = await analyzeFixture(model);
    assert.equal(result.runtime?.metricsKernel, 'webassembly-simd', `${model}: ${JSON.stringify(result.runtime)}`);
    assert.equal(result.runtime?.metricsKernelNote, undefined);
  }
});

const BUNDLED_CLI = join(REPO_ROOT, 'bin', 'collapse-lens.js');
const bundleMissing = existsSync(join(REPO_ROOT, 'dist', 'engine.js')) ? false : 'dist/ is not built (npm run build; npm test builds it first)';

test('the bundled engine (dist/, as shipped) runs the WebAssembly kernels too', { skip: bundleMissing }, async () => {
  await withTempDir('bundled-kernel', (dir) => {
    const out = join(dir, 'result.json');
    const request = fixtureRequest('mlp');
    execFileSync(process.execPath, [BUNDLED_CLI, 'analyze', modelPath('mlp'), '--train', FASHION_SLICE, '--per-class', '20', '--quiet', '--out', out], { stdio: 'pipe' });
    const result = validateResult(JSON.parse(readFileSync(out, 'utf8')), out);
    assert.equal(result.checkpoint.path, request.checkpoint);
    assert.equal(result.runtime?.metricsKernel, 'webassembly-simd', `the shipped engine fell back: ${JSON.stringify(result.runtime)}`);
  });
});

test('a JavaScript fallback is announced in the CLI output with its reason', () => {
  const result = syntheticResult({ layers: [{ name: 'a', nc1: 1, ncc: 0.5 }] });
  result.runtime = { name: 'onnxruntime-node', version: '1', metricsKernel: 'javascript', metricsKernelNote: 'JavaScript fallback, slower, same numbers: this runtime has no WebAssembly SIMD' };
  const table = formatLayerTable(result);
  assert.match(table, /metrics: javascript/);
  assert.match(table, /^note: JavaScript fallback, slower, same numbers: this runtime has no WebAssembly SIMD$/m);
});

test('a layer whose class means do not fit in WebAssembly memory ran the JavaScript kernel: the split says so, naming it', () => {
  assert.deepEqual(kernelUsed(new Map([['a', { kernelKind: 'wasm-simd' as const }], ['b', { kernelKind: 'wasm-simd' as const }]])), { kind: 'webassembly-simd' });
  assert.deepEqual(kernelUsed(new Map([['a', { kernelKind: 'wasm-simd' as const }], ['wide', { kernelKind: 'javascript' as const }]])), {
    kind: 'javascript',
    reason: 'the class means of wide do not fit in WebAssembly memory',
  });
});
