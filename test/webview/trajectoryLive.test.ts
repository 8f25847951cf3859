/**
 * The live trajectory panel's data: the trajectoryUpdate message (narrowed, reduced, keeping the user's
 * choices), the epoch x depth heatmaps' cells and scales, the effective depth per epoch, deleted
 * checkpoints greyed (still plotted), the watch's status line, and the empty trajectory of a watch that
 * has not analysed anything yet.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTrajectory, emptyTrajectory } from '../../src/core/compare/trajectory';
import type { AnalysisResult } from '../../src/core/result';
import type { HostToComparePanel, TrajectoryWatchStatus } from '../../src/protocol/webview';
import { asCompareHostMessage } from '../../webview/compare/data/messages';
import { EMPTY_MODEL, reduce } from '../../webview/compare/data/model';
import { choicesAfter, DEFAULT_PREFS, stateFor, stateIdentity, type ComparePrefs } from '../../webview/compare/data/webviewState';
import { epochDepthHeatmap } from '../../webview/compare/data/epochDepthHeatmap';
import { effectiveDepthByEpoch, effectiveDepthSpec } from '../../webview/compare/data/effectiveDepthTrend';
import { greyDeletedEpochs, watchView } from '../../webview/compare/data/watchStatus';
import { classifierSpec, trajectorySpec } from '../../webview/compare/data/trajectory';
import { layer, tinyResult } from './helpers';

/** Train NCC accuracy of l0, l1, l2 per epoch: the last layer reaches 99.5% first, then l1. */
const ACCURACY: Record<number, number[]> = { 1: [0.5, 0.6, 0.9], 10: [0.6, 0.95, 0.995], 100: [0.7, 0.995, 1] };
/** The effective depth each analysis reported itself (the same rule, ε = 0.01). */
const OWN_DEPTH: Record<number, string | null> = { 1: null, 10: 'l2', 100: 'l1' };

/** NC1 of layer i at epoch e: 10^(1−i) / e, so [10, 1, 0.1] at epoch 1 and [0.1, 0.01, 0.001] at epoch 100. */
function checkpoint(epoch: number): AnalysisResult {
  const r = tinyResult();
  r.checkpoint = { ...r.checkpoint, path: `/run/epoch_${epoch}.onnx` };
  r.layers = ['l0', 'l1', 'l2'].map((name, i) =>
    layer(name, i, { nc1: 10 ** (1 - i) / epoch, nccAccuracy: ACCURACY[epoch]![i]! }, { nc1: 2 * 10 ** (1 - i) / epoch, nccAccuracy: ACCURACY[epoch]![i]! - 0.1 }),
  );
  const own = OWN_DEPTH[epoch] ?? null;
  r.effectiveDepth = { epsilon: 0.01, layer: own, depth: own === null ? null : Number(own.slice(1)) };
  return r;
}

const grown = (...epochs: number[]) => buildTrajectory(epochs.map((epoch) => ({ epoch, result: checkpoint(epoch) })));
const trajectory = grown(1, 10, 100);

function watch(states: TrajectoryWatchStatus['checkpoints'], queued = 0, watching = true): TrajectoryWatchStatus {
  return { checkpoints: states, queued, watching };
}
const analysed = (epoch: number) => ({ epoch, label: `epoch_${epoch}.onnx`, state: 'analysed' as const });

test('trajectoryUpdate is narrowed (its watch checked too) and shown as a trajectory with its watch; progress is cleared', () => {
  const w = watch([analysed(1), { epoch: 2, label: 'epoch_2.onnx', state: 'corrupt', reason: 'truncated' }], 1);
  assert.equal(asCompareHostMessage({ kind: 'trajectoryUpdate', trajectory, watch: w })?.kind, 'trajectoryUpdate');
  assert.equal(asCompareHostMessage({ kind: 'trajectoryUpdate', trajectory })?.kind, 'trajectoryUpdate', 'the watch is optional');
  assert.equal(asCompareHostMessage({ kind: 'trajectoryUpdate', trajectory: emptyTrajectory() })?.kind, 'trajectoryUpdate', 'zero epochs is a valid update');
  assert.equal(asCompareHostMessage({ kind: 'trajectoryUpdate', trajectory, watch: { ...w, checkpoints: [{ epoch: 1, label: 'x', state: 'exploded' }] } }), null);
  assert.equal(asCompareHostMessage({ kind: 'trajectoryUpdate', trajectory, watch: { checkpoints: [], watching: true } }), null, 'queued is required');
  assert.equal(asCompareHostMessage({ kind: 'trajectoryUpdate', trajectory: { epochs: [] }, watch: w }), null);
  const withProgress = reduce(EMPTY_MODEL, { kind: 'progress', progress: { stage: 'pass1', split: 'train', done: 1, total: 2, message: '' }, label: 'epoch_100.onnx' });
  const m = reduce(withProgress, { kind: 'trajectoryUpdate', trajectory, watch: w });
  assert.equal(m.content?.kind, 'trajectory');
  assert.deepEqual(m.content?.kind === 'trajectory' ? m.content.watch : undefined, w);
  assert.equal(m.progress, null);
});

