/**
 * The one result validator every reader applies (resultValidation.ts): a full result passes, optional
 * keys may be absent and unknown ones present, and each fault is refused naming the file and the JSON
 * path of the first wrong field.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidResultError, validateResult } from '../../../src/core/resultValidation';
import { readResultFile } from '../../../src/core/readResultFile';
import type { AnalysisResult } from '../../../src/core/result';
import { syntheticResult } from '../helpers/syntheticResult';
import { withTempDir } from '../dataset/helpers/writers';

const K = 10;
const square = (v: number) => Array.from({ length: K }, (_, i) => Array.from({ length: K }, (_, j) => (i === j ? 0 : v)));
const vector = (v: number) => new Array<number>(K).fill(v);

/** A result with every optional part present: per-class arrays, projection, test split, classifier. */
function fullResult(): AnalysisResult {
  const r = syntheticResult({ layers: [{ name: 'l0', nc1: 2, ncc: 0.5 }, { name: 'l1', nc1: 0.5, ncc: 0.9 }] });
  for (const layer of r.layers) {
    Object.assign(layer.metrics.train, { cdnvMatrix: square(0.3), meanCosines: square(-0.1), classVariability: vector(1), meanNorms: vector(2), projection: { means: vector(0).map(() => [0.1, 0.2]), points: [{ x: 1, y: 2, label: 3 }] }, unavailable: {} });
    layer.metrics.test = { ...layer.metrics.train, cdnvMatrix: [[null, ...vector(1).slice(1)], ...square(1).slice(1)] };
  }
  r.dataset.test = { source: 'data', format: 'idx', fingerprint: 'f', skipped: { count: 0, examples: [] } };
  r.splits.test = { samples: 100, accuracy: 0.9, classCounts: vector(10) };
  r.classifier = { input: 'l1', output: 'logits', nc3: 0.1, nc4: { train: 0, test: 0.02 }, weights: { equinorm: 0.1, equiangularity: null, maxAngle: 0.1, etfDistance: 0.2 } };
  r.runtime = { name: 'onnxruntime-node', version: '1.30.0', threads: 2 };
  r.settings = { layers: 'auto', perClass: 200, batchSize: 64, seed: 0, epsilon: 0.01 };
  r.warnings = ['a warning'];
  r.timing = { totalSeconds: 1, loadSeconds: 0.2 };
  return r;
}

/** A result as plain JSON, so a test can break it anywhere. */
type Loose = Record<string, any>;

/** A result as read from disk (a JSON round trip), changed by `fault`. */
function faulty(fault: (r: Loose) => void): unknown {
  const r = JSON.parse(JSON.stringify(fullResult())) as Loose;
  fault(r);
  return r;
}

test('a full result passes; so does one without the optional parts, and one with keys this version does not know', () => {
  assert.doesNotThrow(() => validateResult(faulty(() => undefined), 'full.json'));
  assert.doesNotThrow(() => validateResult(JSON.parse(JSON.stringify(syntheticResult({ layers: [{ name: 'l0', nc1: null, ncc: null }] }))), 'minimal.json'));
  const extended = faulty((r) => {
    r.addedLater = { anything: true };
    r.layers[0].metrics.train.newMetric = 0.5;
    r.layers[0].extra = 'x';
    r.classifier.note = 'x';
    r.dataset.train.readerDetail = [1, 2];
  });
  assert.doesNotThrow(() => validateResult(extended, 'newer.json'), 'a newer writer\'s additions must not make this reader refuse the file');
});

