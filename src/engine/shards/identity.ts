/**
 * What makes shard files belong together: the same checkpoint (by content), the same data (each split's
 * identity as the result records it, and how many samples the run chose from it), and every setting that
 * changes a number (probes and their widths, reductions, samples per class, seed, preprocessing). A file
 * that differs in any of these is refused, naming the file and the part that differs: merging it would
 * give numbers that look right and are not.
 */
import { isDeepStrictEqual } from 'node:util';
import type { DatasetSourceInfo, PreprocessingInfo } from '../../core/result';
import { describeReductionRequest } from '../../core/model/reduction';
import type { AssemblyBase } from '../analyze/assemble';
import type { PreparedSplit } from '../analyze/splits';
import type { ReducerSetup } from '../analyze/reducer';
import { UserError } from '../errors';

export interface SplitIdentity {
  format: string;
  /** Samples in the source, and the source's own fingerprint of its files, as the result records them. */
  available: number | null;
  fingerprint: string | null;
  /** Samples the run chose from it (before cutting into shards). */
  chosen: number;
}

export interface ShardIdentity {
  checkpoint: { sha256: string; format: string };
  dataset: { train: SplitIdentity; test: SplitIdentity | null };
  settings: {
    layers: string;
    reduction: string;
    perClass: number | null;
    seed: number;
    epsilon: number;
    numClasses: number;
    probes: { name: string; dim: number }[];
    preprocessing: PreprocessingInfo;
  };
}

function splitIdentity(info: DatasetSourceInfo, chosen: number): SplitIdentity {
  return { format: info.format, available: info.available ?? null, fingerprint: info.fingerprint ?? null, chosen };
}

/** The identity of the run `base` describes; `chosen`: each split's samples before the cut. */
export function shardIdentity(base: AssemblyBase, setup: ReducerSetup, splits: { train: PreparedSplit; test?: PreparedSplit | undefined }, chosen: { train: number; test: number }): ShardIdentity {
  const { request } = base;
  return {
    checkpoint: { sha256: base.sha256, format: base.graph.format },
    dataset: { train: splitIdentity(splits.train.info, chosen.train), test: splits.test ? splitIdentity(splits.test.info, chosen.test) : null },
    settings: {
      layers: Array.isArray(request.layers) ? request.layers.join(',') : request.layers,
      reduction: describeReductionRequest(request.reduction),
      perClass: base.perClass,
      seed: base.seed,
      epsilon: request.epsilon,
      numClasses: base.numClasses,
      probes: setup.layers.map((l) => ({ name: l.name, dim: l.dim })),
      preprocessing: base.preprocessing,
    },
  };
}

/** The first part in which `other` differs from `reference`, in words; null when they are the same. */
export function identityDifference(reference: ShardIdentity, other: ShardIdentity): string | null {
  if (reference.checkpoint.sha256 !== other.checkpoint.sha256) {
    return `another checkpoint (sha256 ${other.checkpoint.sha256.slice(0, 12)}… against ${reference.checkpoint.sha256.slice(0, 12)}…)`;
  }
  for (const split of ['train', 'test'] as const) {
    const a = reference.dataset[split];
    const b = other.dataset[split];
    if (a === null || b === null) {
      if (a !== b) return `another dataset (${a === null ? 'a held-out split' : 'no held-out split'} against ${a === null ? 'none' : 'one'})`;
      continue;
    }
    for (const key of ['format', 'available', 'fingerprint', 'chosen'] as const) {
      if (a[key] !== b[key]) return `another dataset (the ${split} split's ${key === 'chosen' ? 'chosen samples' : key}: ${String(b[key])} against ${String(a[key])})`;
    }
  }
  for (const key of Object.keys(reference.settings) as (keyof ShardIdentity['settings'])[]) {
    if (!isDeepStrictEqual(reference.settings[key], other.settings[key])) {
      return `other settings (${key}: ${JSON.stringify(other.settings[key])} against ${JSON.stringify(reference.settings[key])})`;
    }
  }
  return null;
}

/** Refuses `other` (read from `path`) unless it matches `reference` (from `referencePath`). */
export function requireSameIdentity(reference: ShardIdentity, referencePath: string, other: ShardIdentity, path: string): void {
  const difference = identityDifference(reference, other);
  if (difference) throw new UserError(`${path}: made with ${difference} than ${referencePath}; shards of one analysis must share the checkpoint, the data and the settings`);
}