test("an update keeps the user's choices (layers, split, NC2 number); new content does not", () => {
  const chosen: ComparePrefs = { ...DEFAULT_PREFS, split: 'test', nc2Metric: 'maxAngle', trajectoryLayers: ['l0'] };
  const before = { kind: 'trajectory' as const, trajectory: grown(1, 10) };
  const identity = stateIdentity(stateFor(before, chosen));
  const update: HostToComparePanel = { kind: 'trajectoryUpdate', trajectory };
  const after = reduce({ ...EMPTY_MODEL, content: before }, update).content;
  const kept = choicesAfter(update, before, after, chosen, identity);
  assert.deepEqual(kept.prefs, chosen);
  assert.notEqual(kept.identity, identity, 'the choices now belong to the grown trajectory');
  // The next update is recognised as the same trajectory again.
  assert.deepEqual(choicesAfter(update, after, after, kept.prefs, kept.identity).prefs, chosen);
  // A page rebuilt while hidden (no content yet) whose saved choices were this trajectory's keeps them.
  assert.deepEqual(choicesAfter(update, null, after, chosen, identity).prefs, chosen);
  // Another trajectory shown with 'trajectory' drops the chosen layers; an update over a comparison too.
  const other: HostToComparePanel = { kind: 'trajectory', trajectory: grown(1, 100) };
  assert.equal(choicesAfter(other, before, reduce(EMPTY_MODEL, other).content, chosen, identity).prefs.trajectoryLayers, null);
  assert.equal(choicesAfter(update, null, after, chosen, 'compare:a\u0000b').prefs.trajectoryLayers, null);
  // Progress and failures change nothing.
  assert.deepEqual(choicesAfter({ kind: 'failed', message: 'x' }, before, before, chosen, identity), { prefs: chosen, identity });
});

test('NC1 heatmap: a row per epoch, a column per layer in depth order, the series values, a reversed log colour scale', () => {
  const spec = epochDepthHeatmap(trajectory, 'nc1', 'train');
  assert.deepEqual(spec.rowLabels, ['epoch 1', 'epoch 10', 'epoch 100']);
  assert.deepEqual(spec.colLabels, ['l0', 'l1', 'l2']);
  assert.deepEqual(spec.grid?.colTitles, ['l0', 'l1', 'l2']);
  const expected = [1, 10, 100].map((e) => [0, 1, 2].map((i) => 10 ** (1 - i) / e));
  assert.deepEqual(spec.values, expected);
  for (const [r, row] of spec.values.entries()) for (const [c, v] of row.entries()) assert.equal(v, trajectory.series[trajectory.layers[c]!]!.nc1.train[r]);
  assert.equal(spec.colorScale.kind, 'sequential');
  if (spec.colorScale.kind !== 'sequential') return;
  assert.deepEqual([spec.colorScale.log, spec.colorScale.reversed], [true, true]);
  assert.deepEqual(spec.colorScale.domain, [0.001, 10]);
  assert.equal(spec.title, 'NC1 by epoch and depth (train)');
  assert.equal(spec.grid?.dimmedRows, undefined);
  // The held-out split reads the test series.
  assert.deepEqual(epochDepthHeatmap(trajectory, 'nc1', 'test').values[0], [20, 2, 0.2]);
});

test('NCC accuracy heatmap: linear from 0 to 1, not reversed; a missing value stays null (drawn as "not computed")', () => {
  const spec = epochDepthHeatmap(trajectory, 'nccAccuracy', 'train');
  assert.deepEqual(spec.values, [ACCURACY[1], ACCURACY[10], ACCURACY[100]]);
  assert.deepEqual(spec.colorScale, { kind: 'sequential', domain: [0, 1], log: false });
  assert.equal(spec.id, 'ncc-heatmap-epochs');
  assert.equal(spec.grid?.percent, true, 'an accuracy reads as a percentage, as in the line chart');
  assert.equal(epochDepthHeatmap(trajectory, 'nc1', 'train').grid?.percent, undefined);
  const holed = structuredClone(trajectory);
  holed.series.l1!.nccAccuracy.train[1] = null;
  holed.series.l2!.nccAccuracy.train[0] = Number.NaN;
  const values = epochDepthHeatmap(holed, 'nccAccuracy', 'train').values;
  assert.deepEqual([values[1]![1], values[0]![2]], [null, null]);
});

