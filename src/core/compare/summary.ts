import type { AnalysisResult } from '../result';
import { findMostCollapsed } from '../mostCollapsed';
import { nc1RankDeficient } from '../lowRankNc1';

/** The facts a person compares runs by: accuracy, effective depth, penultimate NC1, NC3, NC4. */
export interface RunSummary {
  label: string;
  checkpoint: string;
  trainAccuracy: number | null;
  testAccuracy: number | null;
  effectiveDepth: string | null;
  penultimateNc1: number | null;
  /** True when the penultimate NC1 is low-rank (Σ_B rank < K−1): it does not say the classes are separated. */
  penultimateNc1LowRank?: true;
  nc3: number | null;
  nc4Train: number | null;
  nc4Test: number | null;
  /** Lowest training NC1 over the probed layers: the most collapsed layer on this data. */
  mostCollapsed: { layer: string; nc1: number } | null;
  /** Layers left out of mostCollapsed because their training NC1 is low-rank; absent when none was. */
  mostCollapsedLowRankExcluded?: string[];
}

export function summarizeRun(result: AnalysisResult, label: string): RunSummary {
  const penultimate = result.classifier ? result.layers.find((l) => l.name === result.classifier?.input) : undefined;
  const { found, lowRank } = findMostCollapsed(result);
  const mostCollapsed: RunSummary['mostCollapsed'] = found ? { layer: found.layer.name, nc1: found.nc1 } : null;
  const summary: RunSummary = {
    label,
    checkpoint: result.checkpoint.path,
    trainAccuracy: result.splits.train.accuracy,
    testAccuracy: result.splits.test?.accuracy ?? null,
    effectiveDepth: result.effectiveDepth.layer,
    penultimateNc1: penultimate?.metrics.train.nc1 ?? null,
    nc3: result.classifier?.nc3 ?? null,
    nc4Train: result.classifier?.nc4.train ?? null,
    nc4Test: result.classifier?.nc4.test ?? null,
    mostCollapsed,
  };
  if (penultimate && nc1RankDeficient(penultimate.metrics.train, result.classes.count)) summary.penultimateNc1LowRank = true;
  if (lowRank.length > 0) summary.mostCollapsedLowRankExcluded = lowRank;
  return summary;
}
