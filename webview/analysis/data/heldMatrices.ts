/**
 * The layer matrices the host kept back (RunView.heldMatrices, K > 64): which ones a shown layer still
 * needs, the host's answer merged into the run, and what a heatmap card says meanwhile. A held field is
 * null in the posted result but never "not computed": it is loading, or the host said why it cannot
 * send it. DOM-free.
 */
import type { LayerResult, SplitName } from '../../../src/core/result';
import type { LayerMatricesReply, LayerMatrixField, RunView } from '../../../src/protocol/webview';

/** A request under way (`loading`), or the host's reason it cannot send the matrices. */
export type MatrixFetch = { state: 'loading' } | { state: 'failed'; reason: string };

export function matrixKey(layer: string, split: SplitName): string {
  return `${split}\u0000${layer}`;
}

/** The fields of a layer's split the host still holds (none once they arrived, or when nothing was held). */
export function heldFields(run: RunView, layer: string, split: SplitName): LayerMatrixField[] {
  return run.heldMatrices?.find((h) => h.layer === layer && h.split === split)?.fields ?? [];
}

/** The run with the host's matrices in place of the held nulls, and that split no longer listed as held. */
export function withLayerMatrices(run: RunView, reply: Extract<LayerMatricesReply, { matrices: unknown }>): RunView {
  const fields = heldFields(run, reply.layer, reply.split);
  if (fields.length === 0) return run;
  const layers = run.result.layers.map((layer): LayerResult => {
    const metrics = layer.metrics[reply.split];
    if (layer.name !== reply.layer || !metrics) return layer;
    const filled = { ...metrics };
    for (const f of fields) filled[f] = reply.matrices[f] ?? null;
    return { ...layer, metrics: { ...layer.metrics, [reply.split]: filled } };
  });
  const heldMatrices = (run.heldMatrices ?? []).filter((h) => h.layer !== reply.layer || h.split !== reply.split);
  return { ...run, result: { ...run.result, layers }, heldMatrices };
}

/**
 * What a card says for a held field instead of a heatmap, or null when the field is not held (then the
 * result's own value, or its `unavailable` reason, is what is shown).
 */
export function heldMatrixNote(run: RunView, fetches: ReadonlyMap<string, MatrixFetch>, layer: string, split: SplitName, field: LayerMatrixField): string | null {
  if (!heldFields(run, layer, split).includes(field)) return null;
  const fetch = fetches.get(matrixKey(layer, split));
  return fetch?.state === 'failed'
    ? `Could not load this matrix from the extension host: ${fetch.reason}.`
    : `Loading the ${run.result.classes.count} x ${run.result.classes.count} matrix from the extension host…`;
}
