/**
 * One shard of an analysis, one phase at a time (collapse-lens analyze --shard i/n --phase 1|2): the
 * same loading, checks, preprocessing and reducer (metrics workers for wide probes) as a whole run
 * (withPreparedAnalysis), on the shard's slice of each split, keeping the raw sums a merge needs instead
 * of finishing the metrics.
 */
import { resolve } from 'node:path';
import type { AnalyzeRequest } from '../../protocol/engine';
import type { Preprocessor } from '../../core/dataset';
import { SampleDigests } from '../../core/dataset';
import type { AnalysisHooks } from '../analyze/hooks';
import { withPreparedAnalysis, type PreparedAnalysis } from '../analyze/pipeline';
import { sweep } from '../analyze/passes';
import type { ShardPassTwoTotals } from '../analyze/reducer';
import type { Reducer } from '../analyze/reducerClient';
import { describeSplit, type PreparedSplit } from '../analyze/splits';
import { UserError } from '../errors';
import { storePassOne, storePassTwo, type AssemblyContext, type MeansBody, type PassOneBody, type PassOneSplit, type PassTwoBody, type PassTwoSplit } from './bodies';
import { requireSameIdentity, shardIdentity, type ShardIdentity } from './identity';
import { meansTotals } from './meansStats';
import { encodeFloat64, encodeInt32, expectSchema, MEANS_SCHEMA, readShardFile } from './shardFile';
import { sliceSplit, type ShardSpec } from './slice';

/** Opens the analysis on the shard's slices, and its identity (with each split's size before the cut). */
function withShard<T>(request: AnalyzeRequest, spec: ShardSpec, hooks: AnalysisHooks, body: (prepared: PreparedAnalysis, identity: ShardIdentity) => Promise<T>): Promise<T> {
  const chosen = { train: 0, test: 0 };
  const slice = async (split: PreparedSplit): Promise<PreparedSplit> => {
    chosen[split.name] = split.indices.length;
    return sliceSplit(split, spec);
  };
  return withPreparedAnalysis(request, hooks, { slice }, (prepared) =>
    body(prepared, shardIdentity(prepared.base, prepared.loaded.reducerSetup, prepared, chosen)),
  );
}

const reducerOf = (prepared: PreparedAnalysis): Promise<Reducer> => prepared.loaded.reducerStarting;

const seconds = (since: number) => (performance.now() - since) / 1000;

/** Both splits in turn (the training split first), each through `run`. */
async function eachSplit<S>(prepared: PreparedAnalysis, run: (split: PreparedSplit, pre: Preprocessor) => Promise<S>): Promise<{ train: S; test?: S }> {
  const train = await run(prepared.train, prepared.preprocess);
  const test = prepared.test && prepared.preprocessTest ? await run(prepared.test, prepared.preprocessTest) : undefined;
  return test ? { train, test } : { train };
}

/** Pass 1 over the shard's samples: per layer, the class counts, means and scatter, unfinished. */
export function runShardPassOne(request: AnalyzeRequest, spec: ShardSpec, hooks: AnalysisHooks): Promise<PassOneBody> {
  return withShard(request, spec, hooks, async (prepared, identity) => {
    const started = performance.now();
    const reducer = await reducerOf(prepared);
    const owned = prepared.runner.ownsOutputs === true;
    const splits = await eachSplit(prepared, async (split, pre): Promise<PassOneSplit> => {
      await reducer.beginPassOne(split.name);
      const digests = new SampleDigests();
      await sweep(split, pre, prepared.runner, request.batchSize, 'pass1', hooks, (batch, progress) => reducer.add(batch, owned, progress), (raw) => digests.add(raw));
      await split.source.verify?.();
      const totals = await reducer.endPassOneTotals();
      const recorded = digests.recorded();
      return {
        chosen: split.classCounts,
        classNames: split.source.classNames,
        info: describeSplit(split.source, split.info.source),
        layers: [...totals.values()].map(storePassOne),
        digests: { hashes: encodeFloat64(recorded.hashes), indices: encodeInt32(recorded.indices) },
      };
    });
    return { identity, shard: spec, splits, warnings: prepared.warnings, provider: prepared.base.provider, seconds: prepared.loadSeconds + seconds(started) };
  });
}

/** What the final merge needs to assemble the result, beyond the metrics. */
function assemblyContext(prepared: PreparedAnalysis, classifierNumbers: AssemblyContext['classifierNumbers']): AssemblyContext {
  const { graph, probes, reductions, ...rest } = prepared.base;
  return {
    ...rest,
    graph: { format: graph.format, classifier: graph.classifier ? { inputLayer: graph.classifier.inputLayer, logitsLayer: graph.classifier.logitsLayer } : null, ...(graph.classifierUnavailable ? { classifierUnavailable: graph.classifierUnavailable } : {}) },
    probes: probes.map((p) => ({ name: p.name, op: p.op, shape: p.shape })),
    reductions: reductions ? [...reductions] : null,
    classifierNumbers,
    classNames: { train: prepared.train.source.classNames, test: prepared.test?.source.classNames ?? null },
  };
}

function storeSplitTotals(totals: ShardPassTwoTotals): PassTwoSplit {
  return { correct: totals.correct, seen: totals.seen, kernel: totals.kernel, layers: [...totals.layers].map(([name, t]) => storePassTwo(name, t)) };
}

/** Reads the means file `--means` names; refused when it is not one. */
export async function readMeansFile(path: string): Promise<{ sha256: string; body: MeansBody }> {
  const file = expectSchema<MeansBody>(await readShardFile(path), MEANS_SCHEMA, '--means takes the file `collapse-lens merge` wrote from the phase-1 files');
  return { sha256: file.sha256, body: file.body };
}

/** Pass 2 over the shard's samples, against the class means merged from every phase-1 shard. */
export async function runShardPassTwo(request: AnalyzeRequest, spec: ShardSpec, meansPath: string, hooks: AnalysisHooks): Promise<PassTwoBody> {
  // Read before the model is loaded: a wrong file is a one-line fix.
  const means = await readMeansFile(meansPath);
  return withShard(request, spec, hooks, async (prepared, identity) => {
    requireSameIdentity(identity, 'this run', means.body.identity, meansPath);
    const started = performance.now();
    const totals = meansTotals(means.body, meansPath);
    const reducer = await reducerOf(prepared);
    const owned = prepared.runner.ownsOutputs === true;
    let classifierNumbers: AssemblyContext['classifierNumbers'] = null;
    const splits = await eachSplit(prepared, async (split, pre): Promise<PassTwoSplit> => {
      const own = split.name === 'train' ? totals.train : totals.test;
      if (!own) throw new UserError(`${meansPath}: has no class means of the held-out split, and this run has one`);
      const start = await reducer.beginPassTwo(split.name, own, totals.train);
      if (split.name === 'train') classifierNumbers = start.classifierNumbers;
      await sweep(split, pre, prepared.runner, request.batchSize, 'pass2', hooks, (batch, progress) => reducer.add(batch, owned, progress));
      return storeSplitTotals(await reducer.endPassTwoTotals());
    });
    return {
      identity,
      shard: spec,
      // Absolute, so a merge run from another folder finds it.
      means: { sha256: means.sha256, path: resolve(meansPath) },
      splits,
      context: assemblyContext(prepared, classifierNumbers),
      seconds: prepared.loadSeconds + seconds(started),
    };
  });
}
