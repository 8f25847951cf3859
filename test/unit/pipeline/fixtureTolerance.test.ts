/**
 * The fixture comparison must hold on any x86-64 CPU: onnxruntime's float32 kernels round differently on
 * AVX2 and AVX-512, and no machine here has both. Graph optimisations off makes onnxruntime run other
 * kernels (no Conv+ReLU fusion, no folded constants) with other rounding: the stand-in for another CPU.
 * The bound must also stay tight enough to catch a wrong number.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeCheckpoint } from '../../../src/engine/analyze/pipeline';
import { graphOptimizationLevel } from '../../../src/engine/backends/onnxSession';
import { fixtureRequest, silentHooks } from './helpers/analyze';
import { assertMatchesExpected, FIXTURE_TOLERANCE } from './helpers/compareFixture';
import { assertClose, assertMatrixClose } from './helpers/close';
import { CNN_DEFAULT_PROBES } from './helpers/defaultProbes';
import { readExpected, restrictExpected } from './helpers/expected';
import { expectedPath } from './helpers/paths';

test('the AVX-512 report passes: a cosine of 1.8e-4 moved by 3.6e-8 is within float32 noise of a matrix of scale 1', () => {
  assertMatrixClose([[1, 0.000182076]], [[1, 0.000182041]], 'meanCosines', FIXTURE_TOLERANCE);
});

test('the bound still catches wrong numbers: 0.1% off a metric, or a cosine off by 1e-4, fails', () => {
  assert.throws(() => assertClose(0.3594 * 1.001, 0.3594, 'nc1', FIXTURE_TOLERANCE), /nc1: .* vs expected 0.3594/);
  assert.throws(() => assertMatrixClose([[1, 0.000282]], [[1, 0.000182]], 'meanCosines', FIXTURE_TOLERANCE), /meanCosines\[0\]\[1\]/);
  assert.throws(() => assertClose(0.0512, 0.0511, 'equiangularity', FIXTURE_TOLERANCE, 1), /equiangularity/);
});

test('COLLAPSE_LENS_ORT_OPTIMIZATION takes onnxruntime\'s four levels and refuses anything else', () => {
  assert.equal(graphOptimizationLevel({}), undefined);
  assert.equal(graphOptimizationLevel({ COLLAPSE_LENS_ORT_OPTIMIZATION: 'disabled' }), 'disabled');
  assert.equal(graphOptimizationLevel({ COLLAPSE_LENS_ORT_OPTIMIZATION: 'all' }), 'all');
  assert.throws(() => graphOptimizationLevel({ COLLAPSE_LENS_ORT_OPTIMIZATION: 'off' }), /COLLAPSE_LENS_ORT_OPTIMIZATION="off" is not one of disabled, basic, extended, all/);
});

test('cnn with onnxruntime\'s graph optimisations off and one thread (other kernels, other rounding) still matches the NumPy reference', async () => {
  const saved = process.env.COLLAPSE_LENS_ORT_OPTIMIZATION;
  process.env.COLLAPSE_LENS_ORT_OPTIMIZATION = 'disabled';
  try {
    const result = await analyzeCheckpoint(fixtureRequest('cnn', { threads: 1 }), silentHooks);
    assertMatchesExpected(result, restrictExpected(readExpected(expectedPath('cnn')), CNN_DEFAULT_PROBES));
  } finally {
    if (saved === undefined) delete process.env.COLLAPSE_LENS_ORT_OPTIMIZATION;
    else process.env.COLLAPSE_LENS_ORT_OPTIMIZATION = saved;
  }
});
