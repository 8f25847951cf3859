/**
 * Turns the user's layer selection into the layers to probe. Works on any ModelGraph (the names are
 * ONNX tensor names here, layer or node names for TF.js), so both formats share one set of messages.
 */
import type { LayerInfo, LayerSelection, ModelGraph } from '../types';

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

/** Up to `limit` layer names that look like `wanted`: substrings either way, then small edit distances. */
export function closeLayerNames(wanted: string, names: string[], limit = 5): string[] {
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

/**
 * 'auto' -> the layers the format's default rule marked; 'all' -> every layer; a list of names -> those
 * layers. Always in the graph's topological order, without duplicates. Unknown names fail with the
 * closest existing names, so a typo is a one-line fix.
 */
export function resolveProbes(graph: ModelGraph, selection: LayerSelection): LayerInfo[] {
  if (selection === 'all') return graph.layers.slice();
  if (selection === 'auto') return graph.layers.filter((l) => l.auto);
  if (selection.length === 0) throw new Error(`${graph.path}: no layers were selected`);
  const byName = new Map(graph.layers.map((l) => [l.name, l]));
  const unknown = selection.filter((name) => !byName.has(name));
  if (unknown.length > 0) {
    const names = graph.layers.map((l) => l.name);
    const lines = unknown.map((name) => {
      const close = closeLayerNames(name, names);
      return close.length > 0
        ? `  "${name}": did you mean ${close.map((c) => `"${c}"`).join(', ')}?`
        : `  "${name}": no similar layer name`;
    });
    throw new Error(
      `${graph.path}: unknown layer${unknown.length > 1 ? 's' : ''}:\n${lines.join('\n')}\n` +
        `(run \`collapse-lens layers ${graph.path}\` to list all ${names.length} layers)`,
    );
  }
  const wanted = new Set(selection);
  return graph.layers.filter((l) => wanted.has(l.name));
}
