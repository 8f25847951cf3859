/**
 * Comparison -> chart series per run: one point per aligned row, the runs' own metric values, x as depth
 * or scaled relative depth, stable colours in run order, hidden runs left out, exact tooltips.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareResults } from '../../src/core/compare/compareResult';
import type { AnalysisResult } from '../../src/core/result';
import type { CompareView } from '../../src/protocol/webview';
import { compareChartSpec, compareXAxis, hasHeldOut, legendEntries, rowX, runSeries } from '../../webview/compare/data/compareCharts';
import { seriesStyle } from '../../webview/compare/data/runStyle';
import { layer, tinyResult } from './helpers';

/** Same data and architecture as tinyResult (layers a, b, c), other numbers. */
function otherRun(): AnalysisResult {
  const r = tinyResult();
  r.checkpoint = { ...r.checkpoint, path: '/models/other.onnx' };
  r.layers = [
    layer('a', 0, { nc1: 4, nccAccuracy: 0.5, cdnv: 2, etfDistance: 0.9 }, { nc1: 6, nccAccuracy: 0.45 }),
    layer('b', 1, { nc1: 0.4, nccAccuracy: 0.9, cdnv: 0.5 }, { nc1: 1.5, nccAccuracy: 0.8 }),
    layer('c', 2, { nc1: 0.05, nccAccuracy: 1, cdnv: 0.01, etfDistance: 0.1 }, { nc1: 0.8, nccAccuracy: 0.85 }),
  ];
  return r;
}

function view(results: AnalysisResult[], labels: string[]): CompareView {
  return { runs: results.map((result, i) => ({ runId: `id-${i}`, label: labels[i]!, result })), comparison: compareResults(results, labels, false) };
}

/** A five-layer net with other layer names: the comparison falls back to relative depth. */
function deeperRun(): AnalysisResult {
  const r = tinyResult();
  r.layers = [0, 1, 2, 3, 4].map((i) => layer(`deep${i}`, i, { nc1: 10 ** -i, nccAccuracy: 0.5 + i / 10 }));
  return r;
}

const options = { split: 'train' as const, nc2Metric: 'etfDistance' as const, hidden: new Set<number>(), selectedKey: null };

test('one series per run in run order, as many points as aligned rows, the runs\' own values', () => {
  const v = view([tinyResult(), otherRun()], ['base', 'other']);
  const series = runSeries(v, 'nc1', 'train', new Set());
  assert.deepEqual(series.map((s) => [s.id, s.label]), [['run-0', 'base'], ['run-1', 'other']]);
  for (const s of series) assert.equal(s.points.length, v.comparison.rows.length);
  assert.deepEqual(series[0]!.points.map((p) => [p.x, p.y, p.key]), [[0, 4, 'a'], [1, null, 'b'], [2, 0.5, 'c']]);
  assert.deepEqual(series[1]!.points.map((p) => p.y), [4, 0.4, 0.05]);
  assert.deepEqual(runSeries(v, 'nccAccuracy', 'test', new Set())[1]!.points.map((p) => p.y), [0.45, 0.8, 0.85]);
});

test('colours follow run order and stay with the run when another run is hidden', () => {
  const v = view([tinyResult(), otherRun(), otherRun()], ['a', 'b', 'c']);
  assert.deepEqual(legendEntries(v).map((e) => [e.index, e.label, e.color, e.runId]), [[0, 'a', 'blue', 'id-0'], [1, 'b', 'orange', 'id-1'], [2, 'c', 'green', 'id-2']]);
  const shown = runSeries(v, 'nc1', 'train', new Set([0]));
  assert.deepEqual(shown.map((s) => [s.id, s.color]), [['run-1', 'orange'], ['run-2', 'green']]);
  const spec = compareChartSpec(v, 'nc1', { ...options, hidden: new Set([0]) });
  assert.match(spec.note ?? '', /1 run\(s\) hidden/);
});

test('past six runs the colours repeat dashed', () => {
  assert.deepEqual(seriesStyle(0), { color: 'blue', dashed: false });
  assert.deepEqual(seriesStyle(5), { color: 'yellow', dashed: false });
  assert.deepEqual(seriesStyle(6), { color: 'blue', dashed: true });
  assert.deepEqual(seriesStyle(12), { color: 'blue', dashed: false });
});

