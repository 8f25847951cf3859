/**
 * The class statistics of a means file. The phase-2 reducers and the final merge build them with the same
 * function (buildClassStats) from the same float64 totals: every pass-2 sum of a shard was taken against
 * exactly these numbers, so they come out the same, to the bit, wherever they are rebuilt.
 */
import { buildClassStats, type ClassStats, type PassOneTotals } from '../../core/metrics';
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

/** The totals of a means file, per split in probe order: what the phase-2 reducers build their statistics from. */
export function meansTotals(means: MeansBody, path: string): { train: PassOneTotals[]; test: PassOneTotals[] | null } {
  const K = means.identity.settings.numClasses;
  return {
    train: means.splits.train.layers.map((stored) => loadPassOne(stored, K, `${path}: training split`)),
    test: means.splits.test ? means.splits.test.layers.map((stored) => loadPassOne(stored, K, `${path}: held-out split`)) : null,
  };
}
