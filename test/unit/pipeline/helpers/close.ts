import assert from 'node:assert/strict';

/** |actual - expected| <= relative * |expected| + absolute. */
export interface Tolerance {
  relative: number;
  /** Floor for values that are zero or near it (a relative bound alone would demand exact zeros). */
  absolute: number;
}

export function assertClose(actual: number | null | undefined, expected: number, what: string, tol: Tolerance): void {
  assert.equal(typeof actual, 'number', `${what}: expected ${expected}, got ${String(actual)}`);
  const a = actual as number;
  assert.ok(Number.isFinite(a), `${what}: not finite (${a})`);
  const bound = tol.relative * Math.abs(expected) + tol.absolute;
  assert.ok(Math.abs(a - expected) <= bound, `${what}: ${a} vs expected ${expected} (difference ${Math.abs(a - expected).toExponential(2)} > ${bound.toExponential(2)})`);
}

export function assertVectorClose(actual: readonly (number | null)[] | null | undefined, expected: readonly number[], what: string, tol: Tolerance): void {
  assert.ok(Array.isArray(actual), `${what}: missing`);
  const a = actual as readonly (number | null)[];
  assert.equal(a.length, expected.length, `${what}: length`);
  expected.forEach((e, i) => assertClose(a[i], e, `${what}[${i}]`, tol));
}

export function assertMatrixClose(actual: readonly (readonly (number | null)[])[] | null | undefined, expected: readonly (readonly number[])[], what: string, tol: Tolerance): void {
  assert.ok(Array.isArray(actual), `${what}: missing`);
  const a = actual as readonly (readonly (number | null)[])[];
  assert.equal(a.length, expected.length, `${what}: rows`);
  expected.forEach((row, i) => assertVectorClose(a[i], row, `${what}[${i}]`, tol));
}

/**
 * A fraction of N samples (an accuracy, an NC4 rate) that may differ from the reference by the samples
 * the reference flagged as float32 near ties: each such sample can flip between runtimes.
 */
export function assertFractionWithinFlips(actual: number | null | undefined, expected: number, samples: number, flips: number, what: string): void {
  assert.equal(typeof actual, 'number', `${what}: expected ${expected}, got ${String(actual)}`);
  const differing = Math.round(Math.abs((actual as number) - expected) * samples);
  assert.ok(differing <= flips, `${what}: ${actual} vs expected ${expected}: ${differing} sample(s) differ, the reference allows ${flips} near tie(s)`);
}
