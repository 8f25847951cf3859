/**
 * Which samples a shard reads. Each split's chosen samples (after the balanced, seeded subsample, in the
 * order a whole run reads them) are cut into n contiguous runs of nearly equal length: shard i of n
 * (1-based, as Slurm's --array=1-n and `seq 1 n` count) reads positions floor((i-1) N / n) up to, not
 * including, floor(i N / n). Every sample is in exactly one shard, whatever N and n; a shard may be
 * empty when n > N. Contiguous runs keep each shard's reads in file order.
 */
import { UsageError } from '../errors';
import type { PreparedSplit } from '../analyze/splits';

export interface ShardSpec {
  /** 1-based. */
  index: number;
  count: number;
}

/** More shards than this is a typo, not a cluster. */
export const MAX_SHARDS = 100_000;

/** "i/n" as given to --shard. */
export function parseShardSpec(text: string): ShardSpec {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!match) throw new UsageError(`--shard: expected i/n (this shard's number from 1 to n, and the number of shards), got "${text}"`);
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1 || count > MAX_SHARDS) throw new UsageError(`--shard: the number of shards must be from 1 to ${MAX_SHARDS}, got "${text}"`);
  if (index < 1 || index > count) throw new UsageError(`--shard: the shard's number must be from 1 to ${count} (shards count from 1), got "${text}"`);
  return { index, count };
}

/** Positions [from, to) of shard `spec` among `total` samples. */
export function shardRange(total: number, spec: ShardSpec): { from: number; to: number } {
  return { from: Math.floor(((spec.index - 1) * total) / spec.count), to: Math.floor((spec.index * total) / spec.count) };
}

/** The split restricted to the shard's samples, with its per-class counts of them. */
export async function sliceSplit(split: PreparedSplit, spec: ShardSpec): Promise<PreparedSplit> {
  const { from, to } = shardRange(split.indices.length, spec);
  const indices = split.indices.slice(from, to);
  const labels = await split.source.labels();
  const classCounts = new Array<number>(split.classCounts.length).fill(0);
  for (const i of indices) classCounts[labels[i]!]!++;
  return { ...split, indices, classCounts };
}