test('heatmap: a deleted epoch is kept and greyed (its row labelled and dimmed); a low-rank NC1 is noted in its cell', () => {
  const t = structuredClone(trajectory);
  t.nc1LowRank = { l1: { train: [false, true, false], test: null } };
  const spec = epochDepthHeatmap(t, 'nc1', 'train', new Set([10]));
  assert.deepEqual(spec.rowLabels, ['epoch 1', 'epoch 10 (deleted)', 'epoch 100']);
  assert.equal(spec.values.length, 3, 'a deleted epoch is not dropped');
  assert.deepEqual(spec.grid?.dimmedRows?.map((d) => d.row), [1]);
  assert.deepEqual(spec.grid?.cellNotes?.map(([r, c]) => [r, c]), [[1, 1]]);
  assert.equal(epochDepthHeatmap(t, 'nccAccuracy', 'train').grid?.cellNotes, undefined, 'the rank caveat is NC1\'s only');
});

test('NC1 heatmap colour domain: one decade around a single value; a default when nothing is positive', () => {
  const one = grown(10);
  for (const l of one.layers) one.series[l]!.nc1.train = [0.5];
  const spec = epochDepthHeatmap(one, 'nc1', 'train');
  if (spec.colorScale.kind !== 'sequential') throw new Error('sequential expected');
  const [lo, hi] = spec.colorScale.domain;
  assert.ok(Math.abs(hi / lo - 10) < 1e-9 && Math.abs(Math.sqrt(lo * hi) - 0.5) < 1e-12);
  for (const l of one.layers) one.series[l]!.nc1.train = [0];
  const none = epochDepthHeatmap(one, 'nc1', 'train');
  assert.deepEqual(none.colorScale.kind === 'sequential' ? none.colorScale.domain : null, [0.1, 1]);
});

test('effective depth per epoch from the NCC series (the core rule): not reached, then the last layer, then one earlier', () => {
  assert.deepEqual(
    effectiveDepthByEpoch(trajectory).map((d) => [d.epoch, d.layer, d.depth]),
    [[1, null, null], [10, 'l2', 2], [100, 'l1', 1]],
  );
  const spec = effectiveDepthSpec(trajectory);
  assert.deepEqual(spec.series[0]!.points.map((p) => p.y), [null, 3, 2], 'layer positions, 1-based; a gap where not reached');
  assert.deepEqual(spec.yDomain, [1, 3]);
  assert.equal(spec.title, 'Effective depth against epoch (ε = 1.0%)');
  assert.match(spec.note ?? '', /Not reached at epoch 1:/);
  assert.doesNotMatch(spec.note ?? '', /reported another layer/, 'every analysis agrees');
  assert.match(spec.series[0]!.points[2]!.tooltip.rows[0]!.value, /^l1 \(layer 2 of 3\)$/);
  // A looser ε reaches earlier layers.
  assert.deepEqual(effectiveDepthByEpoch(trajectory, 0.1).map((d) => d.layer), ['l2', 'l1', 'l1']);
});

test('effective depth: an analysis that reported another layer (its own ε) is said, not hidden', () => {
  const t = structuredClone(trajectory);
  t.summaries[2]!.effectiveDepth = 'l0';
  assert.match(effectiveDepthSpec(t).note ?? '', /At epoch 100 the analysis itself reported another layer/);
});

test('deleted epochs are greyed in every line chart, their points kept; other epochs untouched', () => {
  const deleted = new Set([10]);
  const nc1 = greyDeletedEpochs(trajectorySpec(trajectory, 'nc1', { layers: ['l0', 'l2'], split: 'train', nc2Metric: 'etfDistance' }), deleted);
  for (const s of nc1.series) {
    assert.deepEqual(s.points.map((p) => p.dimmed === true), [false, true, false]);
    assert.equal(s.points.length, 3);
    assert.match(s.points[1]!.tooltip.title, /^epoch 10 · train NC1 \(checkpoint deleted\)$/);
  }
  const nc3 = greyDeletedEpochs(classifierSpec(trajectory, 'nc3'), deleted);
  assert.deepEqual(nc3.series[0]!.points.map((p) => p.dimmed === true), [false, true, false]);
  assert.deepEqual(greyDeletedEpochs(effectiveDepthSpec(trajectory), deleted).series[0]!.points.map((p) => p.dimmed === true), [false, true, false]);
  const same = trajectorySpec(trajectory, 'nc1', { layers: ['l0'], split: 'train', nc2Metric: 'etfDistance' });
  assert.equal(greyDeletedEpochs(same, new Set()), same);
});

