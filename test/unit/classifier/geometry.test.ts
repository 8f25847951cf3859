/**
 * The classifier's geometry from the weights alone (classifierGeometry on readCheckpointClassifier's W, b)
 * against scripts/fixtures/classifier_reference.py, which reads the same float32 weights with NumPy:
 * only float64 summation order may differ.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { classifierGeometry, type ClassifierGeometry } from '../../../src/core/metrics/classifier-geometry';
import { readCheckpointClassifier } from '../../../src/core/model/classifierWeights';
import { assertDeepClose } from '../pipeline/helpers/deepClose';
import { MODELS_DIR, REPO_ROOT } from '../pipeline/helpers/paths';
import { describeCheckpointClassifier } from '../../../src/core/model/describeClassifier';
import { tempFolder, writeModel } from '../model/onnx/builders';
import { mlp } from '../model/onnx/models';
import { classifierMetrics } from '../../../src/core/metrics/classifier-metrics';
import { clusteredData, passOne, randomClassifier } from '../metrics/helpers';

const TFJS_DIR = join(REPO_ROOT, 'test', 'fixtures', 'tfjs');
// Same float32 weights on both sides: the float64 numbers may differ only by summation order.
const RELATIVE = 1e-9;

/** Every committed checkpoint with its NumPy reference. */
const FIXTURES: { checkpoint: string; reference: string }[] = [
  ...readdirSync(MODELS_DIR)
    .filter((f) => f.endsWith('.onnx'))
    .map((f) => ({ checkpoint: join(MODELS_DIR, f), reference: join(MODELS_DIR, f.replace(/\.onnx$/, '.classifier.json')) })),
  ...['graph-mlp', 'layers-mlp'].map((name) => ({ checkpoint: join(TFJS_DIR, name, 'model.json'), reference: join(TFJS_DIR, `${name}.classifier.json`) })),
];

async function geometryOf(checkpoint: string): Promise<ClassifierGeometry> {
  const found = await readCheckpointClassifier(checkpoint);
  assert.ok(found.classifier, `${checkpoint}: ${found.reason}`);
  const c = found.classifier;
  return classifierGeometry(c.W, c.b, c.numClasses, c.dim);
}

test('every fixture (9 ONNX, 2 TF.js) has a NumPy reference', () => {
  assert.equal(FIXTURES.length, 11);
});

for (const { checkpoint, reference } of FIXTURES) {
  test(`${checkpoint.slice(REPO_ROOT.length + 1)}: the weights' geometry matches NumPy to 1e-9 relative`, async () => {
    const expected = JSON.parse(readFileSync(reference, 'utf8')) as Record<string, unknown>;
    const g = await geometryOf(checkpoint);
    assert.deepEqual(g.unavailable, {});
    const { numClasses, dim, equinorm, equiangularity, maxAngle, etfDistance, rowNorms, bias, cosines } = g;
    const got = { numClasses, dim, equinorm, equiangularity, maxAngle, etfDistance, rowNorms, bias, cosines };
    const { source: _source, reference: _ref, ...want } = expected;
    assertDeepClose(got, want, RELATIVE);
  });
}

test('rows that all differ by the same vector have the same geometry (the centring removes it)', () => {
  // Small integers: the shift and the centring are exact, so the numbers must be identical.
  const W = Float64Array.from([2, 0, -1, 2, -1, -2]);
  const shifted = W.map((v, i) => v + (i % 2 === 0 ? 5 : -3));
  const zeros = new Float64Array(3);
  assert.deepEqual(classifierGeometry(shifted, zeros, 3, 2), classifierGeometry(W, zeros, 3, 2));
});

