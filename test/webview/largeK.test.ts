/**
 * The panel at K = 100 and K = 1,000, in its DOM-free parts: the bitmap heatmap's cell lookup (hover and
 * keyboard), its pixels and colour table, the most-confused-pairs order on a large matrix, the projection's
 * featured classes, legend rows and class search. What needs a page (no per-cell rects in the DOM, a
 * hover's tooltip) is checked in e2e/tests/bigK.test.mjs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cellAt, colourTable, moveCursor, RASTER_MIN_CLASSES, rasterPixels, type GridGeometry } from '../../webview/charts/gridLookup';
import { scatterLegend } from '../../webview/charts/scatterLegend';
import { featuredClasses, findClass, mostConfusedPairs, projectionScatter } from '../../webview/analysis/data/layerDetail';
import type { ScatterSpec } from '../../webview/charts/types';
import { layer, tinyResult } from './helpers';

test('the bitmap takes over above 40 classes: K = 100 and K = 1,000 are drawn as one image, K = 10 as cells', () => {
  assert.equal(RASTER_MIN_CLASSES, 40);
});

test('cellAt: the cell under a point, from the grid origin and the cell size, fractional cells included', () => {
  const grid: GridGeometry = { left: 50, top: 8, cell: 7, k: 100 };
  assert.deepEqual(cellAt(grid, 50, 8), { row: 0, col: 0 });
  assert.deepEqual(cellAt(grid, 56.99, 14.99), { row: 0, col: 0 });
  assert.deepEqual(cellAt(grid, 57, 8), { row: 0, col: 1 }, 'the right edge of a cell is the next cell');
  assert.deepEqual(cellAt(grid, 50 + 7 * 42 + 3, 8 + 7 * 17 + 6), { row: 17, col: 42 });
  assert.deepEqual(cellAt(grid, 50 + 700 - 0.01, 8 + 700 - 0.01), { row: 99, col: 99 });
  for (const [x, y] of [[49.9, 20], [60, 7.9], [750, 20], [60, 708], [Number.NaN, 20]] as const) {
    assert.equal(cellAt(grid, x, y), null, `(${x}, ${y}) is outside the grid`);
  }
  // K = 1,000 on a 650-pixel grid: 0.65 px a cell.
  const big: GridGeometry = { left: 10, top: 0, cell: 0.65, k: 1000 };
  assert.deepEqual(cellAt(big, 10 + 0.65 * 523 + 0.3, 0.65 * 999 + 0.1), { row: 999, col: 523 });
  assert.equal(cellAt(big, 10 + 650.01, 3), null);
  assert.equal(cellAt({ ...big, cell: 0 }, 20, 3), null, 'a grid of no size has no cells');
});

test('the keyboard cursor moves by cell, ten rows with PageUp/PageDown, to the row ends with Home/End, and stays inside', () => {
  const k = 100;
  assert.deepEqual(moveCursor({ row: 5, col: 5 }, 'ArrowRight', k), { row: 5, col: 6 });
  assert.deepEqual(moveCursor({ row: 5, col: 5 }, 'ArrowUp', k), { row: 4, col: 5 });
  assert.deepEqual(moveCursor({ row: 95, col: 5 }, 'PageDown', k), { row: 99, col: 5 });
  assert.deepEqual(moveCursor({ row: 0, col: 0 }, 'ArrowLeft', k), { row: 0, col: 0 });
  assert.deepEqual(moveCursor({ row: 3, col: 40 }, 'End', k), { row: 3, col: 99 });
  assert.deepEqual(moveCursor({ row: 3, col: 40 }, 'Home', k), { row: 3, col: 0 });
  assert.equal(moveCursor({ row: 3, col: 40 }, 'a', k), null);
});

test('rasterPixels: one opaque RGBA pixel per cell, row-major, as the paint function says', () => {
  const k = 3;
  const pixels = rasterPixels(k, (r, c) => [r * 10, c * 10, r === c ? 255 : 0]);
  assert.equal(pixels.length, k * k * 4);
  const at = (r: number, c: number): number[] => Array.from(pixels.subarray((r * k + c) * 4, (r * k + c) * 4 + 4));
  assert.deepEqual(at(0, 0), [0, 0, 255, 255]);
  assert.deepEqual(at(1, 2), [10, 20, 0, 255]);
  assert.deepEqual(at(2, 1), [20, 10, 0, 255]);
});

test('colourTable: ends and middle of the interpolator, positions clamped, non-finite at the low end', () => {
  const table = colourTable((t) => `rgb(${Math.round(t * 255)}, 0, ${Math.round((1 - t) * 255)})`);
  assert.deepEqual(table(0), [0, 0, 255]);
  assert.deepEqual(table(1), [255, 0, 0]);
  assert.deepEqual(table(0.5), [128, 0, 127]);
  assert.deepEqual(table(-3), [0, 0, 255]);
  assert.deepEqual(table(7), [255, 0, 0]);
  assert.deepEqual(table(Number.NaN), [0, 0, 255]);
});

/** A K x K symmetric CDNV matrix with chosen large pairs and small noise elsewhere. */
function cdnvMatrix(k: number, large: [number, number, number][]): (number | null)[][] {
  const m = Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => (i === j ? 0 : 0.001 + ((i * 31 + j * 17) % 97) * 1e-6) as number | null));
  for (let i = 0; i < k; i++) for (let j = 0; j < i; j++) m[i]![j] = m[j]![i]!;
  for (const [a, b, v] of large) {
    m[a]![b] = v;
    m[b]![a] = v;
  }
  return m;
}

