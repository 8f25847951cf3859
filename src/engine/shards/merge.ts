/**
 * `collapse-lens merge`: phase-1 shard files into the class-means file, or phase-2 shard files (with
 * that means file) into the result JSON. The totals merge with the accumulators' own merges (Chan's
 * update for pass 1, sums for pass 2), in shard order, in float64: the result equals a single run's up
 * to the order of summation. Every file is checked first: its schema and checksum, the same checkpoint,
 * data and settings as the others, each shard of the step exactly once, and, for phase 2, the same means.
 */
import { ClassStatsAccumulator, ProjectionAccumulator, type ClassStats } from '../../core/metrics';
import type { MetricsKernel } from '../../core/metrics/wasm/kernels';
import { overlapWarning, SampleDigests } from '../../core/dataset';
import type { AnalysisResult, DatasetSourceInfo, SplitLayerMetrics } from '../../core/result';
import { assembleResult, type SplitOutcome } from '../analyze/assemble';
import { checkNoClassEmptied } from '../analyze/splits';
import { UserError } from '../errors';
import { loadPassOne, loadPassTwo, storePassOne, type MeansBody, type MeansSplit, type PassOneBody, type PassOneSplit, type PassTwoBody, type PassTwoSplit } from './bodies';
import { requireSameIdentity, type ShardIdentity } from './identity';
import { meansStats } from './meansStats';
import { decodeFloat64, decodeInt32, kindOf, type ShardFile } from './shardFile';
import type { ShardSpec } from './slice';

type Sharded = ShardFile<{ identity: ShardIdentity; shard: ShardSpec }>;

/** Runs of consecutive numbers, "1-3, 5". */
function ranges(numbers: number[]): string {
  const out: string[] = [];
  for (let i = 0; i < numbers.length; i++) {
    let j = i;
    while (j + 1 < numbers.length && numbers[j + 1] === numbers[j]! + 1) j++;
    out.push(i === j ? String(numbers[i]) : `${numbers[i]}-${numbers[j]}`);
    i = j;
  }
  return out.join(', ');
}

/**
 * Refuses a set of one step's shard files that is not every shard exactly once, or whose files were made
 * for another checkpoint, data or settings than the first; returns them in shard order.
 */