test('watch status: "watching · 3 analysed, 1 queued", pending and corrupt checkpoints listed, deleted ones greyed', () => {
  const view = watchView(
    trajectory,
    watch(
      [
        analysed(1),
        { epoch: 10, label: 'epoch_10.onnx', state: 'deleted' },
        analysed(100),
        { epoch: 200, label: 'epoch_200.onnx', state: 'corrupt', reason: 'epoch_200.onnx: the protobuf ends inside a tensor' },
        { epoch: 300, label: 'epoch_300.onnx', state: 'analysing' },
        { epoch: 400, label: 'epoch_400.onnx', state: 'queued' },
        { epoch: 500, label: 'epoch_500.onnx', state: 'settling' },
        { epoch: 600, label: 'epoch_600.onnx', state: 'failed', reason: 'the engine ran out of memory' },
      ],
      1,
    ),
  );
  // An unreadable file and an analysis the engine lost are both skipped, and told apart.
  assert.equal(view.header, 'watching · 3 analysed, 1 queued, 1 analysing, 1 being written, 1 corrupt, 1 failed, 1 deleted');
  assert.deepEqual([...view.deletedEpochs], [10]);
  assert.deepEqual(view.corrupt, [
    { epoch: 200, label: 'epoch_200.onnx', reason: 'epoch_200.onnx: the protobuf ends inside a tensor', failed: false },
    { epoch: 600, label: 'epoch_600.onnx', reason: 'the engine ran out of memory', failed: true },
  ]);
  assert.deepEqual(view.pending.map((p) => [p.epoch, p.state]), [[300, 'analysing'], [400, 'queued'], [500, 'settling']]);
  assert.deepEqual(view.inconsistencies, []);
  assert.equal(watchView(trajectory, watch([analysed(1), analysed(10), analysed(100), { epoch: 200, label: 'e', state: 'queued' }], 1)).header, 'watching · 3 analysed, 1 queued');
  assert.equal(watchView(trajectory, watch([analysed(1), analysed(10), analysed(100)], 0, false)).header, 'watch stopped · 3 analysed');
});

test('watch status: a corrupt checkpoint without a reason, and a watch that disagrees with the trajectory, are said', () => {
  const view = watchView(trajectory, watch([analysed(1), analysed(10), analysed(100), analysed(7), { epoch: 8, label: 'epoch_8.onnx', state: 'corrupt' }, { epoch: 100, label: 'epoch_100.onnx', state: 'queued' }]));
  assert.equal(view.corrupt[0]!.reason, 'no reason was given');
  assert.equal(view.inconsistencies.length, 2);
  assert.match(view.inconsistencies[0]!, /epoch_7\.onnx \(epoch 7\) is reported analysed but the trajectory has no data for it/);
  assert.match(view.inconsistencies[1]!, /epoch_100\.onnx \(epoch 100\) is queued, yet the trajectory already shows epoch 100/);
  // A checkpoint deleted before it was analysed is counted, with nothing to grey.
  const gone = watchView(trajectory, watch([analysed(1), analysed(10), analysed(100), { epoch: 5, label: 'epoch_5.onnx', state: 'deleted' }]));
  assert.deepEqual([gone.header, gone.deletedEpochs.size], ['watching · 3 analysed, 1 deleted', 0]);
});

test('an empty trajectory (zero analysed epochs): no heatmap rows, no effective depth, "0 analysed"', () => {
  const empty = emptyTrajectory();
  const spec = epochDepthHeatmap(empty, 'nc1', 'train');
  assert.deepEqual([spec.rowLabels, spec.colLabels, spec.values], [[], [], []]);
  assert.deepEqual(effectiveDepthByEpoch(empty), []);
  assert.equal(watchView(empty, watch([{ epoch: 1, label: 'epoch_1.onnx', state: 'settling' }])).header, 'watching · 0 analysed, 1 being written');
  const m = reduce(EMPTY_MODEL, { kind: 'trajectoryUpdate', trajectory: empty, watch: watch([]) });
  assert.equal(m.content?.kind === 'trajectory' ? m.content.trajectory.epochs.length : -1, 0);
});