test('relative depth: x is relative depth in the first run\'s steps, ticks read 0 … 1, and the chart says so', () => {
  // Base run: 5 layers (relative depths 0, .25, .5, .75, 1); the other: 3 layers at 0, .5, 1.
  const v = view([deeperRun(), tinyResult()], ['deep', 'tiny']);
  assert.equal(v.comparison.alignment, 'relative-depth');
  const rows = v.comparison.rows;
  assert.deepEqual(rows.map((r) => r.relativeDepth), [0, 0.25, 0.5, 0.75, 1]);
  assert.deepEqual(rows.map((_, i) => rowX(v.comparison, i)), [0, 1, 2, 3, 4]);
  const axis = compareXAxis(v.comparison);
  assert.match(axis.label, /^Relative depth \(0 = first probe, 1 = last\)/);
  assert.deepEqual(axis.ticks, [
    { x: 0, label: '0' },
    { x: 1, label: '0.25' },
    { x: 2, label: '0.5' },
    { x: 3, label: '0.75' },
    { x: 4, label: '1' },
  ]);
  const spec = compareChartSpec(v, 'nc1', options);
  assert.equal(spec.xLabel, axis.label);
  assert.deepEqual(spec.xTicks, axis.ticks);
  assert.ok(spec.note?.startsWith('Layers aligned by relative depth'), spec.note);
  // The shallow run's points are its layers nearest each relative depth: a at 0, b at .5, c at 1.
  const tiny = runSeries(v, 'nccAccuracy', 'train', new Set())[1]!;
  assert.equal(tiny.points.length, 5);
  assert.equal(tiny.points[0]!.y, 0.5);
  assert.equal(tiny.points[2]!.y, 0.8);
  assert.equal(tiny.points[4]!.y, 0.995);
  // The tooltip names each run's aligned layer.
  assert.deepEqual(tiny.points[2]!.tooltip.rows.slice(0, 2).map((r) => r.label), ['deep · deep2', 'tiny · b']);
});

test('name alignment: x is the depth index, ticked with the layers\' short names, no relative-depth caption', () => {
  const v = view([tinyResult(), otherRun()], ['base', 'other']);
  const axis = compareXAxis(v.comparison);
  assert.deepEqual(axis.ticks, v.comparison.rows.map((r, i) => ({ x: i, label: r.key })));
  assert.match(axis.label, /^Probed layer/);
  assert.doesNotMatch(compareChartSpec(v, 'ncc', options).note ?? '', /relative depth/);
});

test('the tooltip lists every shown run at six digits and the change, last against first', () => {
  const v = view([tinyResult(), otherRun()], ['base', 'other']);
  const tip = runSeries(v, 'nc1', 'train', new Set())[0]!.points[2]!.tooltip;
  assert.equal(tip.title, 'c · train NC1');
  // log10(0.05 / 0.5) = -1.
  assert.deepEqual(tip.rows, [
    { label: 'base', value: '0.500000' },
    { label: 'other', value: '0.0500000' },
    { label: 'Δlog10 NC1 (train), other vs base', value: '−1.0000' },
  ]);
});

test('chart specs: log NC1 and CDNV, NCC in percent on [0, 1], the chosen NC2 number, the split in the title', () => {
  const v = view([tinyResult(), otherRun()], ['base', 'other']);
  const nc1 = compareChartSpec(v, 'nc1', options);
  assert.equal(nc1.yScale, 'log');
  assert.match(nc1.note ?? '', /1 value\(s\) not computed/);
  assert.equal(compareChartSpec(v, 'cdnv', options).yScale, 'log');
  const ncc = compareChartSpec(v, 'ncc', { ...options, split: 'test' });
  assert.deepEqual([ncc.yScale, ncc.yFormat, ncc.yDomain], ['linear', 'percent', [0, 1]]);
  assert.match(ncc.title, /\(held-out\)$/);
  assert.deepEqual(ncc.series[0]!.points.map((p) => p.y), [0.4, 0.7, 0.75]);
  const nc2 = compareChartSpec(v, 'nc2', { ...options, nc2Metric: 'equinorm' });
  assert.equal(nc2.id, 'nc2-equinorm');
  assert.match(nc2.title, /^NC2 · Equinorm/);
  assert.equal(compareChartSpec(v, 'nc1', { ...options, selectedKey: 'b' }).selectedKey, 'b');
});

test('held-out availability', () => {
  assert.equal(hasHeldOut(view([tinyResult(), otherRun()], ['a', 'b']).comparison), true);
  const strip = (r: AnalysisResult): AnalysisResult => {
    delete r.splits.test;
    delete r.dataset.test;
    for (const l of r.layers) delete l.metrics.test;
    return r;
  };
  assert.equal(hasHeldOut(view([strip(tinyResult()), strip(otherRun())], ['a', 'b']).comparison), false);
});

test('a low-rank NC1 (Σ_B rank < K−1) is ringed in the run\'s series, named in the tooltip and explained in the note', () => {
  const narrow = otherRun(); // K = 3
  narrow.layers[2]!.metrics.train.nc1Rank = 1;
  const v = view([tinyResult(), narrow], ['base', 'narrow']);
  assert.deepEqual(v.comparison.rows[2]!.cells[1]!.nc1LowRank, ['train']);
  assert.equal(v.comparison.rows[2]!.cells[0]!.nc1LowRank, undefined);
  const spec = compareChartSpec(v, 'nc1', options);
  assert.deepEqual(spec.series.map((s) => s.points.map((p) => p.marked === true)), [[false, false, false], [false, false, true]]);
  assert.match(spec.series[1]!.points[2]!.tooltip.rows[1]!.value, /\(low rank: Σ_B rank < K−1\)$/);
  assert.match(spec.note ?? '', /1 ringed value\(s\)/);
  assert.ok(compareChartSpec(v, 'nc1', { ...options, split: 'test' }).series.every((s) => s.points.every((p) => p.marked !== true)));
});
