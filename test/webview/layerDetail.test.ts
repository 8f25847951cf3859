import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  cdnvHeatmap,
  classifierFacts,
  displayedLayer,
  idealEtfCosines,
  mostConfusedPairs,
  projectionScatter,
  variabilityBars,
  worstEtfDeviation,
} from '../../webview/analysis/data/layerDetail';
import { layer, sampleResult, tinyResult } from './helpers';

test('the ideal simplex ETF has 1 on the diagonal and -1/(K-1) elsewhere', () => {
  assert.deepEqual(idealEtfCosines(3), [
    [1, -0.5, -0.5],
    [-0.5, 1, -0.5],
    [-0.5, -0.5, 1],
  ]);
  const k10 = idealEtfCosines(10);
  assert.equal(k10[3]![7], -1 / 9);
  // Its rows sum to zero: K unit vectors centred on their mean.
  for (const row of k10) assert.ok(Math.abs(row.reduce((s, v) => s + v, 0)) < 1e-12);
  assert.throws(() => idealEtfCosines(1), /at least 2 classes/);
});

test('the worst ETF deviation is the largest |cos + 1/(K-1)| off the diagonal', () => {
  const cos = [
    [1, -0.5, 0.1],
    [-0.5, 1, -0.4],
    [0.1, -0.4, 1],
  ];
  assert.deepEqual(worstEtfDeviation(cos), { row: 0, col: 2, value: 0.6 });
  assert.equal(worstEtfDeviation(null), null);
});

test('most confused pairs: highest CDNV first, each unordered pair once, nulls skipped', () => {
  const m = [
    [0, 0.3, null, 0.9],
    [0.3, 0, 0.5, 0.1],
    [null, 0.5, 0, 0.2],
    [0.9, 0.1, 0.2, 0],
  ];
  assert.deepEqual(mostConfusedPairs(m, 3), [
    { a: 0, b: 3, value: 0.9 },
    { a: 1, b: 2, value: 0.5 },
    { a: 0, b: 1, value: 0.3 },
  ]);
  assert.deepEqual(mostConfusedPairs(m, 0), []);
  assert.deepEqual(mostConfusedPairs(null, 5), []);
});

test('a slightly asymmetric CDNV matrix is ranked on the mean of its two halves', () => {
  const m = [
    [0, 0.4, 0.45],
    [0.6, 0, 0.1],
    [0.45, 0.1, 0],
  ];
  assert.deepEqual(mostConfusedPairs(m, 1), [{ a: 0, b: 1, value: 0.5 }]);
});

test('the CDNV heatmap outlines both halves of the most confused pairs and uses a log colour scale over positive values', () => {
  const result = tinyResult();
  result.layers[0]!.metrics.train.cdnvMatrix = [
    [0, 0.2, 0.8],
    [0.2, 0, 0.05],
    [0.8, 0.05, 0],
  ];
  const spec = cdnvHeatmap(result, result.layers[0]!, 'train', 1);
  assert.ok(spec);
  assert.deepEqual(spec.highlighted, [
    [0, 2],
    [2, 0],
  ]);
  assert.deepEqual(spec.colorScale, { kind: 'sequential', domain: [0.05, 0.8], log: true });
  assert.deepEqual(spec.rowLabels, ['cat', 'dog', 'bird']);
  assert.equal(cdnvHeatmap(result, result.layers[1]!, 'train', 1), null);
});

test('the detail shows the selected layer, else the classifier input, else the deepest', () => {
  const result = tinyResult();
  assert.equal(displayedLayer(result, 'a')?.name, 'a');
  assert.equal(displayedLayer(result, 'not-there')?.name, 'c');
  result.classifier = { input: 'b', nc3: 0.1, nc4: { train: 0 }, weights: { equinorm: 0, equiangularity: 0, maxAngle: 0, etfDistance: 0 } };
  assert.equal(displayedLayer(result, null)?.name, 'b');
  result.layers = [];
  assert.equal(displayedLayer(result, null), null);
});

test('classifier facts only at the classifier input, with the means beside the classifier rows', () => {
  const result = tinyResult();
  result.layers[2] = layer('c', 2, { equinorm: 0.1, equiangularity: 0.2, maxAngle: 0.3, etfDistance: 0.4 });
  result.classifier = { input: 'c', nc3: 0.11, nc4: { train: 0.01, test: 0.02 }, weights: { equinorm: 0.5, equiangularity: 0.6, maxAngle: 0.7, etfDistance: 0.8 } };
  assert.equal(classifierFacts(result, result.layers[0]!), null);
  const facts = classifierFacts(result, result.layers[2]!);
  assert.ok(facts);
  assert.equal(facts.nc3, 0.11);
  assert.equal(facts.nc4Test, 0.02);
  assert.deepEqual(
    facts.etf.map((r) => [r.label, r.means, r.weights]),
    [
      ['Equinorm', 0.1, 0.5],
      ['Equiangularity', 0.2, 0.6],
      ['Max-angle', 0.3, 0.7],
      ['ETF distance', 0.4, 0.8],
    ],
  );
});

test('variability bars have one series per split that has the numbers', () => {
  const result = tinyResult();
  result.layers[0]!.metrics.train.classVariability = [1, 2, 3];
  const bars = variabilityBars(result, result.layers[0]!);
  assert.deepEqual(
    bars?.series.map((s) => [s.id, s.values]),
    [['train', [1, 2, 3]]],
  );
  assert.equal(variabilityBars(result, result.layers[1]!), null);
});

test('the projection falls back to the training split, and maps the sampled points to groups', () => {
  const result = sampleResult();
  const deepest = result.layers[result.layers.length - 1]!;
  const shown = projectionScatter(result, deepest, 'test');
  assert.ok(shown);
  assert.equal(shown.split, 'train');
  assert.equal(shown.spec.centres.length, 10);
  assert.equal(shown.spec.points.length, deepest.metrics.train.projection?.points?.length);
  assert.equal(projectionScatter(tinyResult(), tinyResult().layers[0]!, 'train'), null);
});
