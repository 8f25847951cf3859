import { test } from 'node:test';
import assert from 'node:assert/strict';
import { linearDomain, logDomain, logPlottable } from '../../webview/charts/domain';

test('logDomain spans whole decades around the positive values and skips nulls', () => {
  // min 0.0302 lies in [0.01, 0.1), max 6.6 in [1, 10): the domain is [0.01, 10].
  assert.deepEqual(logDomain([6.6, null, 0.0302, 1.2, undefined]), { domain: [0.01, 10], hiddenNonPositive: 0 });
});

test('logDomain counts values a log axis cannot show, without letting them into the domain', () => {
  const d = logDomain([0, -1, 0.5, 2]);
  assert.deepEqual(d.domain, [0.1, 10]);
  assert.equal(d.hiddenNonPositive, 2);
});

test('logDomain widens a single decade and keeps exact powers of ten in their own decade', () => {
  assert.deepEqual(logDomain([2, 3]).domain, [1, 10]);
  assert.deepEqual(logDomain([1, 10]).domain, [1, 10]);
  assert.deepEqual(logDomain([0.1]).domain, [0.1, 1]);
});

test('logDomain falls back when there is nothing to show', () => {
  assert.deepEqual(logDomain([null, null]).domain, [0.01, 10]);
  assert.deepEqual(logDomain([], [1, 100]).domain, [1, 100]);
});

test('logPlottable turns values a log axis cannot hold into gaps', () => {
  assert.equal(logPlottable(0.5), 0.5);
  assert.equal(logPlottable(0), null);
  assert.equal(logPlottable(null), null);
});

test('linearDomain pads the range and includes zero when asked', () => {
  assert.deepEqual(linearDomain([0.2, 0.6], { includeZero: true, padFraction: 0.1 }), [0, 0.6 + 0.06]);
  const [lo, hi] = linearDomain([2, 4], { padFraction: 0.05 });
  assert.ok(Math.abs(lo - 1.9) < 1e-12 && Math.abs(hi - 4.1) < 1e-12);
  assert.deepEqual(linearDomain([3, 3]), [1.5, 4.5]);
  assert.deepEqual(linearDomain([null]), [0, 1]);
});
