import assert from 'node:assert/strict';

/**
 * |actual - expected| <= relative * |expected| + ofScale * scale + absolute, where `scale` is the size of
 * the quantity the value belongs to: its own magnitude for a scalar that carries units (NC1, a variance),
 * 1 for a cosine or a number built from cosines, the largest entry for a vector or matrix.
 *
 * Why a scale term: float32 features that differ by a few ulps (another CPU's kernels) move every entry
 * of a matrix by about the same amount relative to the matrix, not to the entry. A cosine of 1.8e-4 moved
 * by 3.6e-8 on an AVX-512 CPU: 2e-4 relative to itself, 4e-8 relative to the cosines' scale of 1.
 */
export interface Tolerance {
  relative: number;
  /** Fraction of the quantity's scale that any entry may move by (0 when omitted). */
  ofScale?: number;
  /** Floor for exact zeros on both sides. */
  absolute: number;
}

export function toleranceBound(expected: number, tol: Tolerance, scale = Math.abs(expected)): number {
  return tol.relative * Math.abs(expected) + (tol.ofScale ?? 0) * scale + tol.absolute;
}

export function assertClose(actual: number | null | undefined, expected: number, what: string, tol: Tolerance, scale = Math.abs(expected)): void {
  assert.equal(typeof actual, 'number', `${what}: expected ${expected}, got ${String(actual)}`);
  const a = actual as number;
  assert.ok(Number.isFinite(a), `${what}: not finite (${a})`);
  const bound = toleranceBound(expected, tol, scale);
  assert.ok(Math.abs(a - expected) <= bound, `${what}: ${a} vs expected ${expected} (difference ${Math.abs(a - expected).toExponential(2)} > ${bound.toExponential(2)})`);
}

/** The largest magnitude among the entries: the scale of a vector or matrix of one quantity. */
export function largestMagnitude(values: readonly number[]): number {
  return values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
}

export function assertVectorClose(actual: readonly (number | null)[] | null | undefined, expected: readonly number[], what: string, tol: Tolerance, scale = largestMagnitude(expected)): void {
  assert.ok(Array.isArray(actual), `${what}: missing`);
  const a = actual as readonly (number | null)[];
  assert.equal(a.length, expected.length, `${what}: length`);
  expected.forEach((e, i) => assertClose(a[i], e, `${what}[${i}]`, tol, scale));
}

export function assertMatrixClose(actual: readonly (readonly (number | null)[])[] | null | undefined, expected: readonly (readonly number[])[], what: string, tol: Tolerance): void {
  assert.ok(Array.isArray(actual), `${what}: missing`);
  const a = actual as readonly (readonly (number | null)[])[];
  assert.equal(a.length, expected.length, `${what}: rows`);
  const scale = largestMagnitude(expected.flat());
  expected.forEach((row, i) => assertVectorClose(a[i], row, `${what}[${i}]`, tol, scale));
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
