/**
 * The bodies of the three shard files (shardFile.ts wraps each with its schema and checksum), and their
 * conversion from and to the accumulators' totals. Float64 totals are stored to the last bit.
 */
import type { DatasetSourceInfo } from '../../core/result';
import type { ClassifierMetrics, PassOneTotals, ProjectionTotals } from '../../core/metrics';
import type { MetricsKernel } from '../../core/metrics/wasm/kernels';
import type { PlannedReduction } from '../../core/model/reduction';
import type { AssemblyBase, AssembledGraph, AssembledProbe } from '../analyze/assemble';
import type { ShardIdentity } from './identity';
import type { ShardSpec } from './slice';
import { decodeFloat64, encodeFloat64 } from './shardFile';

/** One layer's pass-1 totals (counts, means, scatter), float64 in base64. */
export interface StoredPassOne {
  name: string;
  dim: number;
  counts: string;
  means: string;
  scatter: string;
}

export interface PassOneSplit {
  /** Samples of this shard per class, as chosen (corrupt ones skipped on the way included). */
  chosen: number[];
  /** The source's class names, for messages that name a class. */
  classNames: string[] | null;
  /** What the shard's reads skipped, resized and converted. */
  info: DatasetSourceInfo;
  layers: StoredPassOne[];
  /** Content digests of the samples read (float64) and their indices (int32), for the split overlap. */
  digests: { hashes: string; indices: string };
}

export interface PassOneBody {
  identity: ShardIdentity;
  shard: ShardSpec;
  splits: { train: PassOneSplit; test?: PassOneSplit };
  warnings: string[];
  /** What ran the model (cpu, cuda, ...). */
  provider: string;
  seconds: number;
}

export interface MeansSplit {
  chosen: number[];
  classNames: string[] | null;
  info: DatasetSourceInfo;
  layers: StoredPassOne[];
}

export interface MeansBody {
  identity: ShardIdentity;
  /** The phase-1 shards merged (n), and their files' checksums in shard order. */
  shards: number;
  passOne: string[];
  splits: { train: MeansSplit; test?: MeansSplit };
  warnings: string[];
  /** What ran the model in each phase-1 shard, in shard order. */
  providers: string[];
  seconds: number;
}

/** One layer's pass-2 sums. */
export interface StoredPassTwo {
  name: string;
  samples: number;
  nc1Sums: string;
  rank: number;
  nccCorrect: number;
  logitSamples: number;
  networkCorrect: number;
  disagreements: number;
  points: ProjectionTotals['points'];
}

export interface PassTwoSplit {
  correct: number;
  seen: number;
  kernel: MetricsKernel;
  layers: StoredPassTwo[];
}

/** What the result needs beyond the metrics, as the shard's analysis knew it (the same on every shard). */
export interface AssemblyContext extends Omit<AssemblyBase, 'graph' | 'probes' | 'reductions'> {
  graph: AssembledGraph;
  probes: AssembledProbe[];
  reductions: [string, PlannedReduction][] | null;
  classifierNumbers: ClassifierMetrics | null;
  classNames: { train: string[] | null; test: string[] | null };
}

export interface PassTwoBody {
  identity: ShardIdentity;
  shard: ShardSpec;
  /** The means file this shard ran against: its checksum, and where it was. */
  means: { sha256: string; path: string };
  splits: { train: PassTwoSplit; test?: PassTwoSplit };
  context: AssemblyContext;
  seconds: number;
}

export function storePassOne(totals: PassOneTotals): StoredPassOne {
  return { name: totals.layer, dim: totals.dim, counts: encodeFloat64(totals.counts), means: encodeFloat64(totals.means), scatter: encodeFloat64(totals.scatter) };
}

export function loadPassOne(stored: StoredPassOne, numClasses: number, what: string): PassOneTotals {
  const where = `${what}, layer "${stored.name}"`;
  return {
    layer: stored.name,
    numClasses,
    dim: stored.dim,
    counts: decodeFloat64(stored.counts, numClasses, `${where} counts`),
    means: decodeFloat64(stored.means, numClasses * stored.dim, `${where} means`),
    scatter: decodeFloat64(stored.scatter, numClasses, `${where} scatter`),
  };
}

export function storePassTwo(name: string, totals: ProjectionTotals): StoredPassTwo {
  const { samples, nccCorrect, logitSamples, networkCorrect, disagreements, points } = totals;
  return { name, samples, nc1Sums: encodeFloat64(totals.nc1Sums), rank: totals.nc1Sums.length, nccCorrect, logitSamples, networkCorrect, disagreements, points };
}

export function loadPassTwo(stored: StoredPassTwo, what: string): ProjectionTotals {
  const { samples, nccCorrect, logitSamples, networkCorrect, disagreements, points } = stored;
  return { samples, nc1Sums: decodeFloat64(stored.nc1Sums, stored.rank, `${what}, layer "${stored.name}" NC1 sums`), nccCorrect, logitSamples, networkCorrect, disagreements, points };
}
