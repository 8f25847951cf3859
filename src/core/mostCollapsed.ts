import type { AnalysisResult, LayerResult } from './result';
import { nc1RankDeficient } from './lowRankNc1';

export interface CollapsedLayer {
  layer: LayerResult;
  index: number;
  nc1: number;
}

export interface MostCollapsedSearch {
  /** The recommended layer; null when no candidate has a full-rank training NC1. */
  found: CollapsedLayer | null;
  /** Candidates left out because their training NC1 is low-rank (nc1RankDeficient), in depth order. */
  lowRank: string[];
}

/**
 * The probed layer with the lowest training NC1 (the shallowest on a tie): per Li et al. 2022 the most
 * collapsed layer on the target data is the best place to cut for a linear probe or to fine-tune from.
 * The logits are the classifier's own output, not a representation one cuts at, so they are skipped.
 * A layer whose NC1 is low-rank (Σ_B rank < K−1) is skipped too and listed: its NC1 can be tiny while
 * the classes overlap, so recommending it would point at the worst place to cut.
 */
export function findMostCollapsed(result: AnalysisResult): MostCollapsedSearch {
  let found: CollapsedLayer | null = null;
  const lowRank: string[] = [];
  result.layers.forEach((layer, index) => {
    const nc1 = layer.metrics.train.nc1;
    if (typeof nc1 !== 'number' || !Number.isFinite(nc1)) return;
    if (result.classifier?.output !== undefined && layer.name === result.classifier.output) return;
    if (nc1RankDeficient(layer.metrics.train, result.classes.count)) {
      lowRank.push(layer.name);
      return;
    }
    if (found === null || nc1 < found.nc1) found = { layer, index, nc1 };
  });
  return { found, lowRank };
}

/** The recommended layer alone. Used by the analysis panel's summary and by comparisons alike. */
export function mostCollapsedLayer(result: AnalysisResult): CollapsedLayer | null {
  return findMostCollapsed(result).found;
}
