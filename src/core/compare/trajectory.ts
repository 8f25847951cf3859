import type { AnalysisResult } from '../result';
import { COMPARED_METRICS, type ComparedMetric } from './align';
import { datasetDifferences } from './datasetMatch';
import { summarizeRun, type RunSummary } from './summary';
import { nc1RankDeficient } from '../lowRankNc1';
import type { TrajectoryWatch } from '../watch/types';

export const TRAJECTORY_SCHEMA = 'collapse-lens/trajectory@1' as const;

type Series = Record<ComparedMetric, { train: (number | null)[]; test: (number | null)[] | null }>;

export interface TrajectoryResult {
  schema: typeof TRAJECTORY_SCHEMA;
  createdAt: string;
  epochs: number[];
  checkpoints: string[];
  /** Layers present in every epoch's analysis, in depth order. */
  layers: string[];
  /** series[layer][metric].train[i] is the metric at epochs[i] (Papyan's figures, per depth). */
  series: Record<string, Series>;
  /**
   * nc1LowRank[layer].train[i]: the NC1 at epochs[i] is low-rank (Σ_B rank < K−1, see nc1RankDeficient).
   * Only layers with at least one low-rank NC1 are listed; absent when none is.
   */
  nc1LowRank?: Record<string, { train: boolean[]; test: boolean[] | null }>;
  /**
   * NC3 and NC4 of the classifier per epoch; `weightsEtfDistance` and `weightsEquinorm`: the ETF distance
   * and equinorm of the classifier rows (classifierGeometry of each epoch's weights, no data involved;
   * absent in trajectories written before they were added).
   */
  classifier: {
    nc3: (number | null)[];
    nc4Train: (number | null)[];
    nc4Test: (number | null)[];
    weightsEtfDistance?: (number | null)[];
    weightsEquinorm?: (number | null)[];
  };
  summaries: RunSummary[];
  warnings: string[];
  /**
   * Written by `collapse-lens watch` (absent from `trajectory`'s output): the watched folder, the analysis
   * settings, and every checkpoint's key and state (analysed, deleted, corrupt with its reason), with
   * where its analysis result is kept. What a resume reads to skip what is already analysed.
   */
  watch?: TrajectoryWatch;
}

/**
 * A trajectory with no analysed checkpoint yet: what a watch shows before its first analysis finishes
 * (buildTrajectory refuses zero checkpoints, since a trajectory file must hold at least one).
 */
export function emptyTrajectory(): TrajectoryResult {
  return {
    schema: TRAJECTORY_SCHEMA,
    createdAt: new Date().toISOString(),
    epochs: [],
    checkpoints: [],
    layers: [],
    series: {},
    classifier: { nc3: [], nc4Train: [], nc4Test: [], weightsEtfDistance: [], weightsEquinorm: [] },
    summaries: [],
    warnings: [],
  };
}

/** Per-layer metrics against epoch, for checkpoints of one training run (one architecture). */
export function buildTrajectory(runs: { epoch: number; result: AnalysisResult }[]): TrajectoryResult {
  if (runs.length === 0) throw new Error('a trajectory needs at least one checkpoint');
  const sorted = [...runs].sort((a, b) => a.epoch - b.epoch);
  const names = sorted[0].result.layers.map((l) => l.name).filter((n) => sorted.every((r) => r.result.layers.some((l) => l.name === n)));
  const hasTest = sorted.every((r) => r.result.splits.test !== undefined);
  const series: Record<string, Series> = {};
  let nc1LowRank: TrajectoryResult['nc1LowRank'];
  for (const name of names) {
    const s = {} as Series;
    for (const k of COMPARED_METRICS) {
      const layerOf = (r: AnalysisResult) => r.layers.find((l) => l.name === name);
      s[k] = {
        train: sorted.map((r) => layerOf(r.result)?.metrics.train[k] ?? null),
        test: hasTest ? sorted.map((r) => layerOf(r.result)?.metrics.test?.[k] ?? null) : null,
      };
    }
    series[name] = s;
    const lowRankAt = (split: 'train' | 'test') => sorted.map((r) => nc1RankDeficient(r.result.layers.find((l) => l.name === name)?.metrics[split], r.result.classes.count));
    const flags = { train: lowRankAt('train'), test: hasTest ? lowRankAt('test') : null };
    if ([...flags.train, ...(flags.test ?? [])].some(Boolean)) (nc1LowRank ??= {})[name] = flags;
  }
  // The data differences between epochs, then each epoch's own warnings (near-chance accuracy, skipped
  // images, low-rank NC1...): a trajectory must not drop what each analysis flagged.
  const warnings = [
    ...sorted.slice(1).flatMap((r) => datasetDifferences(sorted[0].result, r.result, `epoch ${sorted[0].epoch}`, `epoch ${r.epoch}`)),
    ...sorted.flatMap((r) => (r.result.warnings ?? []).map((w) => `epoch ${r.epoch}: ${w}`)),
  ];
  return {
    schema: TRAJECTORY_SCHEMA,
    createdAt: new Date().toISOString(),
    epochs: sorted.map((r) => r.epoch),
    checkpoints: sorted.map((r) => r.result.checkpoint.path),
    layers: names,
    series,
    ...(nc1LowRank ? { nc1LowRank } : {}),
    classifier: {
      nc3: sorted.map((r) => r.result.classifier?.nc3 ?? null),
      nc4Train: sorted.map((r) => r.result.classifier?.nc4.train ?? null),
      nc4Test: sorted.map((r) => r.result.classifier?.nc4.test ?? null),
      weightsEtfDistance: sorted.map((r) => r.result.classifier?.weights.etfDistance ?? null),
      weightsEquinorm: sorted.map((r) => r.result.classifier?.weights.equinorm ?? null),
    },
    summaries: sorted.map((r) => summarizeRun(r.result, `epoch ${r.epoch}`)),
    warnings,
  };
}
