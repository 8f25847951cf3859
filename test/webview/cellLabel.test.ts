/**
 * A heatmap's cell values are written only in a form that fits every cell ("-0.088" and "0.0079"
 * overflowed 34 px cells), the same form for the whole matrix, or not at all.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cellLabeler, CELL_FONT_SIZE } from '../../webview/charts/cellLabel';
import { textWidth } from '../../webview/charts/textWidth';

const ISSUE_VALUES = [-0.088, 0.0079, 0.063];

test('the values that overflowed 34 px cells are written with one digit, without the leading zero, and fit', () => {
  const label = cellLabeler(ISSUE_VALUES, 34, true);
  assert.ok(label);
  assert.deepEqual(ISSUE_VALUES.map(label), ['−.09', '.008', '.06']);
  for (const v of ISSUE_VALUES) assert.ok(textWidth(label(v), CELL_FONT_SIZE) <= 34 - 6, label(v));
});

test('wide cells keep two significant digits; a cosine of ±1 reads 1 / −1', () => {
  const label = cellLabeler([...ISSUE_VALUES, 1, -0.999], 60, true);
  assert.ok(label);
  assert.deepEqual([...ISSUE_VALUES, 1, -0.999].map(label), ['−.088', '.0079', '.063', '1', '−1']);
});

test('when one value cannot fit, no cell is written (a blank cell would read as empty); the tooltip has every value', () => {
  // ".2" fits a 22 px cell, "−.1" does not: all or nothing.
  assert.equal(cellLabeler([0.2, 0.3, -0.1], 22, true), null);
  assert.ok(cellLabeler([0.2, 0.3, 0.4], 22, true));
  assert.equal(cellLabeler([-0.088], 14, true), null);
});