test('each fault is refused naming the file and the JSON path of the first wrong field', () => {
  const cases: [string, (r: Loose) => void, string][] = [
    ['no layer metrics (the compare crash)', (r) => delete r.layers[0].metrics, 'layers[0].metrics is missing'],
    ['no dataset', (r) => delete r.dataset, 'dataset is missing'],
    ['no checkpoint', (r) => delete r.checkpoint, 'checkpoint is missing'],
    ['no checkpoint hash', (r) => delete r.checkpoint.sha256, 'checkpoint.sha256 is missing'],
    ['unknown checkpoint format', (r) => (r.checkpoint.format = 'pytorch'), 'checkpoint.format is the string "pytorch", expected one of onnx, tfjs-layers, tfjs-graph, features-npz'],
    ['no training source', (r) => delete r.dataset.train.source, 'dataset.train.source is missing'],
    ['no preprocessing', (r) => delete r.dataset.preprocessing, 'dataset.preprocessing is missing'],
    ['samples as text', (r) => (r.splits.train.samples = '2000'), 'splits.train.samples is the string "2000", expected a whole number >= 0'],
    ['accuracy above 1', (r) => (r.splits.test.accuracy = 89.6), 'splits.test.accuracy is 89.6, expected a fraction between 0 and 1'],
    ['a metric dropped (undefined, not null)', (r) => delete r.layers[1].metrics.test.nc1, 'layers[1].metrics.test.nc1 is missing'],
    ['a metric as text', (r) => (r.layers[0].metrics.train.cdnv = 'NaN'), 'layers[0].metrics.train.cdnv is the string "NaN", expected a number'],
    ['a K-1 x K CDNV matrix', (r) => r.layers[0].metrics.train.cdnvMatrix.pop(), 'layers[0].metrics.train.cdnvMatrix has 9 rows, expected 10 (classes.count)'],
    ['a short cosine row', (r) => r.layers[0].metrics.train.meanCosines[4].pop(), 'layers[0].metrics.train.meanCosines[4] has 9 entries, expected 10 (classes.count)'],
    ['per-class vector too long', (r) => r.layers[1].metrics.train.meanNorms.push(1), 'layers[1].metrics.train.meanNorms has 11 entries, expected 10 (classes.count)'],
    ['a projected point of no class', (r) => (r.layers[0].metrics.train.projection.points[0].label = 10), 'layers[0].metrics.train.projection.points[0].label is 10, expected a class index below classes.count (10)'],
    ['class names short of the count', (r) => r.classes.names.pop(), 'classes.names has 9 entries, expected 10 (classes.count)'],
    ['two layers of one name', (r) => (r.layers[1].name = 'l0'), 'layers[1].name the string "l0" repeats an earlier layer\'s name'],
    ['layer without a shape', (r) => delete r.layers[0].shape, 'layers[0].shape is missing'],
    ['no training metrics', (r) => delete r.layers[0].metrics.train, 'layers[0].metrics.train is missing'],
    ['classifier absent (must be null or full)', (r) => delete r.classifier, 'classifier is missing'],
    ['classifier without NC4', (r) => delete r.classifier.nc4, 'classifier.nc4 is missing'],
    ['effective depth without its layer', (r) => delete r.effectiveDepth.layer, 'effectiveDepth.layer is missing'],
    ['conventions not sentences', (r) => (r.conventions = 'NC1/K'), 'conventions is the string "NC1/K", expected an array'],
    ['no total time', (r) => delete r.timing.totalSeconds, 'timing.totalSeconds is missing'],
    ['a warning that is not text', (r) => (r.warnings = [{}]), 'warnings[0] is an object, expected a string'],
    ['layers not a list', (r) => (r.layers = {}), 'layers is an object, expected an array'],
    ['a shard record without its means', (r) => (r.shards = { passOne: 3, passTwo: 3 }), 'shards.means is missing'],
    ['a shard count as text', (r) => (r.shards = { passOne: '3', passTwo: 3, means: 'abc' }), 'shards.passOne is the string "3", expected a whole number >= 0'],
  ];
  for (const [what, fault, field] of cases) {
    assert.throws(() => validateResult(faulty(fault), 'runs/abc.json'), (e: unknown) => {
      assert.ok(e instanceof InvalidResultError, what);
      assert.equal(e.message, `runs/abc.json: not a valid Collapse Lens result: ${field}`, what);
      return true;
    });
  }
});

test('a file of another kind or another schema version is refused as such', () => {
  assert.throws(() => validateResult([], 'list.json'), { message: 'list.json: not a valid Collapse Lens result: the file holds an array of 0, not a JSON object' });
  assert.throws(() => validateResult({ format: 'layers-model' }, 'model.json'), /model.json: not a valid Collapse Lens result: no "schema": "collapse-lens\/result@1" \(is this a result file\?\)/);
  assert.throws(() => validateResult(faulty((r) => (r.schema = 'collapse-lens/result@2')), 'new.json'), /new.json: not a valid Collapse Lens result: schema collapse-lens\/result@2 is not supported by this version \(expects collapse-lens\/result@1\)/);
});

test('an engine bug caught before it is written: NaN is refused (JSON would turn it into null silently)', () => {
  const r = fullResult();
  r.layers[0]!.metrics.train.nc1 = Number.NaN;
  assert.throws(() => validateResult(r, 'engine output'), /layers\[0\]\.metrics\.train\.nc1 is NaN \(results hold no NaN or Infinity\), expected a number/);
});

test('readResultFile names the file on disk and the wrong field', async () => {
  await withTempDir('result', async (dir) => {
    const file = join(dir, 'abc.json');
    const broken = faulty((r) => delete r.layers[0].metrics);
    writeFileSync(file, JSON.stringify(broken));
    await assert.rejects(readResultFile(file), { message: `${file}: not a valid Collapse Lens result: layers[0].metrics is missing` });
    writeFileSync(file, JSON.stringify(fullResult()));
    assert.equal((await readResultFile(file)).layers.length, 2);
  });
});
