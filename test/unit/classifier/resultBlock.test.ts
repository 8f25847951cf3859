/**
 * The analysis result's classifier block and `collapse-lens classifier` give the same numbers: both are
 * classifierGeometry of the same (W, b). The validator accepts the optional fields and refuses them
 * malformed, naming the field.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { analyzeCheckpoint } from '../../../src/engine/analyze/pipeline';
import { analyzeFeatures } from '../../../src/engine/analyze/features';
import { classifierGeometry, classifierWeightFields } from '../../../src/core/metrics/classifier-geometry';
import { readCheckpointClassifier } from '../../../src/core/model/classifierWeights';
import { describeCheckpointClassifier } from '../../../src/core/model/describeClassifier';
import { validateResult } from '../../../src/core/resultValidation';
import { matrixRows } from '../../../src/core/packedMatrix';
import type { AnalysisResult } from '../../../src/core/result';
import { fixtureRequest, silentHooks } from '../pipeline/helpers/analyze';
import { MODELS_DIR, modelPath } from '../pipeline/helpers/paths';

const resultOf = (() => {
  let run: Promise<AnalysisResult> | undefined;
  // A few samples per class: the weights' numbers do not depend on the data at all.
  return () => (run ??= analyzeCheckpoint(fixtureRequest('mlp', { perClass: 5, test: undefined }), silentHooks));
})();

test("an analysis result's classifier block is classifierGeometry of the checkpoint's weights, exactly", async () => {
  const result = await resultOf();
  const found = await readCheckpointClassifier(modelPath('mlp'));
  assert.ok(found.classifier && result.classifier);
  const c = found.classifier;
  const fromWeights = classifierWeightFields(classifierGeometry(c.W, c.b, c.numClasses, c.dim));
  const { weights, rowNorms, bias, cosines } = result.classifier;
  assert.deepEqual({ weights, rowNorms, bias, cosines }, fromWeights);
  // And what the CLI reports for the same file.
  const entry = await describeCheckpointClassifier(modelPath('mlp'));
  assert.ok(entry.classifier);
  assert.deepEqual(
    { weights: { equinorm: entry.classifier.equinorm, equiangularity: entry.classifier.equiangularity, maxAngle: entry.classifier.maxAngle, etfDistance: entry.classifier.etfDistance }, rowNorms: entry.classifier.rowNorms, bias: entry.classifier.bias, cosines: entry.classifier.cosines },
    fromWeights,
  );
  assert.equal(validateResult(JSON.parse(JSON.stringify(result)), 'result.json').classifier?.rowNorms?.length, 10);
});

test('metrics on dumped features: the classifier block carries the row norms, bias spread and cosines of the .npz W and b', async () => {
  const result = await analyzeFeatures({ features: join(MODELS_DIR, 'mlp_features.npz'), epsilon: 0.01 }, silentHooks);
  const c = result.classifier;
  assert.ok(c);
  assert.equal(c.rowNorms?.length, 10);
  assert.equal(c.cosines && matrixRows(c.cosines).length, 10);
  assert.ok(c.bias && c.bias.min <= c.bias.mean && c.bias.mean <= c.bias.max && c.bias.std >= 0, JSON.stringify(c.bias));
  validateResult(JSON.parse(JSON.stringify(result)), 'features.json');
});

test('the validator refuses a malformed classifier block, naming the field; older results without the fields pass', async () => {
  const good = JSON.parse(JSON.stringify(await resultOf())) as Record<string, Record<string, unknown>>;
  const cases: [string, (c: Record<string, unknown>) => void, RegExp][] = [
    ['rowNorms too short', (c) => (c.rowNorms = [1, 2]), /classifier\.rowNorms has 2 entries, expected 10 \(classes\.count\)/],
    ['bias without std', (c) => delete (c.bias as Record<string, unknown>).std, /classifier\.bias\.std is missing/],
    ['cosines not square', (c) => (c.cosines = [[1]]), /classifier\.cosines has 1 rows, expected 10/],
    ['a string row norm', (c) => ((c.rowNorms as unknown[])[3] = 'x'), /classifier\.rowNorms\[3\] is the string "x", expected a number/],
  ];
  for (const [what, spoil, message] of cases) {
    const r = JSON.parse(JSON.stringify(good)) as Record<string, Record<string, unknown>>;
    spoil(r.classifier);
    assert.throws(() => validateResult(r, 'r.json'), message, what);
  }
  const old = JSON.parse(JSON.stringify(good)) as Record<string, Record<string, unknown>>;
  for (const k of ['rowNorms', 'bias', 'cosines']) delete old.classifier[k];
  validateResult(old, 'old.json');
  const noBias = JSON.parse(JSON.stringify(good)) as Record<string, Record<string, unknown>>;
  noBias.classifier.bias = null;
  validateResult(noBias, 'no-bias.json');
});
