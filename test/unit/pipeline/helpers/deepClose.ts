import assert from 'node:assert/strict';

/**
 * Walks two JSON-like values together: numbers must agree to `relative` (with a tiny absolute floor for
 * exact zeros), everything else must be equal. Paths in `skip` (e.g. "layers.*.metrics.train.projection")
 * are not compared. Returns how many numbers were compared, so a caller can check the walk saw something.
 */
export function assertDeepClose(actual: unknown, expected: unknown, relative: number, skip: readonly string[] = [], path = '$'): number {
  if (skip.some((pattern) => matches(pattern, path))) return 0;
  if (typeof expected === 'number') {
    assert.equal(typeof actual, 'number', `${path}: expected a number, got ${String(actual)}`);
    const a = actual as number;
    const bound = relative * Math.abs(expected) + 1e-300;
    assert.ok(Math.abs(a - expected) <= bound, `${path}: ${a} vs ${expected} (relative difference ${(Math.abs(a - expected) / Math.abs(expected)).toExponential(2)})`);
    return 1;
  }
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${path}: expected an array`);
    assert.equal(actual.length, expected.length, `${path}: length`);
    return expected.reduce<number>((n, e, i) => n + assertDeepClose(actual[i], e, relative, skip, `${path}.${i}`), 0);
  }
  if (typeof expected === 'object' && expected !== null) {
    assert.ok(typeof actual === 'object' && actual !== null && !Array.isArray(actual), `${path}: expected an object`);
    const a = actual as Record<string, unknown>;
    const e = expected as Record<string, unknown>;
    const keys = Object.keys(e).filter((k) => !skip.some((pattern) => matches(pattern, `${path}.${k}`)));
    assert.deepEqual(Object.keys(a).filter((k) => !skip.some((pattern) => matches(pattern, `${path}.${k}`))).sort(), [...keys].sort(), `${path}: keys`);
    return keys.reduce((n, k) => n + assertDeepClose(a[k], e[k], relative, skip, `${path}.${k}`), 0);
  }
  assert.equal(actual, expected, `${path}`);
  return 0;
}

/** "$.layers.*.metrics" style patterns: `*` stands for one path segment. */
function matches(pattern: string, path: string): boolean {
  const p = pattern.split('.');
  const s = path.split('.');
  return p.length === s.length && p.every((seg, i) => seg === '*' || seg === s[i]);
}
