/**
 * The in-graph reductions (ONNX nodes computing each batch's class sums and pass-2 products, merged in
 * float64) against the JavaScript float64 path on every ONNX fixture, with the datasets their pipeline
 * tests use: every number of the result within 1e-5 relative (1e-7 absolute near zero), the bound of
 * shared/docs/metrics.md, and the result says which path ran.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { onnx } from 'onnx-proto';
import { analyzeCheckpoint } from '../../../src/engine/analyze/pipeline';
import type { AnalyzeRequest } from '../../../src/protocol/engine';
import { validateResult } from '../../../src/core/resultValidation';
import { fixtureRequest, silentHooks } from './helpers/analyze';
import { withTempDir, writeNpz } from '../dataset/helpers/writers';
import { rejection } from '../helpers/rejection';
import { buildAnalyzeRequest } from '../../../src/engine/cli/commands/analyze';
import { reductionsChoice } from '../../../src/engine/analyze/inGraphPasses';
import { FASHION32, modelPath, REPO_ROOT } from './helpers/paths';

const RELATIVE = 1e-5;
const ABSOLUTE = 1e-7;
/** The fixtures of issue 13's architectures read the 32x32 RGB slice (fixtures-arch.test.ts); the others the Fashion-MNIST slice. */
const ON_FASHION32 = new Set(['resnet', 'mobilenet', 'vit']);
const MODELS = readdirSync(join(REPO_ROOT, 'test', 'fixtures', 'models'))
  .filter((f) => f.endsWith('.onnx'))
  .map((f) => f.slice(0, -'.onnx'.length));

function request(model: string, reductions: 'js' | 'graph'): AnalyzeRequest {
  const data = ON_FASHION32.has(model) ? { train: { path: join(FASHION32, 'train.npz') }, test: { path: join(FASHION32, 'test.npz') } } : {};
  return fixtureRequest(model, { ...data, reductions });
}

/** The largest relative difference seen by the current test (reported, so the margin to the bound is visible). */
let largest = 0;

/** Walks both results; returns how many numbers were compared. Timing and the runtime block differ by design. */
function assertClose(actual: unknown, expected: unknown, path: string): number {
  if (typeof expected === 'number') {
    assert.equal(typeof actual, 'number', `${path}: ${String(actual)} vs ${expected}`);
    const a = actual as number;
    const bound = Math.max(RELATIVE * Math.abs(expected), ABSOLUTE);
    assert.ok(Math.abs(a - expected) <= bound, `${path}: in-graph ${a} vs JavaScript ${expected} (difference ${Math.abs(a - expected).toExponential(2)})`);
    if (expected !== 0) largest = Math.max(largest, Math.abs(a - expected) / Math.abs(expected));
    return 1;
  }
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual) && actual.length === expected.length, `${path}: array length`);
    return expected.reduce<number>((n, e, i) => n + assertClose(actual[i], e, `${path}.${i}`), 0);
  }
  if (typeof expected === 'object' && expected !== null) {
    const a = actual as Record<string, unknown>;
    const e = expected as Record<string, unknown>;
    assert.deepEqual(Object.keys(a).sort(), Object.keys(e).sort(), `${path}: keys`);
    return Object.keys(e).reduce((n, k) => n + assertClose(a[k], e[k], `${path}.${k}`), 0);
  }
  assert.equal(actual, expected, path);
  return 0;
}

for (const model of MODELS) {
  test(`${model}: the in-graph reductions give every metric of the JavaScript float64 path within 1e-5 relative`, async (t) => {
    const js = await analyzeCheckpoint(request(model, 'js'), silentHooks);
    const graph = await analyzeCheckpoint(request(model, 'graph'), silentHooks);
    assert.equal(js.runtime?.reductionPath, 'javascript-float64');
    validateResult(JSON.parse(JSON.stringify(graph)), `${model} in-graph`);
    const { timing: _t1, runtime: _r1, createdAt: _c1, ...a } = graph;
    const { timing: _t2, runtime: _r2, createdAt: _c2, ...e } = js;
    largest = 0;
    const compared = assertClose(a, e, '$');
    assert.ok(compared > 100, `only ${compared} numbers compared`);
    t.diagnostic(`${compared} numbers, largest relative difference ${largest.toExponential(2)}`);
    if (model === 'mlp_batch1') {
      // A fixed batch dimension cannot take the graph's batch-sized inputs: the JavaScript path ran, and says why.
      assert.equal(graph.runtime?.reductionPath, 'javascript-float64');
      assert.match(graph.runtime?.reductionPathNote ?? '', /fixed to 1/);
    } else {
      assert.equal(graph.runtime?.reductionPath, 'in-graph-float64');
    }
  });
}

