import type { LayerResult, SplitLayerMetrics, SplitName } from './result';

/**
 * NC1 = (1/K) tr(Σ_W Σ_B⁺) sees Σ_W only through the r = `nc1Rank` directions Σ_B spans. When r < K−1
 * (the layer is narrower than K−1, or class means coincide) the K means cannot be separated in every
 * direction a simplex needs, yet NC1 only measures the within-class spread inside that r-dimensional
 * subspace, so it can look tiny while the classes overlap (K = 1000, an 8-wide layer: NC1 0.008 next to
 * 1.25 % NCC accuracy). Every reader marks such an NC1 with this one predicate and keeps it out of
 * recommendations; it is computed from `nc1Rank` and K, so results written before the flag existed are
 * judged the same way.
 */
export function nc1RankDeficient(metrics: Pick<SplitLayerMetrics, 'nc1' | 'nc1Rank'> | null | undefined, classCount: number): boolean {
  if (!metrics) return false;
  const { nc1, nc1Rank } = metrics;
  return typeof nc1 === 'number' && Number.isFinite(nc1) && typeof nc1Rank === 'number' && nc1Rank < classCount - 1;
}

/** The rank a low-rank NC1 was measured over, or null when the NC1 is full rank (or missing). */
export function lowRankOf(metrics: Pick<SplitLayerMetrics, 'nc1' | 'nc1Rank'> | null | undefined, classCount: number): number | null {
  return metrics && nc1RankDeficient(metrics, classCount) ? (metrics.nc1Rank as number) : null;
}

/** Why a marked NC1 is marked, in one sentence; the same words on every surface. */
export function lowRankNc1Reason(rank: number, classCount: number): string {
  return (
    `NC1 over rank ${rank} < K−1 = ${classCount - 1}: Σ_B spans only ${rank} direction(s) (the layer is narrower than K−1 ` +
    `or class means coincide), so NC1 measures the spread inside that subspace and a small value does not mean the classes are separated`
  );
}

/** The marker printed after a low-rank NC1 (CLI table, compare summary); its footnote gives the reason. */
export const LOW_RANK_MARK = '*';

export interface LowRankEntry {
  layer: string;
  split: SplitName;
  rank: number;
}

/** Every (layer, split) whose NC1 is low-rank, in depth order, train before test. */
export function lowRankNc1Entries(layers: readonly LayerResult[], classCount: number): LowRankEntry[] {
  const out: LowRankEntry[] = [];
  for (const layer of layers) {
    for (const split of ['train', 'test'] as const) {
      const rank = lowRankOf(layer.metrics[split], classCount);
      if (rank !== null) out.push({ layer: layer.name, split, rank });
    }
  }
  return out;
}

/** At most this many layers are named in the warning; the rest are counted. */
const NAMED_IN_WARNING = 10;

/** "conv1 (train rank 4, test rank 4), fc (train rank 8)": the entries grouped by layer. */
export function describeLowRankEntries(entries: readonly LowRankEntry[], limit = NAMED_IN_WARNING): string {
  const byLayer = new Map<string, string[]>();
  for (const e of entries) byLayer.set(e.layer, [...(byLayer.get(e.layer) ?? []), `${e.split} rank ${e.rank}`]);
  const named = [...byLayer].slice(0, limit).map(([layer, ranks]) => `${layer} (${ranks.join(', ')})`);
  const more = byLayer.size - named.length;
  return named.join(', ') + (more > 0 ? ` and ${more} more layer(s)` : '');
}

/** The result-level warning naming the low-rank layers, or null when there are none. */
export function lowRankNc1Warning(layers: readonly LayerResult[], classCount: number): string | null {
  const entries = lowRankNc1Entries(layers, classCount);
  if (entries.length === 0) return null;
  const count = new Set(entries.map((e) => e.layer)).size;
  return (
    `NC1 is low-rank at ${count} layer(s): Σ_B has rank < K−1 = ${classCount - 1} there (the layer is narrower than K−1 or class means coincide), ` +
    `so NC1 only measures the within-class spread inside that subspace and a small value does not mean the classes are separated; ` +
    `these layers are not recommended as the most collapsed: ${describeLowRankEntries(entries)}`
  );
}

/** The layers with `nc1LowRank: true` set on each split whose NC1 is low-rank (copies; the input is left as it is). */
export function withLowRankFlags(layers: readonly LayerResult[], classCount: number): LayerResult[] {
  const flag = (m: SplitLayerMetrics): SplitLayerMetrics => (nc1RankDeficient(m, classCount) ? { ...m, nc1LowRank: true } : m);
  return layers.map((layer) => ({
    ...layer,
    metrics: layer.metrics.test ? { train: flag(layer.metrics.train), test: flag(layer.metrics.test) } : { train: flag(layer.metrics.train) },
  }));
}
