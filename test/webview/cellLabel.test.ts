/**
 * A heatmap cell's value is written only in a form that fits the cell ("-0.088" and "0.0079" overflowed
 * 34 px cells), shortened without changing its value's meaning, or not at all.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cellLabel, CELL_FONT_SIZE } from '../../webview/charts/cellLabel';
import { textWidth } from '../../webview/charts/textWidth';

test('values that overflowed a 34 px cell are written in a shorter form that fits', () => {
  for (const [value, text] of [
    [-0.088, '−.09'],
    [0.0079, '.008'],
    [0.063, '.063'],
  ] as const) {
    const label = cellLabel(value, 34, false);
    assert.notEqual(label, null, String(value));
    assert.ok(textWidth(label!, CELL_FONT_SIZE) <= 34 - 6, `${label} fits`);
    assert.equal(label, text, String(value));
  }
  assert.equal(cellLabel(-0.088, 34, true), '−.09');
});

test('a wide cell keeps two significant digits; a cosine of ±1 reads 1 / −1', () => {
  assert.equal(cellLabel(-0.088, 60, true), '−.088');
  assert.equal(cellLabel(0.0079, 60, false), '.0079');
  assert.equal(cellLabel(1, 20, true), '1');
  assert.equal(cellLabel(-0.999, 20, true), '−1');
});

test('a cell too small for any faithful form gets no label (the tooltip has the value)', () => {
  assert.equal(cellLabel(-0.088, 14, true), null);
  assert.equal(cellLabel(0.00012, 20, false), null);
});