test('a model of opset 18 (ReduceSumSquare takes its axes as an input there) gives the JavaScript path\'s numbers', async () => {
  await withTempDir('opset18', async (dir) => {
    const model = onnx.ModelProto.decode(readFileSync(modelPath('mlp')));
    // The MLP's operators (Flatten, Gemm, Relu) mean the same at opset 18.
    model.opsetImport = [onnx.OperatorSetIdProto.create({ domain: '', version: 18 })];
    const path = join(dir, 'mlp18.onnx');
    writeFileSync(path, onnx.ModelProto.encode(model).finish());
    const run = (reductions: 'js' | 'graph') => analyzeCheckpoint(fixtureRequest('mlp', { checkpoint: path, perClass: 20, reductions }), silentHooks);
    const graph = await run('graph');
    assert.equal(graph.runtime?.reductionPath, 'in-graph-float64');
    const js = await run('js');
    const { timing: _t1, runtime: _r1, createdAt: _c1, checkpoint: _k1, ...a } = graph;
    const { timing: _t2, runtime: _r2, createdAt: _c2, checkpoint: _k2, ...e } = js;
    assert.ok(assertClose(a, e, '$') > 100);
  });
});

test('a NaN pixel on the in-graph path fails with the JavaScript path\'s message: the layer, the sample and the feature', async () => {
  await withTempDir('nan-in-graph', async (dir) => {
    const N = 20;
    const x = new Float32Array(N * 784).map((_, i) => (i % 13) / 13);
    x[5 * 784 + 3] = Number.NaN;
    const y = BigInt64Array.from({ length: N }, (_, i) => BigInt(i % 10));
    const path = writeNpz(join(dir, 'nan.npz'), { x: { data: x, shape: [N, 28, 28] }, y: { data: y, shape: [N] } });
    const run = (reductions: 'js' | 'graph') => rejection(() => analyzeCheckpoint(fixtureRequest('mlp', { train: { path }, test: undefined, reductions }), silentHooks));
    const viaGraph = await run('graph');
    assert.match(viaGraph, /sample 5 has a non-finite feature \(NaN at feature index 3 of 784\)/);
    assert.equal(viaGraph, await run('js'));
  });
});

test('the default: in the graph with --provider cuda, in JavaScript on the CPU; COLLAPSE_LENS_REDUCTIONS=graph chooses the graph; another value is refused', async () => {
  assert.deepEqual(reductionsChoice(undefined, 'cuda', {}), { choice: 'graph', explicit: false });
  assert.deepEqual(reductionsChoice(undefined, 'cpu', {}), { choice: 'js', explicit: false });
  assert.deepEqual(reductionsChoice(undefined, 'auto', {}), { choice: 'js', explicit: false });
  assert.deepEqual(reductionsChoice('js', 'cuda', { COLLAPSE_LENS_REDUCTIONS: 'graph' }), { choice: 'js', explicit: true });
  const before = process.env.COLLAPSE_LENS_REDUCTIONS;
  try {
    delete process.env.COLLAPSE_LENS_REDUCTIONS;
    const byDefault = await analyzeCheckpoint(fixtureRequest('mlp'), silentHooks);
    assert.equal(byDefault.runtime?.reductionPath, 'javascript-float64');
    assert.equal(byDefault.runtime?.reductionPathNote, undefined);
    process.env.COLLAPSE_LENS_REDUCTIONS = 'graph';
    assert.equal((await analyzeCheckpoint(fixtureRequest('mlp'), silentHooks)).runtime?.reductionPath, 'in-graph-float64');
    process.env.COLLAPSE_LENS_REDUCTIONS = 'gpu';
    await assert.rejects(analyzeCheckpoint(fixtureRequest('mlp'), silentHooks), /COLLAPSE_LENS_REDUCTIONS="gpu" is not one of js, graph/);
  } finally {
    if (before === undefined) delete process.env.COLLAPSE_LENS_REDUCTIONS;
    else process.env.COLLAPSE_LENS_REDUCTIONS = before;
  }
});

test('analyze --reductions js|graph sets the request; absent leaves it to COLLAPSE_LENS_REDUCTIONS; anything else is refused', () => {
  const base = ['model.onnx', '--train', 'data.npz'];
  assert.equal(buildAnalyzeRequest([...base, '--reductions', 'graph']).request.reductions, 'graph');
  assert.equal(buildAnalyzeRequest([...base, '--reductions', 'js']).request.reductions, 'js');
  assert.equal(buildAnalyzeRequest(base).request.reductions, undefined);
  assert.throws(() => buildAnalyzeRequest([...base, '--reductions', 'gpu']), /--reductions: expected one of js, graph, got "gpu"/);
});
