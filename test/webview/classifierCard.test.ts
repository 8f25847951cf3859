import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifierCardModel } from '../../webview/analysis/data/classifierCard';
import { sampleResult } from './helpers';

test('the card shows the four numbers, the row norms as bars scaled to the largest, the bias spread and the cosine heatmap', () => {
  const r = sampleResult();
  assert.ok(r.classifier);
  const K = r.classes.count;
  r.classifier.rowNorms = Array.from({ length: K }, (_, i) => 1 + i / 10);
  r.classifier.bias = { mean: 0.1, std: 0.2, min: -0.3, max: 0.4 };
  r.classifier.cosines = Array.from({ length: K }, (_, i) => Array.from({ length: K }, (_, j) => (i === j ? 1 : -1 / (K - 1))));
  const m = classifierCardModel(r);
  assert.equal(m.kind, 'weights');
  if (m.kind !== 'weights') return;
  assert.deepEqual(m.numbers.map((n) => [n.label, n.value]), [
    ['ETF distance', r.classifier.weights.etfDistance],
    ['Equinorm', r.classifier.weights.equinorm],
    ['Equiangularity', r.classifier.weights.equiangularity],
    ['Max-angle', r.classifier.weights.maxAngle],
  ]);
  assert.equal(m.rowNorms?.length, K);
  assert.equal(m.rowNorms?.[K - 1]?.fraction, 1);
  assert.equal(m.rowNorms?.[0]?.fraction, 1 / (1 + (K - 1) / 10));
  assert.equal(m.rowNorms?.[1]?.name, r.classes.names[1]);
  assert.deepEqual(m.bias, { mean: 0.1, std: 0.2, min: -0.3, max: 0.4 });
  assert.equal(m.heatmap?.values, r.classifier.cosines);
  assert.deepEqual(m.heatmap?.colorScale, { kind: 'diverging', domain: [-1, 1] });
  assert.equal(m.note, null);
  assert.match(m.shape, new RegExp(`^${K} classes × \\d+ features, reading `));
});

test('a result written before the detail was recorded: the four numbers, and a note saying to re-run', () => {
  const m = classifierCardModel(sampleResult());
  assert.equal(m.kind, 'weights');
  if (m.kind !== 'weights') return;
  assert.equal(m.rowNorms, null);
  assert.equal(m.heatmap, null);
  assert.equal(m.bias, undefined);
  assert.match(m.note ?? '', /re-run the analysis/);
});

test('no classifier: the card says so with the reason from the result', () => {
  const r = sampleResult();
  r.classifier = null;
  r.classifierUnavailable = 'the logits "out" come from a Conv node, not a linear map';
  assert.deepEqual(classifierCardModel(r), { kind: 'none', reason: 'the logits "out" come from a Conv node, not a linear map' });
  delete r.classifierUnavailable;
  assert.match((classifierCardModel(r) as { reason: string }).reason, /no final linear layer/);
});

test('a null number carries the reason it was not computed', () => {
  const r = sampleResult();
  assert.ok(r.classifier);
  r.classifier.weights.equiangularity = null;
  r.classifier.unavailable = { equiangularity: 'the centred classifier row of class 3 is zero' };
  const m = classifierCardModel(r);
  assert.ok(m.kind === 'weights');
  assert.equal(m.numbers.find((n) => n.id === 'equiangularity')?.unavailable, 'the centred classifier row of class 3 is zero');
  assert.equal(m.numbers.find((n) => n.id === 'equinorm')?.unavailable, undefined);
});
