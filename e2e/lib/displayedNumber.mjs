// Reading a number back from what a panel shows. A shown value is only as exact as its last digit, so
// it comes with the tolerance that digit implies: "0.215" is within 0.0005 of the true value, "89.6%"
// within 0.0005 of the fraction, "2.15e-5" within 0.005e-5. Comparing with that tolerance checks the
// panel against the CLI's JSON without copying the panel's formatting rules into the test.

import assert from 'node:assert/strict';

const NUMBER = /^([+-]?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?(%?)$/i;

/**
 * Parses a shown number ("0.215", "1.2e-4", "89.6%", "1,234") into { value, tolerance }, or null for
 * text that is not a number (e.g. "n/a"). Percentages come back as fractions.
 */
export function parseDisplayedNumber(text) {
  const compact = text.trim().replace(/,/g, '').replace(/\u2212/g, '-');
  const match = NUMBER.exec(compact);
  if (match === null) return null;
  const [, sign, whole, fraction = '', exponentText = '0', percent] = match;
  const exponent = Number(exponentText);
  const scale = percent === '%' ? 0.01 : 1;
  const value = Number(`${sign}${whole}.${fraction || '0'}e${exponent}`) * scale;
  const halfLastDigit = 0.5 * 10 ** (exponent - fraction.length) * scale;
  return { value, tolerance: halfLastDigit };
}

/**
 * Whether `shownText` is `expected` as far as the shown digits tell. `slack` widens the bound
 * relatively, for runs that may differ in the last float bits (e.g. other batch sizes).
 */
export function displayedMatches(shownText, expected, slack = 1e-9) {
  const shown = parseDisplayedNumber(shownText);
  if (shown === null || typeof expected !== 'number' || !Number.isFinite(expected)) return false;
  return Math.abs(shown.value - expected) <= shown.tolerance + slack * Math.max(1, Math.abs(expected));
}

/** Fails, saying where and what, unless the shown text is the CLI's value as far as its digits go. */
export function assertShown(shown, value, what) {
  assert.ok(displayedMatches(shown, value), `${what}: the panel shows "${shown}", the CLI computed ${value}`);
}
