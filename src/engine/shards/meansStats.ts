/**
 * The class statistics of a means file, built the one way both the phase-2 shards and the final merge
 * use: every pass-2 sum of a shard was taken against exactly these numbers, so they must come out the
 * same, to the bit, wherever they are rebuilt.
 */
import { buildClassStats, type ClassStats } from '../../core/metrics';
import type { MeansBody, MeansSplit } from './bodies';
import { loadPassOne } from './bodies';

export interface MeansStats {
  train: Map<string, ClassStats>;
  test: Map<string, ClassStats> | null;
}

function splitStats(split: MeansSplit, numClasses: number, what: string): Map<string, ClassStats> {
  return new Map(split.layers.map((stored) => [stored.name, buildClassStats(loadPassOne(stored, numClasses, what))]));
}

export function meansStats(means: MeansBody, path: string): MeansStats {
  const K = means.identity.settings.numClasses;
  return {
    train: splitStats(means.splits.train, K, `${path}: training split`),
    test: means.splits.test ? splitStats(means.splits.test, K, `${path}: held-out split`) : null,
  };
}
