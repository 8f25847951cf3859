/**
 * Turns the user's layer selection into the layers to probe. Works on any ModelGraph (the names are
 * ONNX tensor names here, layer or node names for TF.js), so both formats share one set of messages.
 */
import type { LayerInfo, LayerSelection, ModelGraph } from '../types';
import { closeNames } from '../../closeNames';

/** Layer names that look like a misspelt one (the CLI's option names use the same rule). */
export const closeLayerNames = closeNames;

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
      const close = closeNames(name, names);
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
