/**
 * Checks an engine result against the independent NumPy reference of the same checkpoint and data:
 * every per-layer metric on both splits, the classifier, the network's accuracy and the effective depth.
 */
import assert from 'node:assert/strict';
import type { AnalysisResult, SplitLayerMetrics } from '../../../../src/core/result';
import { validateResult } from '../../../../src/core/resultValidation';
import { matrixRowsOrNull } from '../../../../src/core/packedMatrix';
import type { ExpectedFixture, ExpectedSplit, ExpectedSplitMetrics } from './expected';
import { assertClose, assertFractionWithinFlips, assertMatrixClose, assertVectorClose, type Tolerance } from './close';

/**
 * The reference ran PyTorch's float32 kernels, the engine runs onnxruntime's, and onnxruntime's differ by
 * CPU (AVX2 vs AVX-512) and by graph optimisation: features differ by a few float32 ulps, which the float64
 * metrics carry over at about that size relative to each quantity's scale. Measured on cnn and mlp, with
 * the default kernels and with graph optimisations off: at most 2.1e-7 of the scale (class variability),
 * 9.6e-8 for a cosine; the AVX-512 report was 3.6e-8 on a cosine. Relative to the entry itself a cosine
 * near zero moved by 4.2e-5, which is why a per-entry relative bound alone cannot hold across machines.
 * So: 1e-4 relative per value plus 1e-5 of the quantity's scale (about 50x the worst seen), and 1e-12 for
 * exact zeros (the CDNV diagonal, NC4 = 0). Every nonzero value the fixtures hold is ~1e-3 or more, so a
 * wrong formula still fails by orders of magnitude.
 */
export const FIXTURE_TOLERANCE: Tolerance = { relative: 1e-4, ofScale: 1e-5, absolute: 1e-12 };

/** Metrics that carry their own units: their scale is their magnitude. */
const SCALED = ['nc1', 'cdnv'] as const;
/** Numbers built from cosines and norm ratios: dimensionless, of order 1, so their scale is 1. */
const UNIT_SCALE = ['equinorm', 'equiangularity', 'maxAngle', 'etfDistance'] as const;

function compareSplit(actual: SplitLayerMetrics | undefined, expected: ExpectedSplitMetrics, samples: number, what: string, tol: Tolerance): void {
  assert.ok(actual, `${what}: missing`);
  for (const key of SCALED) assertClose(actual[key], expected[key], `${what} ${key}`, tol);
  for (const key of UNIT_SCALE) assertClose(actual[key], expected[key], `${what} ${key}`, tol, 1);
  assert.equal(actual.nc1Rank, expected.nc1Rank, `${what} nc1Rank`);
  assertFractionWithinFlips(actual.nccAccuracy, expected.nccAccuracy, samples, expected.nccNearTies, `${what} nccAccuracy`);
  assertMatrixClose(matrixRowsOrNull(actual.cdnvMatrix), expected.cdnvMatrix, `${what} cdnvMatrix`, tol);
  assertVectorClose(actual.classVariability, expected.classVariability, `${what} classVariability`, tol);
  assertMatrixClose(matrixRowsOrNull(actual.meanCosines), expected.meanCosines, `${what} meanCosines`, tol);
  assertVectorClose(actual.meanNorms, expected.meanNorms, `${what} meanNorms`, tol);
}

export interface CompareOptions {
  tolerance?: Tolerance;
  /** False for a features .npz: it holds arrays, not the ops that produced them. */
  checkOps?: boolean;
}

export function assertMatchesExpected(result: AnalysisResult, expected: ExpectedFixture, options: CompareOptions = {}): void {
  const tol = options.tolerance ?? FIXTURE_TOLERANCE;
  const model = expected.model;
  // Every result the engine writes must pass the readers' schema check, as written to disk (JSON drops undefined).
  validateResult(JSON.parse(JSON.stringify(result)), `${model} (engine output)`);
  const splits = expected.splits.test ? (['train', 'test'] as const) : (['train'] as const);
  assert.equal(result.splits.test === undefined, expected.splits.test === undefined, `${model}: a test split in one and not the other`);
  assert.equal(result.classes.count, expected.classes.count, `${model}: classes`);
  assert.deepEqual(
    result.layers.map((l) => l.name),
    expected.layers.map((l) => l.name),
    `${model}: probed layers, in order`,
  );
  for (const [i, e] of expected.layers.entries()) {
    const a = result.layers[i]!;
    if (options.checkOps !== false) assert.equal(a.op, e.op, `${model} ${e.name}: op`);
    assert.equal(a.dim, e.dim, `${model} ${e.name}: dim`);
    assert.deepEqual(a.shape, e.shape, `${model} ${e.name}: shape`);
    assert.equal(a.depth, e.depth, `${model} ${e.name}: depth`);
    if (e.reduction !== undefined) {
      assert.equal(a.reduction, e.reduction, `${model} ${e.name}: reduction`);
      assert.deepEqual(a.tensorShape ?? a.shape, e.tensorShape, `${model} ${e.name}: shape of the probed tensor before the reduction`);
    }
    for (const split of splits) compareSplit(a.metrics[split], e.metrics[split] as ExpectedSplitMetrics, (expected.splits[split] as ExpectedSplit).samples, `${model} ${e.name} ${split}`, tol);
    if (!expected.splits.test) assert.equal(a.metrics.test, undefined, `${model} ${e.name}: test metrics without a test split`);
  }

  for (const split of splits) {
    const a = result.splits[split];
    const e = expected.splits[split] as ExpectedSplit;
    assert.ok(a, `${model}: split ${split} missing`);
    assert.equal(a.samples, e.samples, `${model} ${split}: samples`);
    assert.deepEqual(a.classCounts, e.classCounts, `${model} ${split}: class counts`);
    assertFractionWithinFlips(a.accuracy, e.accuracy, e.samples, e.logitNearTies, `${model} ${split} accuracy`);
  }

  const c = result.classifier;
  assert.ok(c, `${model}: no classifier section (${result.classifierUnavailable ?? 'no reason given'})`);
  assert.equal(c.input, expected.classifier.input, `${model}: classifier input`);
  // `output` is optional in the result schema (the features command leaves it out).
  if (c.output !== undefined || options.checkOps !== false) assert.equal(c.output, expected.classifier.output, `${model}: classifier output`);
  assertClose(c.nc3, expected.classifier.nc3, `${model} nc3`, tol, 1);
  const penultimate = expected.layers.find((l) => l.name === expected.classifier.input);
  assert.ok(penultimate, `${model}: the reference does not list the classifier input as a layer`);
  for (const split of splits) {
    // NC4 compares the logits' argmax with the NCC label: a near tie in either may flip a sample.
    const e = expected.splits[split] as ExpectedSplit;
    const flips = e.logitNearTies + (penultimate.metrics[split] as ExpectedSplitMetrics).nccNearTies;
    assertFractionWithinFlips(c.nc4[split], expected.classifier.nc4[split] as number, e.samples, flips, `${model} nc4 ${split}`);
  }
  for (const key of UNIT_SCALE) {
    assertClose(c.weights[key], expected.classifier.weights[key], `${model} classifier weights ${key}`, tol, 1);
  }

  assert.equal(result.effectiveDepth.epsilon, expected.effectiveDepth.epsilon, `${model}: effective depth epsilon`);
  assert.equal(result.effectiveDepth.layer, expected.effectiveDepth.layer, `${model}: effective depth layer`);
  assert.equal(result.effectiveDepth.depth, expected.effectiveDepth.depth, `${model}: effective depth index`);
}