test('most confused pairs at K = 1,000: the top ten by CDNV, highest first, ties by class index, as a full sort gives', () => {
  const large: [number, number, number][] = [
    [998, 999, 5],
    [3, 700, 9],
    [12, 13, 7],
    [400, 401, 7],
    [0, 999, 0.5],
  ];
  const m = cdnvMatrix(1000, large);
  m[250]![251] = null;
  m[251]![250] = null;
  const top = mostConfusedPairs(m, 10);
  assert.deepEqual(top.slice(0, 5), [
    { a: 3, b: 700, value: 9 },
    { a: 12, b: 13, value: 7 },
    { a: 400, b: 401, value: 7 },
    { a: 998, b: 999, value: 5 },
    { a: 0, b: 999, value: 0.5 },
  ]);
  assert.equal(top.length, 10);
  for (let i = 1; i < top.length; i++) assert.ok(top[i - 1]!.value >= top[i]!.value, 'descending');
  // The same order as sorting every pair (on a K = 60 matrix, where that is cheap).
  const small = cdnvMatrix(60, [[1, 2, 3]]);
  const all: { a: number; b: number; value: number }[] = [];
  for (let a = 0; a < 60; a++) for (let b = a + 1; b < 60; b++) all.push({ a, b, value: small[a]![b]! });
  all.sort((x, y) => y.value - x.value || x.a - y.a || x.b - y.b);
  assert.deepEqual(mostConfusedPairs(small, 25), all.slice(0, 25));
});

test('featured classes: those of the most confused pairs in order, filled up with the lowest indices', () => {
  const m = cdnvMatrix(100, [[40, 41, 9], [7, 41, 8], [90, 3, 6]]);
  const featured = featuredClasses(m, 100, 10);
  assert.equal(featured.length, 10);
  assert.deepEqual(featured.slice(0, 5), [40, 41, 7, 3, 90]);
  assert.equal(new Set(featured).size, 10, 'no class twice');
  assert.deepEqual(featuredClasses(null, 100, 4), [0, 1, 2, 3], 'without a CDNV matrix: the first classes');
  assert.deepEqual(featuredClasses(null, 3, 10), [0, 1, 2]);
});

function spec(k: number, featured?: number[], highlight?: number | null): ScatterSpec {
  return {
    id: 'p',
    title: 't',
    groupLabels: Array.from({ length: k }, (_, i) => `class_${i}`),
    points: [],
    centres: [],
    xLabel: 'x',
    yLabel: 'y',
    ...(featured ? { featured } : {}),
    ...(highlight !== undefined ? { highlight } : {}),
  };
}

test('legend at K = 1,000: the featured classes, the searched one, and one row for the rest', () => {
  const { named, rows } = scatterLegend(spec(1000, [5, 9, 1]));
  assert.deepEqual([...named], [5, 9, 1]);
  assert.deepEqual(rows, [
    { label: 'class_5', group: 5 },
    { label: 'class_9', group: 9 },
    { label: 'class_1', group: 1 },
    { label: '997 other classes', group: null },
  ]);
  const searched = scatterLegend(spec(1000, [5, 9, 1], 777));
  assert.deepEqual(searched.rows.map((r) => r.label), ['class_5', 'class_9', 'class_1', 'class_777', '996 other classes']);
  const already = scatterLegend(spec(1000, [5, 9, 1], 9));
  assert.equal(already.rows.length, 4, 'a featured class searched is listed once');
  // Up to 20 classes without `featured`: every class is listed and named, as before.
  assert.equal(scatterLegend(spec(10)).rows.length, 10);
  assert.equal(scatterLegend(spec(10)).named.size, 10);
});

test('projectionScatter features ten classes above 20 classes, none at K = 10', () => {
  const k = 100;
  const result = tinyResult();
  result.classes = { count: k, names: Array.from({ length: k }, (_, i) => `c${i}`) };
  const projection = { means: Array.from({ length: k }, (_, i): [number, number] => [Math.cos(i), Math.sin(i)]) };
  result.layers = [layer('z', 0, { projection, cdnvMatrix: cdnvMatrix(k, [[10, 20, 4]]) })];
  const big = projectionScatter(result, result.layers[0]!, 'train');
  assert.equal(big?.spec.featured?.length, 10);
  assert.deepEqual(big?.spec.featured?.slice(0, 2), [10, 20]);
  const ten = tinyResult();
  ten.layers = [layer('z', 0, { projection: { means: [[0, 1], [1, 0], [0, 0]] } })];
  assert.equal(projectionScatter(ten, ten.layers[0]!, 'train')?.spec.featured, undefined);
});

test('class search: exact name first (any case), then a prefix, then a substring; nothing for empty or unknown text', () => {
  const names = ['apple', 'aquarium_fish', 'maple_tree', 'Maple', 'oak_tree', 'pine_tree'];
  assert.equal(findClass(names, 'maple'), 3, 'the exact name wins over an earlier prefix match');
  assert.equal(findClass(names, '  OAK'), 4);
  assert.equal(findClass(names, 'tree'), 2, 'substring: the first name holding it');
  assert.equal(findClass(names, 'aq'), 1);
  assert.equal(findClass(names, ''), null);
  assert.equal(findClass(names, '   '), null);
  assert.equal(findClass(names, 'zebra'), null);
});

test('the most similar class means: the largest cosines off the diagonal (the 1s of the diagonal are never a pair)', () => {
  const k = 50;
  const cos = Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => (i === j ? 1 : -1 / (k - 1)) as number | null));
  cos[7]![31] = 0.8;
  cos[31]![7] = 0.8;
  cos[2]![3] = 0.5;
  cos[3]![2] = 0.5;
  assert.deepEqual(mostConfusedPairs(cos, 2), [
    { a: 7, b: 31, value: 0.8 },
    { a: 2, b: 3, value: 0.5 },
  ]);
});
