import type { AnalysisResult } from '../result';
import { mostCollapsedLayer } from '../mostCollapsed';

/** The facts a person compares runs by: accuracy, effective depth, penultimate NC1, NC3, NC4. */
export interface RunSummary {
  label: string;
  checkpoint: string;
  trainAccuracy: number | null;
  testAccuracy: number | null;
  effectiveDepth: string | null;
  penultimateNc1: number | null;
  nc3: number | null;
  nc4Train: number | null;
  nc4Test: number | null;
  /** Lowest training NC1 over the probed layers: the most collapsed layer on this data. */
  mostCollapsed: { layer: string; nc1: number } | null;
}

export function summarizeRun(result: AnalysisResult, label: string): RunSummary {
  const penultimate = result.classifier ? result.layers.find((l) => l.name === result.classifier?.input) : undefined;
  const collapsed = mostCollapsedLayer(result);
  const mostCollapsed: RunSummary['mostCollapsed'] = collapsed ? { layer: collapsed.layer.name, nc1: collapsed.nc1 } : null;
  return {
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
}