export function checkShardSet<F extends Sharded>(files: F[]): F[] {
  const first = files[0];
  if (!first) throw new UserError('merge needs the shard files of one phase');
  const n = first.body.shard.count;
  const byIndex = new Map<number, F>();
  for (const file of files) {
    const { index, count } = file.body.shard;
    if (count !== n) throw new UserError(`${file.path}: is shard ${index}/${count}, and ${first.path} is shard ${first.body.shard.index}/${n}: the files of one step must come from the same cut into shards`);
    const twin = byIndex.get(index);
    if (twin) throw new UserError(`shard ${index}/${n} is given twice: ${twin.path} and ${file.path}; its samples would count twice`);
    byIndex.set(index, file);
    requireSameIdentity(first.body.identity, first.path, file.body.identity, file.path);
  }
  const missing = Array.from({ length: n }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  if (missing.length > 0) {
    throw new UserError(
      `shard${missing.length > 1 ? 's' : ''} ${ranges(missing)} of ${n} ${missing.length > 1 ? 'are' : 'is'} missing (given: ${ranges([...byIndex.keys()].sort((a, b) => a - b)) || 'none'}); ` +
        'merge needs every shard of the step exactly once, or its samples would be left out',
    );
  }
  return [...byIndex.keys()].sort((a, b) => a - b).map((i) => byIndex.get(i)!);
}

/** Refuses a mix of kinds: merge takes the files of one phase. */
export function checkOnePhase(files: ShardFile<unknown>[]): void {
  const first = files[0];
  if (!first) return;
  for (const file of files) {
    if (file.schema !== first.schema) {
      throw new UserError(`${file.path}: is ${kindOf(file.schema)}, and ${first.path} is ${kindOf(first.schema)}; merge takes the files of one phase (the means file goes with --means)`);
    }
  }
}

/** A tally of the reads ({count, examples}) summed over shards, the first examples kept. */
function sumTally<T extends { count: number; examples: string[] }>(parts: (T | undefined)[]): T | undefined {
  const present = parts.filter((p): p is T => p !== undefined);
  if (present.length === 0) return undefined;
  const examples = present.flatMap((p) => p.examples).slice(0, Math.max(...present.map((p) => p.examples.length)));
  return { ...present[0]!, count: present.reduce((a, p) => a + p.count, 0), examples };
}

/** The split's dataset info over all shards: the first shard's, with what each shard's reads skipped, resized and converted summed. */
function mergeInfos(infos: DatasetSourceInfo[]): DatasetSourceInfo {
  const merged: DatasetSourceInfo = { ...infos[0]! };
  for (const key of ['skipped', 'resized', 'converted'] as const) {
    const sum = sumTally(infos.map((info) => info[key] as { count: number; examples: string[] } | undefined));
    if (sum) merged[key] = sum as never;
    else delete merged[key];
  }
  const kinds = infos.map((info) => info.converted?.kinds).filter((k) => k !== undefined);
  if (merged.converted && kinds.length > 0) {
    const total: Record<string, number> = {};
    for (const k of kinds) for (const [kind, n] of Object.entries(k)) total[kind] = (total[kind] ?? 0) + (n ?? 0);
    merged.converted = { ...merged.converted, kinds: total };
  }
  return merged;
}

/** One split's pass-1 totals over every shard, merged layer by layer in shard order. */
function mergePassOneSplit(parts: { path: string; split: PassOneSplit }[], numClasses: number, name: 'train' | 'test'): MeansSplit {
  const first = parts[0]!.split;
  const layers = first.layers.map((layer, l) => {
    const merged = new ClassStatsAccumulator(layer.name, numClasses, layer.dim);
    for (const { path, split } of parts) {
      const stored = split.layers[l];
      if (stored?.name !== layer.name) throw new UserError(`${path}: its ${name} split's layer ${l + 1} is "${stored?.name}", not "${layer.name}"`);
      merged.mergeTotals(loadPassOne(stored, numClasses, `${path}: ${name} split`));
    }
    return storePassOne(merged.totals());
  });
  const chosen = first.chosen.map((_, c) => parts.reduce((a, p) => a + (p.split.chosen[c] ?? 0), 0));
  return { chosen, classNames: first.classNames, info: mergeInfos(parts.map((p) => p.split.info)), layers };
}

function digestsOf(parts: { path: string; split: PassOneSplit }[]): SampleDigests {
  const digests = new SampleDigests();
  for (const { path, split } of parts) {
    const indices = decodeInt32(split.digests.indices, `${path}: sample indices`);
    digests.addRecorded(decodeFloat64(split.digests.hashes, indices.length, `${path}: sample digests`), indices);
  }
  return digests;
}

/** The class-means file's body from every phase-1 shard. */
export function mergePassOne(given: ShardFile<PassOneBody>[], started: number): MeansBody {
  const files = checkShardSet(given);
  const identity = files[0]!.body.identity;
  const K = identity.settings.numClasses;
  const warnings: string[] = [];
  const splitOf = (name: 'train' | 'test'): MeansSplit | undefined => {
    const parts = files.flatMap((f) => (f.body.splits[name] ? [{ path: f.path, split: f.body.splits[name]! }] : []));
    if (parts.length === 0) return undefined;
    const merged = mergePassOneSplit(parts, K, name);
    const read = Array.from(loadPassOne(merged.layers[0]!, K, name).counts);
    checkNoClassEmptied({ name, classCounts: merged.chosen, info: merged.info, source: { format: merged.info.format, source: merged.info.source, classNames: merged.classNames } }, read);
    return merged;
  };
  const train = splitOf('train') as MeansSplit;
  const test = splitOf('test');
  if (test) {
    const part = (name: 'train' | 'test') => files.map((f) => ({ path: f.path, split: f.body.splits[name]! }));
    // Across shards: a held-out sample in shard 3 may be a training sample of shard 5.
    const overlap = digestsOf(part('train')).overlap(digestsOf(part('test')), {}, {});
    test.info.overlap = overlap;
    const warning = overlapWarning(overlap, train.info.source, test.info.source);
    if (warning) warnings.push(warning);
  }
  const seconds = files.reduce((a, f) => a + f.body.seconds, 0) + (performance.now() - started) / 1000;
  return { identity, shards: files.length, passOne: files.map((f) => f.sha256), splits: test ? { train, test } : { train }, warnings, providers: files.map((f) => f.body.provider), seconds };
}

/** One split's metrics from every phase-2 shard's sums, against the means' statistics. */
function mergePassTwoSplit(parts: { path: string; split: PassTwoSplit }[], own: Map<string, ClassStats>, reference: Map<string, ClassStats>, classifierInput: string | null, name: string) {
  const metrics = new Map<string, SplitLayerMetrics>();
  let nc4: number | null = null;
  for (const [layer, stats] of own) {
    const merged = new ProjectionAccumulator(stats, reference.get(layer) as ClassStats);
    for (const { path, split } of parts) {
      const stored = split.layers.find((l) => l.name === layer);
      if (!stored) throw new UserError(`${path}: has no pass-2 sums of layer "${layer}" on the ${name} split`);
      merged.mergeTotals(loadPassTwo(stored, `${path}: ${name} split`));
    }
    metrics.set(layer, merged.finish());
    if (layer === classifierInput) nc4 = merged.finishNetwork().nc4 ?? null;
  }
  const seen = parts.reduce((a, p) => a + p.split.seen, 0);
  const correct = parts.reduce((a, p) => a + p.split.correct, 0);
  const kernel: MetricsKernel = parts.find((p) => p.split.kernel.kind === 'javascript')?.split.kernel ?? parts[0]!.split.kernel;
  return { metrics, nc4, accuracy: seen > 0 ? correct / seen : null, kernel };
}

/**
 * Shards whose model ran on different providers (CPU on some machines, CUDA on others): allowed, but
 * their float32 features differ in the last bits, so the result equals a single run only to that noise.
 */
function providerWarning(passOne: string[], passTwo: string[]): string[] {
  const counts = new Map<string, number>();
  for (const provider of [...passOne, ...passTwo]) counts.set(provider, (counts.get(provider) ?? 0) + 1);
  if (counts.size < 2) return [];
  const list = [...counts].map(([provider, n]) => `${provider} in ${n}`).join(', ');
  return [
    `the shards ran the model on different providers (${list} of the ${passOne.length + passTwo.length} shard runs); \`provider\` names the first phase-2 shard's. ` +
      'Their features differ by float32 rounding, so the numbers match a single run to that precision, not to the last bit',
  ];
}

/** The result JSON from every phase-2 shard and the means file they ran against. */
export function mergePassTwo(given: ShardFile<PassTwoBody>[], means: { path: string; sha256: string; body: MeansBody }, started: number): AnalysisResult {
  const files = checkShardSet(given);
  for (const file of files) {
    if (file.body.means.sha256 !== means.sha256) {
      throw new UserError(
        `${file.path}: ran against other class means (checksum ${file.body.means.sha256.slice(0, 12)}…, from ${file.body.means.path}) than ${means.path} (${means.sha256.slice(0, 12)}…); ` +
          'every phase-2 shard must use the means of the same phase-1 merge, and the merge must be given that file',
      );
    }
  }
  requireSameIdentity(files[0]!.body.identity, files[0]!.path, means.body.identity, means.path);
  const stats = meansStats(means.body, means.path);
  const { context } = files[0]!.body;
  const classifierInput = context.graph.classifier?.inputLayer ?? null;
  const outcome = (name: 'train' | 'test', own: Map<string, ClassStats>, split: MeansSplit): SplitOutcome => {
    const parts = files.map((f) => ({ path: f.path, split: f.body.splits[name]! }));
    const merged = mergePassTwoSplit(parts, own, stats.train, classifierInput, name);
    const classCounts = Array.from(own.values().next().value!.counts);
    const seconds = 0;
    return { split: { info: split.info, classCounts, source: { classNames: context.classNames[name] } }, ...merged, samples: classCounts.reduce((a, b) => a + b, 0), seconds };
  };
  const train = outcome('train', stats.train, means.body.splits.train);
  const test = stats.test && means.body.splits.test ? outcome('test', stats.test, means.body.splits.test) : undefined;
  const passTwoSeconds = files.reduce((a, f) => a + f.body.seconds, 0);
  const mergeSeconds = (performance.now() - started) / 1000;
  const { classNames: _names, reductions, classifierNumbers, ...base } = context;
  const result = assembleResult({
    ...base,
    reductions: reductions ? new Map(reductions) : undefined,
    warnings: [...context.warnings, ...means.body.warnings, ...providerWarning(means.body.providers, files.map((f) => f.body.context.provider))],
    train,
    ...(test ? { test } : {}),
    classifierNumbers,
    timing: { totalSeconds: means.body.seconds + passTwoSeconds + mergeSeconds, passOneSeconds: means.body.seconds, passTwoSeconds, mergeSeconds },
  });
  result.shards = { passOne: means.body.shards, passTwo: files.length, means: means.sha256 };
  return result;
}
