/**
 * The differences table and its CSV: largest change first, the sign read as a direction of collapse,
 * the CSV's columns, order and full-precision numbers. The expected numbers are worked out by hand from
 * the values put in the runs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareResults } from '../../src/core/compare/compareResult';
import type { AnalysisResult } from '../../src/core/result';
import { changeCaption, changeDirection, differenceRows, differencesCsv } from '../../webview/compare/data/differences';
import { summaryCells, summaryLine } from '../../webview/compare/data/summaries';
import { layer, tinyResult } from './helpers';

function run(nc1: number[], ncc: number[], cdnv: number[]): AnalysisResult {
  const r = tinyResult();
  r.layers = ['a', 'b', 'c'].map((name, i) => layer(name, i, { nc1: nc1[i]!, nccAccuracy: ncc[i]!, cdnv: cdnv[i]!, etfDistance: 0.5 }));
  return r;
}

// Δlog10 NC1 = [0, log10(0.2 / 2) = -1, 0]; ΔNCC = [0, 0, 0.25]; Δlog10 CDNV = [log10(2) ≈ 0.301, 0, 0].
const first = run([4, 2, 1], [0.5, 0.6, 0.7], [1, 1, 1]);
const last = run([4, 0.2, 1], [0.5, 0.6, 0.95], [2, 1, 1]);
const comparison = compareResults([first, last], ['before, v1', 'after'], false);

test('rows come largest change first, with each change and its direction', () => {
  const rows = differenceRows(comparison);
  assert.deepEqual(rows.map((r) => r.key), ['b', 'a', 'c']);
  assert.deepEqual(rows.map((r) => r.depthIndex), [1, 0, 2]);
  const [b, a, c] = rows;
  assert.equal(b!.cells[0]!.value, -1);
  assert.equal(b!.cells[0]!.direction, 'collapse');
  assert.ok(Math.abs(a!.cells[2]!.value! - Math.log10(2)) < 1e-12);
  assert.equal(a!.cells[2]!.direction, 'spread');
  assert.ok(Math.abs(c!.cells[1]!.value! - 0.25) < 1e-12);
  assert.equal(c!.cells[1]!.direction, 'collapse');
  assert.equal(c!.cells[3]!.direction, 'none');
  assert.deepEqual(b!.layers, ['b', 'b']);
});

test('the direction of a change: lower NC1/CDNV/ETF distance and higher NCC accuracy are toward collapse', () => {
  assert.equal(changeDirection('nc1', -0.2), 'collapse');
  assert.equal(changeDirection('cdnv', 0.2), 'spread');
  assert.equal(changeDirection('etfDistance', -0.01), 'collapse');
  assert.equal(changeDirection('nccAccuracy', -0.01), 'spread');
  assert.equal(changeDirection('nccAccuracy', 0.0001), 'none');
  assert.equal(changeDirection('nc1', null), 'none');
});

test('the caption names the two runs the change is between', () => {
  assert.match(changeCaption(comparison), /^Δ = after against before, v1, training split: log10 ratio for NC1 and CDNV/);
});

test('CSV: a header, one line per row largest first, every metric at full precision, empty for null, quoted labels', () => {
  const csv = differencesCsv(comparison);
  assert.ok(csv.endsWith('\r\n'));
  const lines = csv.trimEnd().split('\r\n');
  assert.equal(lines.length, 4);
  const header = lines[0]!.split(',');
  assert.deepEqual(header.slice(0, 11), ['rank', 'layer', 'relative_depth', 'score', 'dlog10_nc1', 'd_ncc_accuracy', 'dlog10_cdnv', 'd_etf_distance', 'd_equinorm', 'd_equiangularity', 'd_max_angle']);
  assert.ok(lines[0]!.includes('"before, v1 layer","before, v1 nc1"'));
  assert.ok(lines[0]!.endsWith(',after max_angle'));
  const b = lines[1]!.split(',');
  // rank, key, relative depth of b (1 of 0..2 = 0.5), score, Δlog10 NC1 = -1, ΔNCC 0, Δlog10 CDNV 0, ΔETF 0, three nulls.
  assert.deepEqual(b.slice(0, 11), ['1', 'b', '0.5', '1', '-1', '0', '0', '0', '', '', '']);
  // First run's aligned layer and its training values, then the last run's.
  assert.deepEqual(b.slice(11, 16), ['b', '2', '0.6', '1', '0.5']);
  assert.deepEqual(b.slice(19, 24), ['b', '0.2', '0.6', '1', '0.5']);
  // rank, layer, relative depth, score, 7 changes, then per run its layer and 7 values.
  assert.equal(b.length, 4 + 7 + 2 * (1 + 7));
  assert.equal(lines[2]!.split(',')[1], 'a');
  assert.equal(lines[2]!.split(',')[6], String(Math.log10(2)));
});

test('summary line per run: accuracy, effective depth, penultimate NC1, NC3, NC4', () => {
  const s = comparison.runs[0]!.summary;
  const cells = summaryCells(s);
  // tinyResult: train accuracy 0.9, test 0.8, effective depth at layer c, no classifier.
  assert.equal(cells.accuracy, '90.0% / 80.0%');
  assert.equal(cells.effectiveDepth, 'c');
  assert.equal(cells.penultimateNc1, 'n/a');
  assert.equal(cells.nc4, 'n/a / n/a');
  assert.equal(cells.mostCollapsed, 'c (NC1 1)');
  const withClassifier = { ...s, penultimateNc1: 0.31904, nc3: 0.312, nc4Train: 0.016, nc4Test: 0.06, effectiveDepth: null };
  assert.equal(summaryLine(withClassifier), 'before, v1: accuracy 90.0% / 80.0%, effective depth not reached, penultimate NC1 0.319, NC3 0.312, NC4 1.60% / 6.00%');
  // Exported tensor names read as the charts name them.
  const exported = { ...s, effectiveDepth: '/block2/pool/MaxPool_output_0', mostCollapsed: { layer: '/fc2/Relu_output_0', nc1: 0.03 } };
  assert.equal(summaryCells(exported).effectiveDepth, 'block2/pool');
  assert.equal(summaryCells(exported).mostCollapsed, 'fc2 (NC1 0.03)');
});

test('an NC1 change involving a low-rank NC1 is marked; the summary marks the penultimate NC1 and says when no layer is recommended', () => {
  const lowFirst = run([4, 2, 1], [0.5, 0.6, 0.7], [1, 1, 1]);
  for (const l of lowFirst.layers) l.metrics.train.nc1Rank = 1; // K = 3: every NC1 low-rank
  lowFirst.classifier = { input: 'b', nc3: 0.1, nc4: { train: 0.01 }, weights: { equinorm: null, equiangularity: null, maxAngle: null, etfDistance: null } };
  const marked = compareResults([lowFirst, last], ['low', 'after'], false);
  const rows = differenceRows(marked);
  assert.ok(rows.every((r) => r.cells[0]!.lowRank === true), 'every NC1 change starts from a low-rank NC1');
  assert.ok(rows.every((r) => r.cells.slice(1).every((c) => c.lowRank === undefined)), 'only the NC1 change is marked');
  assert.ok(differenceRows(comparison).every((r) => r.cells[0]!.lowRank === undefined));
  const cells = summaryCells(marked.runs[0]!.summary);
  assert.equal(cells.penultimateNc1, '2*');
  assert.equal(cells.mostCollapsed, 'none (every NC1 is low-rank)');
  assert.deepEqual(marked.runs[0]!.summary.mostCollapsedLowRankExcluded, ['a', 'b', 'c']);
});
