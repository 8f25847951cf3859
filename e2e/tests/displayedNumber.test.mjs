// The panel-vs-CLI comparison rests on reading shown numbers back with the right tolerance.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { displayedMatches, parseDisplayedNumber } from '../lib/displayedNumber.mjs';

function assertClose(actual, expected) {
  assert.ok(Math.abs(actual - expected) <= 1e-15 * Math.max(1, Math.abs(expected)), `${actual} != ${expected}`);
}

test('a decimal is as exact as its last digit', () => {
  const shown = parseDisplayedNumber('0.215');
  assertClose(shown.value, 0.215);
  assertClose(shown.tolerance, 0.0005);
});

test('a percentage becomes a fraction, its tolerance too', () => {
  const shown = parseDisplayedNumber('89.6%');
  assertClose(shown.value, 0.896);
  assertClose(shown.tolerance, 0.0005);
});

test('exponent form scales the tolerance with the exponent', () => {
  const shown = parseDisplayedNumber('2.15e-5');
  assertClose(shown.value, 2.15e-5);
  assertClose(shown.tolerance, 5e-8);
  assertClose(parseDisplayedNumber('-3e+2').value, -300);
  assertClose(parseDisplayedNumber('-3e+2').tolerance, 50);
});

test('thousands separators and integers', () => {
  const shown = parseDisplayedNumber('1,234');
  assert.equal(shown.value, 1234);
  assertClose(shown.tolerance, 0.5);
});

test('text that is not a number is null', () => {
  assert.equal(parseDisplayedNumber('n/a'), null);
  assert.equal(parseDisplayedNumber(''), null);
  assert.equal(parseDisplayedNumber('0.2.1'), null);
});

test('a shown value matches exactly the numbers that round to it', () => {
  assert.ok(displayedMatches('0.215', 0.21549));
  assert.ok(displayedMatches('0.215', 0.2145));
  assert.ok(!displayedMatches('0.215', 0.2156));
  assert.ok(displayedMatches('99.0%', 0.99049));
  assert.ok(!displayedMatches('99.0%', 0.9906));
  assert.ok(!displayedMatches('n/a', 0.5));
  assert.ok(!displayedMatches('0.5', null));
});