test('three unit rows 120 degrees apart (plus a shared offset) are a simplex ETF', () => {
  const s = Math.sqrt(3) / 2;
  const g = classifierGeometry(Float64Array.from([1 + 7, 0, -0.5 + 7, s, -0.5 + 7, -s]), Float64Array.from([0.5, 0.5, 0.5]), 3, 2);
  for (const name of ['equinorm', 'equiangularity', 'maxAngle', 'etfDistance'] as const) assert.ok(Math.abs(g[name] as number) < 1e-12, `${name} ${g[name]}`);
  assert.deepEqual(g.bias, { mean: 0.5, std: 0, min: 0.5, max: 0.5 });
});

test('the bias spread is the mean, population std, min and max of b; no bias term gives null', () => {
  const W = Float64Array.from([1, 0, 0, 1]);
  const g = classifierGeometry(W, Float64Array.from([1, 3]), 2, 2);
  assert.deepEqual(g.bias, { mean: 2, std: 1, min: 1, max: 3 });
  assert.equal(classifierGeometry(W, null, 2, 2).bias, null);
});

test('a non-finite weight or bias, or W of the wrong size, is refused naming the place', () => {
  assert.throws(() => classifierGeometry(Float64Array.from([1, NaN, 0, 1]), null, 2, 2), /classifier: W\[0\]\[1\] is NaN, not a finite number/);
  assert.throws(() => classifierGeometry(Float64Array.from([1, 0, 0, 1]), Float64Array.from([0, Infinity]), 2, 2), /classifier: b\[1\] is Infinity/);
  assert.throws(() => classifierGeometry(Float64Array.from([1, 0, 0]), null, 2, 2), /W has 3 values; expected 2 x 2/);
  assert.throws(() => classifierGeometry(Float64Array.from([1, 0, 0, 1]), Float64Array.from([0]), 2, 2), /b has 1 values; expected 2/);
});

test('rows that coincide: the angles are null with the reason, never a number made of rounding noise', () => {
  const g = classifierGeometry(Float64Array.from([1, 2, 1, 2, 1, 2]), null, 3, 2);
  assert.equal(g.equiangularity, null);
  assert.equal(g.etfDistance, null);
  assert.match(g.unavailable.etfDistance ?? '', /every centred classifier row is zero/);
  assert.deepEqual(g.cosines, [[null, null, null], [null, null, null], [null, null, null]]);
});

test('a head without a bias term reports its bias as null (ONNX MatMul alone, Gemm without C); with one, its spread', async () => {
  const { dir, remove } = await tempFolder();
  try {
    for (const [style, hasBias] of [['matmul-no-bias', false], ['matmul-add', true], ['gemm-transB1', true]] as const) {
      const entry = await describeCheckpointClassifier(await writeModel(dir, `${style}.onnx`, mlp(style)));
      assert.ok(entry.classifier, `${style}: ${entry.classifierUnavailable ?? entry.error}`);
      assert.equal(entry.classifier.bias === null, !hasBias, `${style}: bias ${JSON.stringify(entry.classifier.bias)}`);
    }
  } finally {
    await remove();
  }
});

test("the analysis' classifier numbers are classifierGeometry's, and a biasless head's bias is null there too", () => {
  const K = 4;
  const D = 5;
  const train = clusteredData({ numClasses: K, dim: D, counts: [6, 7, 8, 9], seed: 3 });
  const stats = passOne(train, 5);
  const { W, b } = randomClassifier(K, D, 11);
  const withBias = classifierMetrics(W, b, stats);
  assert.deepEqual(withBias.geometry, classifierGeometry(W, b, K, D));
  assert.deepEqual(withBias.weights, { equinorm: withBias.geometry.equinorm, equiangularity: withBias.geometry.equiangularity, maxAngle: withBias.geometry.maxAngle, etfDistance: withBias.geometry.etfDistance });
  assert.equal(classifierMetrics(W, new Float64Array(K), stats, { biasless: true }).geometry.bias, null);
  assert.throws(() => classifierMetrics(W.map((v, i) => (i === 7 ? NaN : v)), b, stats), new RegExp(`classifier for layer "${stats.layer}": W\\[1\\]\\[2\\] is NaN`));
});
