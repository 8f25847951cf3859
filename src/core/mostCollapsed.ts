import type { AnalysisResult, LayerResult } from './result';

export interface CollapsedLayer {
  layer: LayerResult;
  index: number;
  nc1: number;
}

/**
 * The probed layer with the lowest training NC1 (the shallowest on a tie): per Li et al. 2022 the most
 * collapsed layer on the target data is the best place to cut for a linear probe or to fine-tune from.
 * The logits are the classifier's own output, not a representation one cuts at, so they are skipped.
 * Used by the analysis panel's summary and by comparisons alike.
 */
export function mostCollapsedLayer(result: AnalysisResult): CollapsedLayer | null {
  let best: CollapsedLayer | null = null;
  result.layers.forEach((layer, index) => {
    const nc1 = layer.metrics.train.nc1;
    if (typeof nc1 !== 'number' || !Number.isFinite(nc1)) return;
    if (result.classifier?.output !== undefined && layer.name === result.classifier.output) return;
    if (best === null || nc1 < best.nc1) best = { layer, index, nc1 };
  });
  return best;
}
