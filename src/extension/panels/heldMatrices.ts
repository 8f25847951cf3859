/**
 * What the host keeps back from a panel: the packed per-layer K x K matrices (cdnvMatrix, meanCosines;
 * K > 64). At K = 1,000 each is some 5 MB of base64, so a 14-probe two-split result is ~300 MB, and the
 * analysis page only ever draws the layer it shows. The panel is posted the result without them (marked
 * in RunView.heldMatrices) and asks for one layer's split when it shows it. Small-K results (nested rows)
 * are posted whole, as they always were. No vscode import: unit-tested in Node.
 */
import type { AnalysisResult, LayerResult, SplitLayerMetrics, SplitName } from '../../core/result';
import { isPackedMatrix } from '../../core/packedMatrix';
import type { HeldLayerMatrices, LayerMatricesKey, LayerMatricesReply, LayerMatrixField, RunView } from '../../protocol/webview';

const FIELDS: readonly LayerMatrixField[] = ['cdnvMatrix', 'meanCosines'];
const SPLITS: readonly SplitName[] = ['train', 'test'];

/**
 * The run as a panel is posted it: packed layer matrices set to null and listed in heldMatrices. The
 * same object when nothing is packed; the stored result is never changed (shallow copies only).
 */
export function holdBackLayerMatrices(run: RunView): RunView {
  const held: HeldLayerMatrices[] = [];
  const layers = run.result.layers.map((layer): LayerResult => {
    let metrics: LayerResult['metrics'] | null = null;
    for (const split of SPLITS) {
      const m = layer.metrics[split];
      if (!m) continue;
      const fields = FIELDS.filter((f) => {
        const value = m[f];
        return value !== null && isPackedMatrix(value);
      });
      if (fields.length === 0) continue;
      const stripped: SplitLayerMetrics = { ...m };
      for (const f of fields) stripped[f] = null;
      metrics = { ...(metrics ?? layer.metrics), [split]: stripped };
      held.push({ layer: layer.name, split, fields });
    }
    return metrics ? { ...layer, metrics } : layer;
  });
  if (held.length === 0) return run;
  const result: AnalysisResult = { ...run.result, layers };
  return { ...run, result, heldMatrices: held };
}

/**
 * The host's answer to a page asking for a layer's matrices: that split's cdnvMatrix and meanCosines
 * from the complete result, or why they cannot be given (the panel shows another run now, or the
 * layer or split is not in it). `run` is the complete run the panel shows, undefined when none.
 */
export function layerMatricesReply(run: RunView | undefined, key: LayerMatricesKey): LayerMatricesReply {
  const reply = { kind: 'layerMatrices', runId: key.runId, layer: key.layer, split: key.split } as const;
  if (!run) return { ...reply, error: `run ${key.runId} is no longer held by the extension (the panel shows no result now); reopen it from the Runs view` };
  if (run.runId !== key.runId) return { ...reply, error: `the panel now shows run ${run.runId}, not run ${key.runId}` };
  const metrics = run.result.layers.find((l) => l.name === key.layer)?.metrics[key.split];
  if (!metrics) return { ...reply, error: `layer ${key.layer} has no ${key.split} split in run ${key.runId}` };
  return { ...reply, matrices: { cdnvMatrix: metrics.cdnvMatrix, meanCosines: metrics.meanCosines } };
}
