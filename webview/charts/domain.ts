/**
 * Axis domains for values that may be null (not computed) or, on a log axis, not positive.
 * DOM-free (unit-tested in Node).
 */

export interface LogDomain {
  /** Whole decades, lo < hi, both > 0. */
  domain: [number, number];
  /** Values that are finite but <= 0 and so cannot sit on a log axis (drawn as gaps, and said so). */
  hiddenNonPositive: number;
}

/**
 * The decades that hold every positive value. With no positive value the fallback is returned, so an
 * empty chart still has an axis; with one decade of data the domain is widened to one full decade.
 */
export function logDomain(values: readonly (number | null | undefined)[], fallback: [number, number] = [0.01, 10]): LogDomain {
  let lo = Infinity;
  let hi = -Infinity;
  let hiddenNonPositive = 0;
  for (const v of values) {
    if (v === null || v === undefined || !Number.isFinite(v)) continue;
    if (v <= 0) {
      hiddenNonPositive++;
      continue;
    }
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (lo === Infinity) return { domain: fallback, hiddenNonPositive };
  // A small tolerance keeps 1.0000000001 (a float's exact power of ten) in its own decade.
  let loExp = Math.floor(Math.log10(lo) + 1e-9);
  let hiExp = Math.ceil(Math.log10(hi) - 1e-9);
  if (hiExp <= loExp) hiExp = loExp + 1;
  if (!Number.isFinite(loExp) || !Number.isFinite(hiExp)) {
    loExp = -2;
    hiExp = 1;
  }
  return { domain: [10 ** loExp, 10 ** hiExp], hiddenNonPositive };
}

/** The value itself where it can be drawn on a log axis, else null (a gap). */
export function logPlottable(value: number | null): number | null {
  return value !== null && Number.isFinite(value) && value > 0 ? value : null;
}

/**
 * A linear domain with a little room above and below, and zero included when asked (for quantities
 * like distances whose zero is meaningful).
 */
export function linearDomain(
  values: readonly (number | null | undefined)[],
  options: { includeZero?: boolean; padFraction?: number; fallback?: [number, number] } = {},
): [number, number] {
  const pad = options.padFraction ?? 0.05;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v === null || v === undefined || !Number.isFinite(v)) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (lo === Infinity) return options.fallback ?? [0, 1];
  if (options.includeZero) {
    lo = Math.min(lo, 0);
    hi = Math.max(hi, 0);
  }
  if (hi === lo) {
    const half = hi === 0 ? 1 : Math.abs(hi) * 0.5;
    return [lo - half, hi + half];
  }
  const span = hi - lo;
  return [options.includeZero && lo === 0 ? 0 : lo - span * pad, hi + span * pad];
}
