/**
 * Number formatting shared by the panels. DOM-free (unit-tested in Node).
 * Tooltips show 6 significant digits so a reader can copy an exact value; summaries and axis ticks
 * use 3 so a sentence stays readable.
 */

/** Shown where a metric is null (could not be computed). */
export const MISSING = 'n/a';

/** Six significant digits, exponent form for very small or large magnitudes. */
export function formatExact(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return MISSING;
  if (value === 0) return '0';
  return value.toPrecision(6);
}

/** Three significant digits without trailing zeros, for sentences and ticks. */
export function formatShort(value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return MISSING;
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-3 && magnitude < 1e6) return String(Number(value.toPrecision(digits)));
  return value.toExponential(digits - 1).replace(/\.?0+e/, 'e');
}

/** A fraction in [0, 1] as a percentage, e.g. 0.8962 -> "89.6%". */
export function formatPercent(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return MISSING;
  return `${(value * 100).toFixed(digits)}%`;
}

/** A fraction as an exact percentage for tooltips, e.g. 0.99051 -> "99.0510%". */
export function formatPercentExact(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return MISSING;
  return `${(value * 100).toPrecision(6)}%`;
}

/** Seconds as "0.8 s", "12.3 s", "2 min 05 s", "1 h 02 min". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return MISSING;
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(2) : seconds.toFixed(1)} s`;
  const whole = Math.round(seconds);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  if (h > 0) return `${h} h ${String(m).padStart(2, '0')} min`;
  return `${m} min ${String(s).padStart(2, '0')} s`;
}

/** A count with thousands separators that do not depend on the machine's locale. */
export function formatCount(value: number): string {
  return String(Math.round(value)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
