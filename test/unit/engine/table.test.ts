/**
 * The tables the CLI prints: an NC1 over a low-rank Σ_B (rank < K−1) is marked "*" with a footnote that
 * says why, in the analysis table and in the comparison's table; the footer counts what reading images changed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatLayerTable } from '../../../src/engine/cli/table';
import { formatCompareTable } from '../../../src/engine/cli/compareTable';
import { compareResults } from '../../../src/core/compare';
import { syntheticResult } from '../helpers/syntheticResult';

/** K = 10; "fc8" has Σ_B rank 4 < 9 and the smallest NC1 (the 8-wide layer: NC1 0.008, NCC 1.25 %). */
function withNarrowLayer(label = 'model.onnx') {
  const result = syntheticResult({
    checkpoint: label,
    layers: [
      { name: 'conv', nc1: 2.5, ncc: 0.5 },
      { name: 'fc8', nc1: 0.008, ncc: 0.0125 },
      { name: 'fc', nc1: 0.3, ncc: 0.99 },
    ],
  });
  result.layers[1]!.metrics.train.nc1Rank = 4;
  return result;
}

const rowOf = (table: string, layer: string): string => table.split('\n').find((l) => new RegExp(`^\\d+\\s+${layer}\\s`).test(l)) ?? '';

test('the layer table marks a low-rank NC1 and explains it under the table', () => {
  const table = formatLayerTable(withNarrowLayer());
  assert.match(rowOf(table, 'fc8'), /\s0\.0080\*\s/);
  assert.doesNotMatch(rowOf(table, 'fc'), /\*/);
  assert.doesNotMatch(rowOf(table, 'conv'), /\*/);
  const footnote = table.split('\n').find((l) => l.startsWith('*')) ?? '';
  assert.match(footnote, /^\* NC1 over rank r < K−1 = 9 of Σ_B/);
  assert.match(footnote, /does not mean the classes are separated/);
  assert.match(footnote, /fc8 \(train rank 4\)/);
  // The marked and unmarked NC1 cells keep their digits in one column.
  assert.equal(rowOf(table, 'fc8').indexOf('0.0080*'), rowOf(table, 'fc').indexOf('0.3000 '));
});

test('no footnote and no padding when every NC1 is full rank', () => {
  const result = withNarrowLayer();
  result.layers[1]!.metrics.train.nc1Rank = 9;
  const table = formatLayerTable(result);
  assert.doesNotMatch(table, /\*/);
  assert.match(rowOf(table, 'fc8'), /\s0\.0080\s+0\.0125/);
});

test('the compare table marks an NC1 change and a penultimate NC1 that involve a low-rank NC1', () => {
  const before = withNarrowLayer('a.onnx');
  const after = withNarrowLayer('b.onnx');
  after.layers[1]!.metrics.train.nc1 = 0.004;
  for (const r of [before, after]) {
    r.classifier = { input: 'fc8', nc3: 0.1, nc4: { train: 0.01 }, weights: { equinorm: null, equiangularity: null, maxAngle: null, etfDistance: null } };
  }
  const table = formatCompareTable(compareResults([before, after], ['a', 'b'], false));
  const lines = table.split('\n');
  assert.match(lines.find((l) => l.startsWith('fc8 ')) ?? '', /-0\.301\*/);
  assert.doesNotMatch(lines.find((l) => l.startsWith('fc ')) ?? '', /\*/);
  assert.match(lines.find((l) => l.startsWith('a: ')) ?? '', /penultimate NC1 0\.00800\*/);
  assert.ok(lines.some((l) => l.startsWith('* involves an NC1 over a low-rank Σ_B')), table);
});


test('the CLI table footer counts skipped, resized and converted images per split; the warnings name example files', () => {
  const result = syntheticResult({ layers: [{ name: 'a', nc1: 1, ncc: 0.5 }] });
  result.dataset.train = {
    source: 'data/train',
    format: 'image-folder',
    skipped: { count: 2, examples: ['cat/1.png (truncated PNG)', 'dog/4.png (empty file)'] },
    resized: { count: 3, examples: ['cat/0.png (100x100)'], to: { width: 28, height: 28 } },
    converted: { count: 1, examples: ['dog/2.png (grey -> RGB)'], to: 'rgb', kinds: { 'grey-to-rgb': 1 } },
  };
  result.dataset.test = { source: 'data/test', format: 'image-folder' };
  result.warnings = ['train: 3 image(s) resized to 28x28 (the model input\'s size), e.g. cat/0.png (100x100)'];
  const lines = formatLayerTable(result).split('\n');
  assert.ok(lines.includes('train images: 2 skipped (corrupt) · 3 resized to 28x28 · 1 converted to RGB'), lines.join('\n'));
  assert.ok(!lines.some((l) => l.startsWith('test images:')), 'a split with nothing changed gets no line');
  assert.ok(lines.includes("warning: train: 3 image(s) resized to 28x28 (the model input's size), e.g. cat/0.png (100x100)"));
});

test('the layer table gets a reduce column as soon as one layer is not flattened, and not before', () => {
  const result = withNarrowLayer();
  assert.doesNotMatch(formatLayerTable(result), /reduce/);
  for (const l of result.layers) l.reduction = 'flatten';
  result.layers[0]!.reduction = 'cls';
  const table = formatLayerTable(result);
  assert.match(table.split('\n').find((l) => l.startsWith('#')) ?? '', /^#\s+layer\s+op\s+reduce\s+dim\s/);
  assert.match(rowOf(table, 'conv'), /\scls\s/);
  assert.match(rowOf(table, 'fc'), /\sflatten\s/);
});
