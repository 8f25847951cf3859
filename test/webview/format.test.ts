import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCount, formatDuration, formatExact, formatPercent, formatPercentExact, formatShort, MISSING } from '../../webview/common/format';

test('formatExact keeps six significant digits and says n/a for null or non-finite', () => {
  assert.equal(formatExact(0.0302), '0.0302000');
  assert.equal(formatExact(6.598412), '6.59841');
  assert.equal(formatExact(1234567), '1.23457e+6');
  assert.equal(formatExact(0), '0');
  assert.equal(formatExact(null), MISSING);
  assert.equal(formatExact(Number.NaN), MISSING);
});

test('formatShort rounds to three significant digits without trailing zeros', () => {
  assert.equal(formatShort(0.037400), '0.0374');
  assert.equal(formatShort(6.5984), '6.6');
  assert.equal(formatShort(25088), '25100');
  assert.equal(formatShort(0.00012345), '1.23e-4');
  assert.equal(formatShort(2.0), '2');
  assert.equal(formatShort(undefined), MISSING);
});

test('percentages', () => {
  assert.equal(formatPercent(0.8962), '89.6%');
  assert.equal(formatPercent(1), '100.0%');
  assert.equal(formatPercent(0.0015, 2), '0.15%');
  assert.equal(formatPercentExact(0.99051), '99.0510%');
  assert.equal(formatPercent(null), MISSING);
});

test('durations and counts', () => {
  assert.equal(formatDuration(0.834), '0.83 s');
  assert.equal(formatDuration(12.34), '12.3 s');
  assert.equal(formatDuration(125), '2 min 05 s');
  assert.equal(formatDuration(3720), '1 h 02 min');
  assert.equal(formatDuration(-1), MISSING);
  assert.equal(formatCount(1234567), '1,234,567');
  assert.equal(formatCount(999), '999');
});
