/**
 * Trajectory -> charts against epoch: the epoch axis (log past two decades), one point per epoch per
 * chosen layer, the default layers (spread over depth, ending at the classifier's input), NC3 / NC4.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTrajectory } from '../../src/core/compare/trajectory';
import type { AnalysisResult } from '../../src/core/result';
import {
  chosenLayers,
  classifierInputLayer,
  classifierSpec,
  defaultTrajectoryLayers,
  epochAxis,
  trajectorySeries,
  trajectorySpec,
} from '../../webview/compare/data/trajectory';
import { layer, tinyResult } from './helpers';

const NAMES = ['l0', 'l1', 'l2', 'l3', 'l4'];

/** Five layers, the classifier reading l3; NC1 of layer i at this epoch = (i + 1) / epoch. */
function checkpoint(epoch: number, withClassifier = true): AnalysisResult {
  const r = tinyResult();
  r.layers = NAMES.map((name, i) => layer(name, i, { nc1: (i + 1) / epoch, nccAccuracy: Math.min(1, 0.1 * i + epoch / 1000) }, { nc1: (i + 2) / epoch }));
  r.classifier = withClassifier
    ? { input: 'l3', output: 'l4', nc3: 1 / epoch, nc4: { train: 0.5 / epoch, test: 0.6 / epoch }, weights: { equinorm: null, equiangularity: null, maxAngle: null, etfDistance: null } }
    : null;
  return r;
}

const trajectory = buildTrajectory([1, 10, 1000].map((epoch) => ({ epoch, result: checkpoint(epoch) })));

test('epochs over more than two decades: x = log10(epoch), ticks at 1, 2, 5 × 10^k labelled in epochs', () => {
  const axis = epochAxis([1, 10, 1000]);
  assert.equal(axis.scale, 'log');
  assert.equal(axis.label, 'Epoch (log scale)');
  assert.deepEqual([1, 10, 1000].map(axis.x), [0, 1, 3]);
  assert.deepEqual(axis.ticks.map((t) => t.label), ['1', '2', '5', '10', '20', '50', '100', '200', '500', '1000']);
  assert.ok(Math.abs(axis.ticks[1]!.x - Math.log10(2)) < 1e-12);
});

test('up to two decades, or with an epoch 0: a linear axis with round ticks', () => {
  const axis = epochAxis([1, 50, 100]);
  assert.equal(axis.scale, 'linear');
  assert.deepEqual([1, 50, 100].map(axis.x), [1, 50, 100]);
  // span 99 / 6 ≈ 16.5 -> step 20.
  assert.deepEqual(axis.ticks.map((t) => t.x), [20, 40, 60, 80, 100]);
  const fromZero = epochAxis([0, 5, 10, 5000]);
  assert.equal(fromZero.scale, 'linear');
  assert.deepEqual(epochAxis([7]).ticks, [{ x: 7, label: '7' }]);
});

test('one series per chosen layer in depth order, one point per epoch, colour by the layer\'s place', () => {
  const series = trajectorySeries(trajectory, 'nc1', 'train', ['l3', 'l0']);
  assert.deepEqual(series.map((s) => [s.id, s.color]), [['l0', 'blue'], ['l3', 'red']]);
  for (const s of series) assert.equal(s.points.length, trajectory.epochs.length);
  assert.deepEqual(series[1]!.points.map((p) => p.y), [4, 0.4, 0.004]);
  assert.deepEqual(series[1]!.points.map((p) => p.x), [0, 1, 3]);
  assert.deepEqual(trajectorySeries(trajectory, 'nc1', 'test', ['l0'])[0]!.points.map((p) => p.y), [2, 0.2, 0.002]);
  const tip = series[0]!.points[1]!.tooltip;
  assert.equal(tip.title, 'epoch 10 · train NC1');
  assert.deepEqual(tip.rows, [{ label: 'l0', value: '0.100000' }, { label: 'l3', value: '0.400000' }]);
});

test('the classifier input is found through the penultimate NC1 of the summaries', () => {
  assert.equal(classifierInputLayer(trajectory), 'l3');
  // First layer, the middle of 0..3 (index 2), the classifier input.
  assert.deepEqual(defaultTrajectoryLayers(trajectory), ['l0', 'l2', 'l3']);
  const noClassifier = buildTrajectory([1, 2].map((epoch) => ({ epoch, result: checkpoint(epoch, false) })));
  assert.equal(classifierInputLayer(noClassifier), null);
  assert.deepEqual(defaultTrajectoryLayers(noClassifier), ['l2', 'l3', 'l4']);
});

