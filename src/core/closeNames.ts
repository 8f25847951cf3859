/**
 * "Did you mean": the known names closest to a misspelt one. Shared by layer names (--layers) and the
 * CLI's option names, so both suggest by the same rule.
 */

/** Levenshtein distance (insertions, deletions, substitutions). */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/** Up to `limit` names that look like `wanted`: substrings either way, then small edit distances. */
export function closeNames(wanted: string, names: string[], limit = 5): string[] {
  const w = wanted.toLowerCase();
  const budget = Math.max(2, Math.floor(w.length / 3));
  return names
    .map((name) => {
      const n = name.toLowerCase();
      const contains = n.includes(w) || w.includes(n);
      return { name, score: contains ? 0 : editDistance(w, n), contains };
    })
    .filter((m) => m.contains || m.score <= budget)
    .sort((x, y) => x.score - y.score || x.name.length - y.name.length)
    .slice(0, limit)
    .map((m) => m.name);
}
