/**
 * The trajectory panel's "Classifier (from weights) against epoch": the rows' ETF distance and equinorm
 * of each epoch's result (classifierGeometry of its weights), one curve each; an older trajectory says so.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTrajectory } from '../../src/core/compare/trajectory';
import type { AnalysisResult } from '../../src/core/result';
import { CLASSIFIER_CHARTS, classifierSpec } from '../../webview/compare/data/trajectory';
import { tinyResult } from './helpers';

function epoch(e: number, withClassifier = true): { epoch: number; result: AnalysisResult } {
  const r = tinyResult();
  const input = r.layers[r.layers.length - 1]!.name;
  r.classifier = withClassifier ? { input, nc3: null, nc4: { train: null }, weights: { equinorm: 0.5 / e, equiangularity: 0.2, maxAngle: 0.1, etfDistance: 1 / e } } : null;
  return { epoch: e, result: r };
}

test('one curve each for the ETF distance and equinorm of the classifier rows, per epoch; a gap where an epoch has no classifier', () => {
  const trajectory = buildTrajectory([epoch(10), epoch(1), epoch(5, false)]);
  assert.deepEqual(trajectory.classifier.weightsEtfDistance, [1, null, 0.1]);
  assert.deepEqual(trajectory.classifier.weightsEquinorm, [0.5, null, 0.05]);
  assert.equal(CLASSIFIER_CHARTS[0], 'weights', 'the weights chart comes first among the classifier charts');
  const spec = classifierSpec(trajectory, 'weights');
  assert.equal(spec.title, 'Classifier (from weights) against epoch');
  assert.deepEqual(spec.series.map((s) => [s.label, s.points.map((p) => p.y)]), [
    ['ETF distance', [1, null, 0.1]],
    ['Equinorm', [0.5, null, 0.05]],
  ]);
  assert.deepEqual(spec.series[0]!.points[2]!.tooltip.rows.map((r) => r.label), ['ETF distance', 'Equinorm']);
  assert.match(spec.note ?? '', /epoch 5|gap|missing|no value/i);
});

test('a trajectory written before the weights were recorded: the chart says to re-run, with no invented points', () => {
  const trajectory = buildTrajectory([epoch(1), epoch(2)]);
  delete trajectory.classifier.weightsEtfDistance;
  delete trajectory.classifier.weightsEquinorm;
  const spec = classifierSpec(trajectory, 'weights');
  assert.ok(spec.series.every((s) => s.points.every((p) => p.y === null)));
  assert.match(spec.note ?? '', /re-run it/);
});