test('a saved layer choice is kept where it still names layers, else the default', () => {
  assert.deepEqual(chosenLayers(trajectory, ['l4', 'gone', 'l1']), ['l1', 'l4']);
  assert.deepEqual(chosenLayers(trajectory, ['gone']), ['l0', 'l2', 'l3']);
  assert.deepEqual(chosenLayers(trajectory, []), []);
  assert.deepEqual(chosenLayers(trajectory, undefined), ['l0', 'l2', 'l3']);
});

test('metric charts: log NC1, NCC in percent, epochs on x; NC3 and NC4 per epoch', () => {
  const nc1 = trajectorySpec(trajectory, 'nc1', { layers: ['l1'], split: 'train', nc2Metric: 'etfDistance' });
  assert.equal(nc1.yScale, 'log');
  assert.equal(nc1.xLabel, 'Epoch (log scale)');
  assert.equal(nc1.xTicks?.length, 10);
  const ncc = trajectorySpec(trajectory, 'ncc', { layers: ['l1'], split: 'train', nc2Metric: 'etfDistance' });
  assert.deepEqual(ncc.yDomain, [0, 1]);
  assert.deepEqual(ncc.series[0]!.points.map((p) => p.y), [0.101, 0.11, 1]);
  assert.match(trajectorySpec(trajectory, 'nc2', { layers: [], split: 'train', nc2Metric: 'maxAngle' }).note ?? '', /No layer chosen/);
  const nc3 = classifierSpec(trajectory, 'nc3');
  assert.deepEqual(nc3.series.map((s) => s.points.map((p) => p.y)), [[1, 0.1, 0.001]]);
  const nc4 = classifierSpec(trajectory, 'nc4');
  assert.deepEqual(nc4.series.map((s) => [s.id, s.dashed]), [['train', false], ['test', true]]);
  assert.deepEqual(nc4.series[1]!.points.map((p) => p.y), [0.6, 0.06, 0.0006]);
});

test('a low-rank NC1 at some epoch is ringed in that layer\'s NC1 series and named in the tooltip', () => {
  const early = checkpoint(1);
  early.layers[1]!.metrics.train.nc1Rank = 1; // K = 3: rank 1 < K−1 = 2 at epoch 1 only
  const late = checkpoint(10);
  for (const l of [...early.layers, ...late.layers]) l.metrics.train.nc1Rank ??= 2;
  const t = buildTrajectory([{ epoch: 1, result: early }, { epoch: 10, result: late }]);
  assert.deepEqual(t.nc1LowRank, { l1: { train: [true, false], test: [false, false] } });
  const spec = trajectorySpec(t, 'nc1', { layers: ['l0', 'l1'], split: 'train', nc2Metric: 'etfDistance' });
  assert.deepEqual(spec.series.map((s) => s.points.map((p) => p.marked === true)), [[false, false], [true, false]]);
  assert.match(spec.series[1]!.points[0]!.tooltip.rows[1]!.value, /\(low rank: Σ_B rank < K−1\)$/);
  assert.match(spec.note ?? '', /1 ringed value\(s\)/);
  assert.ok(trajectorySpec(t, 'cdnv', { layers: ['l1'], split: 'train', nc2Metric: 'etfDistance' }).series[0]!.points.every((p) => p.marked !== true));
  assert.equal(trajectory.nc1LowRank, undefined, 'absent when no NC1 is low-rank');
});

test("the legend names a layer by its short name (the issue's '/block1…utput_0'), the full tensor name as the item's title", () => {
  const exported = (epoch: number): AnalysisResult => {
    const r = checkpoint(epoch);
    const full = ['/block1/relu/Relu_output_0', '/relu_fc/Relu_output_0', '/Flatten_output_0', '/fc/Gemm_output_0', 'logits'];
    r.layers.forEach((l, i) => (l.name = full[i]!));
    r.classifier = null;
    return r;
  };
  const t = buildTrajectory([1, 10].map((epoch) => ({ epoch, result: exported(epoch) })));
  const series = trajectorySeries(t, 'nc1', 'train', t.layers);
  assert.deepEqual(series.map((s) => s.label), ['block1/relu', 'relu_fc', 'Flatten', 'fc', 'logits']);
  assert.deepEqual(series.map((s) => s.title), t.layers);
});
