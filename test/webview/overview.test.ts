import { test } from 'node:test';
import assert from 'node:assert/strict';
import { depthSeries, overviewSpec, resultSplits } from '../../webview/analysis/data/overview';
import { layer, sampleResult, tinyResult } from './helpers';

test('one series per split, x = probe depth, null kept as null (a gap, not a zero)', () => {
  const series = depthSeries(tinyResult(), 'nc1');
  assert.deepEqual(
    series.map((s) => s.id),
    ['train', 'test'],
  );
  assert.deepEqual(
    series[0]!.points.map((p) => [p.x, p.y, p.key]),
    [
      [0, 4, 'a'],
      [1, null, 'b'],
      [2, 0.5, 'c'],
    ],
  );
  assert.deepEqual(
    series[1]!.points.map((p) => p.y),
    [5, 2, 1],
  );
  assert.equal(series[0]!.dashed, false);
  assert.equal(series[1]!.dashed, true);
});

test('the tooltip gives the layer, both splits at six digits and the reason for a null', () => {
  const [train] = depthSeries(tinyResult(), 'nc1');
  const tip = train!.points[1]!.tooltip;
  assert.equal(tip.title, 'b');
  assert.deepEqual(tip.rows, [
    { label: 'Layer', value: '#1 · Relu, D = 4' },
    { label: 'Train NC1', value: 'n/a (Sigma_B has rank 0)' },
    { label: 'Test NC1', value: '2.00000' },
  ]);
});

test('a result without a held-out split gives one series', () => {
  const result = tinyResult();
  delete result.splits.test;
  for (const l of result.layers) delete l.metrics.test;
  assert.deepEqual(resultSplits(result), ['train']);
  assert.equal(depthSeries(result, 'nccAccuracy').length, 1);
});

test('NCC accuracy chart: fixed 0-1 axis, the network accuracies as references, the effective depth marked', () => {
  const spec = overviewSpec(tinyResult(), 'ncc', { nc2Metric: 'etfDistance', selectedLayer: 'b' });
  assert.deepEqual(spec.yDomain, [0, 1]);
  assert.equal(spec.yFormat, 'percent');
  assert.deepEqual(
    spec.hLines.map((l) => [l.value, l.label]),
    [
      [0.9, 'network train 90.0%'],
      [0.8, 'network test 80.0%'],
    ],
  );
  assert.deepEqual(
    spec.vLines.map((l) => [l.value, l.label]),
    [[2, 'effective depth (ε = 0.01)']],
  );
  assert.equal(spec.selectedKey, 'b');
});

test('NC1 and CDNV are on log axes; the NC1 chart notes the value that was not computed', () => {
  const nc1 = overviewSpec(tinyResult(), 'nc1', { nc2Metric: 'etfDistance', selectedLayer: null });
  assert.equal(nc1.yScale, 'log');
  assert.equal(nc1.note, '1 value(s) not computed (gaps; hover for the reason).');
  assert.equal(overviewSpec(tinyResult(), 'cdnv', { nc2Metric: 'etfDistance', selectedLayer: null }).yScale, 'log');
});

test('a non-positive value on a log chart is reported, not plotted as zero', () => {
  const result = tinyResult();
  result.layers[0]!.metrics.train.cdnv = 0;
  const spec = overviewSpec(result, 'cdnv', { nc2Metric: 'etfDistance', selectedLayer: null });
  assert.match(spec.note ?? '', /1 value\(s\) ≤ 0 cannot be shown on the log axis/);
});

test('NC2 plots the chosen number', () => {
  const result = sampleResult();
  const spec = overviewSpec(result, 'nc2', { nc2Metric: 'maxAngle', selectedLayer: null });
  assert.equal(spec.id, 'nc2-maxAngle');
  assert.deepEqual(
    spec.series[0]!.points.map((p) => p.y),
    result.layers.map((l) => l.metrics.train.maxAngle),
  );
});

test('no effective-depth marker when no layer reached it', () => {
  const result = tinyResult();
  result.effectiveDepth = { epsilon: 0.01, layer: null, depth: null };
  assert.deepEqual(overviewSpec(result, 'ncc', { nc2Metric: 'etfDistance', selectedLayer: null }).vLines, []);
});

test('NC1 chart: a low-rank NC1 is drawn ringed, its tooltip and the note say why; other charts are unmarked', () => {
  const result = tinyResult(); // K = 3
  result.layers = [layer('narrow', 0, { nc1: 0.008, nc1Rank: 1, nccAccuracy: 0.4 }, { nc1: 0.01, nc1Rank: 2 }), layer('wide', 1, { nc1: 0.3, nc1Rank: 2 }, { nc1: 0.4, nc1Rank: 2 })];
  const spec = overviewSpec(result, 'nc1', { nc2Metric: 'etfDistance', selectedLayer: null });
  const [train, test] = spec.series;
  assert.deepEqual(train!.points.map((p) => p.marked === true), [true, false]);
  assert.deepEqual(test!.points.map((p) => p.marked === true), [false, false]);
  assert.deepEqual(train!.points[0]!.tooltip.rows.at(-1), { label: 'Train NC1 low rank', value: 'Σ_B rank 1 < K−1 = 2: not a sign of collapse' });
  assert.match(spec.note ?? '', /1 ringed value\(s\): NC1 over a low-rank Σ_B/);
  const ncc = overviewSpec(result, 'ncc', { nc2Metric: 'etfDistance', selectedLayer: null });
  assert.ok(ncc.series.every((s) => s.points.every((p) => p.marked !== true)));
  assert.doesNotMatch(ncc.note ?? '', /ringed/);
});
