import { access } from 'node:fs/promises';
import { basename } from 'node:path';
import type { AnalysisResult } from '../../core/result';
import type { LayerInfo, ModelGraph, ModelRunner } from '../../core/model/types';
import type { AnalyzeRequest } from '../../protocol/engine';
import { resolveProbes } from '../../core/model/onnx';
import type { Preprocessor } from '../../core/dataset';
import { buildPreprocessor, checkSplitsAgree, loadDatasetConfig, overlapWarning, refuseIdenticalSplits, resolvePreprocessing, SampleDigests } from '../../core/dataset';
import type { ClassifierMetrics } from '../../core/metrics';
import { createRunner } from '../backends';
import { UserError } from '../errors';
import { describeFsError } from '../../core/dataset/fileAccess';
import { checkpointSha256 } from '../../core/model/checkpointContent';
import { assertFiniteWeights, loadModelGraph } from './loadModel';
import { checkNoClassEmptied, describeSplit, prepareSplit, type PreparedSplit } from './splits';
import { conformSplitImages } from './imageShape';
import { preprocessingWarning } from '../../core/imageReadReport';
import { replay, sweep } from './passes';
import { PassTwoCache, passTwoCacheBudget, type PassTwoSource } from './passTwoCache';
import { createReducer, MainThreadReducer, type Reducer } from './reducerClient';
import type { ReducerBatch } from './reducer';
import { inGraphPasses, planReductionPath, reductionsChoice, type ReductionPlan } from './inGraphPasses';
import { isOnnxModel } from '../../core/model/onnx/types';
import type { AnalysisHooks } from './hooks';
import { assembleResult, type AssemblyBase, type SplitOutcome } from './assemble';
import type { ReducerSetup } from './reducer';
import { batchRowsInFlight, checkMemoryFits, estimateAnalysisMemory, gapCandidates, memoryLeftFor, type ProbeSize } from './memoryEstimate';
import { planReductions, type PlannedReduction } from '../../core/model/reduction';
import { withReductions } from './reducingRunner';
import { messageOf } from '../../core/messageOf';

function numClassesOf(graph: ModelGraph): number {
  const K = graph.numOutputs ?? graph.classifier?.numClasses ?? null;
  if (K === null) throw new UserError(`${graph.path}: cannot tell the number of classes (the logits' width is unknown)`);
  if (K < 2) throw new UserError(`${graph.path}: the model has ${K} output; neural collapse needs at least 2 classes`);
  return K;
}

const dimOf = (layer: LayerInfo): number => layer.shape.reduce<number>((a, d) => a * (d ?? NaN), 1);

/** Each probe's reduction (the user's choice, else the default), refused as a user error when it does not fit. */
function planFor(graph: ModelGraph, probes: LayerInfo[], request: AnalyzeRequest): Map<string, PlannedReduction> {
  try {
    return planReductions(graph.path, probes, request.reduction, graph.tokens);
  } catch (err) {
    throw new UserError(messageOf(err));
  }
}

/** The probes the user chose, plus the classifier's input (NC3/NC4 need it) in its topological place. */
function probesWithClassifierInput(graph: ModelGraph, selection: AnalyzeRequest['layers']): LayerInfo[] {
  const probes = resolveProbes(graph, selection);
  const input = graph.classifier?.inputLayer;
  if (input && !probes.some((p) => p.name === input)) {
    const layer = graph.layers.find((l) => l.name === input);
    if (layer) probes.push(layer);
    probes.sort((a, b) => a.index - b.index);
  }
  for (const p of probes) {
    if (!Number.isFinite(dimOf(p))) {
      const why = p.shapeUnknown ?? 'it could not be resolved';
      throw new UserError(`${graph.path}: layer "${p.name}" cannot be probed: its per-sample shape is not known (${p.shape.map((d) => d ?? '?').join('x')}; ${why})`);
    }
  }
  return probes;
}

/**
 * The whole analysis of one checkpoint: pass 1 (class means) and pass 2 (projections) over the
 * training split, then over the held-out split, one inference per batch serving every probe.
 */
export function analyzeCheckpoint(request: AnalyzeRequest, hooks: AnalysisHooks): Promise<AnalysisResult> {
  return withPreparedAnalysis(request, hooks, {}, (prepared) => runBothPasses(prepared, hooks));
}

/**
 * Which slice of each split an analysis reads: every sample, or one shard's (analyze --shard), applied
 * once the splits are chosen, so a shard selects, sizes and checks the same samples as the whole run.
 */
export interface AnalysisOpening {
  slice?: (split: PreparedSplit) => Promise<PreparedSplit>;
  /** The shard runners feed the runner's outputs to their own reducers: the JavaScript path only. */
  reductionsInJavaScript?: boolean;
}

/**
 * Loads the checkpoint, opens and checks the splits, builds the preprocessing and the runner, and hands
 * them to `body`; everything is closed when it returns or throws.
 */
export async function withPreparedAnalysis<T>(request: AnalyzeRequest, hooks: AnalysisHooks, opening: AnalysisOpening, body: (prepared: PreparedAnalysis) => Promise<T>): Promise<T> {
  const started = performance.now();
  hooks.onProgress({ stage: 'load', done: 0, total: 1, message: `reading ${basename(request.checkpoint)}` });
  try {
    await access(request.checkpoint);
  } catch (err) {
    throw describeFsError(request.checkpoint, err);
  }
  const graph = await loadModelGraph(request.checkpoint, request.threads);
  assertFiniteWeights(graph);
  const probes = probesWithClassifierInput(graph, request.layers);
  const K = numClassesOf(graph);
  const logitsName = graph.classifier?.logitsLayer ?? graph.logitsLayer;
  const reductions = planFor(graph, probes, request);
  const layers = probes.map((p) => ({ name: p.name, dim: reductions.get(p.name)?.dim ?? dimOf(p), fetchedDim: dimOf(p) }));
  const gapOffers = gapCandidates(reductions);
  // The class means alone, from the graph's shapes: refused before any data is opened. The batches in
  // flight are added once the splits' sizes are known (below, in analyzeWith).
  checkMemoryFits(request.checkpoint, estimateAnalysisMemory(layers, K, request.test !== undefined, 0), K, undefined, gapOffers);
  let reductionPlan: ReductionPlan;
  try {
    // Shards merge the JavaScript path's totals (docs/shards.md): asking for the graph there is refused, not ignored.
    if (opening.reductionsInJavaScript && request.reductions === 'graph') throw new Error('--reductions graph is not available for a sharded run (--shard); shards reduce on the JavaScript path');
    const asked = opening.reductionsInJavaScript ? { choice: 'js' as const, explicit: false } : reductionsChoice(request.reductions, request.provider);
    reductionPlan = planReductionPath(asked, graph, probes, reductions);
  } catch (err) {
    throw new UserError(messageOf(err));
  }
  const reducerSetup: ReducerSetup = {
    layers,
    numClasses: K,
    classifier: graph.classifier ? { W: graph.classifier.W, b: graph.classifier.b, ...(graph.classifier.biasless ? { biasless: true } : {}) } : null,
    classifierInput: graph.classifier?.inputLayer ?? null,
    logitsName: logitsName ?? null,
  };
  // The metrics worker starts now, while the data are opened and the session is created (~50 ms). In the
  // graph only B x R numbers per probe reach JavaScript: no worker is worth starting for them.
  const reducerStarting = reductionPlan.path === 'in-graph-float64' ? Promise.resolve(new MainThreadReducer(reducerSetup)) : createReducer(reducerSetup);
  try {
    return await analyzeWith(request, { graph, probes, layers, reductions, gapOffers, K, logitsName, reducerSetup, reducerStarting, reductionPlan, started }, opening, body);
  } finally {
    await (await reducerStarting).dispose();
  }
}

interface LoadedAnalysis {
  graph: ModelGraph;
  probes: LayerInfo[];
  layers: ProbeSize[];
  reductions: Map<string, PlannedReduction>;
  /** Flattened conv maps a memory refusal offers to reduce with gap. */
  gapOffers: string[];
  K: number;
  logitsName: string | undefined;
  reducerSetup: ReducerSetup;
  reducerStarting: Promise<Reducer>;
  reductionPlan: ReductionPlan;
  started: number;
}

type AnalysisRunner = ModelRunner & { inGraph?: ReturnType<typeof inGraphPasses> };

/** The in-graph path's runner: `run` is never called on it, the sweeps use its passes. */
async function openInGraph(graph: ModelGraph, plan: ReductionPlan, fetch: string[], request: AnalyzeRequest, reducer: Reducer, loaded: LoadedAnalysis): Promise<AnalysisRunner> {
  if (!isOnnxModel(graph) || !(reducer instanceof MainThreadReducer)) throw new Error('the in-graph reductions need an ONNX model and the main-thread reducer');
  const { OnnxGraphRunner } = await import('../backends/onnxGraphRunner');
  const inGraphNames = new Set(plan.inGraph.map((p) => p.name));
  // The logits always come raw (accuracy, NC4), even when they are also a probe reduced in the graph.
  const raw = fetch.filter((n) => !inGraphNames.has(n) || n === loaded.logitsName);
  const runner = await OnnxGraphRunner.open(graph, plan.inGraph, loaded.K, { provider: request.provider, threads: request.threads, fetch: raw });
  return {
    provider: runner.provider,
    runtime: runner.runtime,
    ownsOutputs: true,
    run: () => Promise.reject(new Error('the in-graph runner runs through its passes')),
    dispose: () => runner.dispose(),
    inGraph: inGraphPasses(runner, reducer.reducer, loaded.reductions, loaded.K),
  };
}

/** An analysis ready to run its passes: what withPreparedAnalysis hands to its body. */
export interface PreparedAnalysis {
  request: AnalyzeRequest;
  loaded: LoadedAnalysis;
  train: PreparedSplit;
  test: PreparedSplit | undefined;
  preprocess: Preprocessor;
  preprocessTest: Preprocessor | undefined;
  runner: AnalysisRunner;
  /** Warnings so far (split overlap, conversions); the passes add theirs. */
  warnings: string[];
  /** The result's inputs known before any pass (assembleResult takes them with the splits' outcomes). */
  base: AssemblyBase;
  loadSeconds: number;
  /** The pass-2 cache's budget in bytes (passTwoCache.ts); 0 where it is off or does not apply. */
  passTwoCacheBytes: number;
}

async function analyzeWith<T>(request: AnalyzeRequest, loaded: LoadedAnalysis, opening: AnalysisOpening, body: (prepared: PreparedAnalysis) => Promise<T>): Promise<T> {
  const { graph, probes, K, logitsName, started } = loaded;
  const seconds = (since: number) => (performance.now() - since) / 1000;
  const config = await loadDatasetConfig(request.train.path, request.checkpoint);
  const options = resolvePreprocessing(request.preprocessing ?? null, config?.config.preprocessing ?? null, request.preprocessingSettings ?? null);
  const perClass = request.perClass ?? options.perClass;
  const seed = request.seed ?? options.seed;
  const strict = request.strict === true;
  let train = await prepareSplit('train', { ...request.train, strict }, K, perClass, seed);
  let test: PreparedSplit | undefined;
  // Every exit from here on (a shape that does not fit, a runner that fails to start) closes the files.
  try {
    await conformSplitImages(train, graph.input, options);
    test = request.test ? await prepareSplit('test', { ...request.test, strict }, K, perClass, seed) : undefined;
    if (test) await conformSplitImages(test, graph.input, options, train);
    // With the batches in flight, once the splits are known (still before any memory is taken: the
    // accumulators start with the first batch). A batch never holds more samples than the split has, so
    // --batch-size 100000 on 200 samples costs 200 samples' outputs, not 100,000.
    const rows = batchRowsInFlight(request.batchSize, [train.indices.length, test?.indices.length ?? 0]);
    const estimate = estimateAnalysisMemory(loaded.layers, K, test !== undefined, rows);
    checkMemoryFits(request.checkpoint, estimate, K, undefined, loaded.gapOffers);
    // The pass-2 cache (plain JavaScript path, whole runs only: shards and the in-graph passes reduce their
    // own way) takes at most its budget, and never more than the estimate leaves of this machine's memory.
    const passTwoCacheBytes = opening.reductionsInJavaScript || opening.slice || loaded.reductionPlan.path !== 'javascript-float64' ? 0 : Math.min(passTwoCacheBudget(), memoryLeftFor(estimate));
    const warnings: string[] = [];
    if (test) {
      await refuseIdenticalSplits(train.source, test.source, { train: train.indices, test: test.indices });
      warnings.push(
        ...checkSplitsAgree(
          { source: train.source.source, classNames: train.source.classNames, labels: await train.source.labels() },
          { source: test.source.source, classNames: test.source.classNames, labels: await test.source.labels() },
        ),
      );
    }
    if (opening.slice) {
      train = await opening.slice(train);
      if (test) test = await opening.slice(test);
    }
    const preprocessOptions = { ...options, perClass, seed, ...(config ? { configFile: config.path } : {}) };
    const preprocess = buildPreprocessor(train.source, graph.input, preprocessOptions);
    const preprocessTest = test ? buildPreprocessor(test.source, graph.input, preprocessOptions) : undefined;
    for (const [name, pre] of [['train', preprocess], ['test', preprocessTest]] as const) {
      const converted = pre ? preprocessingWarning(name, pre.info) : null;
      if (converted) warnings.push(converted);
    }
    const sha256 = request.checkpointSha256 ?? (await checkpointSha256(request.checkpoint));
    const fetch = [...new Set([...probes.map((p) => p.name), ...(logitsName ? [logitsName] : [])])];
    const plan = loaded.reductionPlan;
    const runner: AnalysisRunner =
      plan.path === 'in-graph-float64'
        ? await openInGraph(graph, plan, fetch, request, await loaded.reducerStarting, loaded)
        : withReductions(await createRunner(graph, { provider: request.provider, threads: request.threads, fetch }), loaded.reductions);
    const loadSeconds = seconds(started);
    const base: AssemblyBase = {
      request,
      graph,
      probes,
      reductions: loaded.reductions,
      numClasses: K,
      sha256,
      provider: runner.provider,
      runtime: { ...runner.runtime, reductionPath: plan.path, ...(plan.note ? { reductionPathNote: plan.note } : {}) },
      preprocessing: { ...preprocess.info, perClass, seed },
      warnings,
      configClassNames: config?.config.classNames ?? null,
      perClass,
      seed,
    };
    try {
      return await body({ request, loaded, train, test, preprocess, preprocessTest, runner, warnings, base, loadSeconds, passTwoCacheBytes });
    } finally {
      await runner.dispose();
    }
  } finally {
    await train.source.close();
    await test?.source.close();
  }
}

/** Both passes over each split, reduced by the started reducer, and the result assembled. */
async function runBothPasses(prepared: PreparedAnalysis, hooks: AnalysisHooks): Promise<AnalysisResult> {
  const { request, loaded, train, test, preprocess, preprocessTest, runner, warnings, base, loadSeconds, passTwoCacheBytes } = prepared;
  const { started } = loaded;
  const seconds = (since: number) => (performance.now() - since) / 1000;
  const reducer = await loaded.reducerStarting;
  let classifierNumbers: ClassifierMetrics | null = null;

  // Content digests of the samples pass 1 reads anyway: held-out samples that are training samples.
  const digests = { train: new SampleDigests(), test: new SampleDigests() };
  const passTwo: Partial<Record<PreparedSplit['name'], PassTwoSource>> = {};
  const analyseSplit = async (split: PreparedSplit, pre: Preprocessor): Promise<SplitOutcome> => {
    const splitStarted = performance.now();
    const owned = runner.ownsOutputs === true;
    await reducer.beginPassOne(split.name);
    const seen = digests[split.name];
    const viaRunner = (input: Float32Array, count: number) => runner.run(input, count);
    const reduce = (batch: ReducerBatch, progress: (layer: string) => void) => reducer.add(batch, owned, progress);
    const graphPasses = runner.inGraph;
    const cache = graphPasses ? null : new PassTwoCache(passTwoCacheBytes, split.indices.length);
    // A kept batch's arrays stay the cache's: the reducer gets a copy instead of taking them over.
    const reduceAndKeep = (batch: ReducerBatch, progress: (layer: string) => void) => reducer.add(batch, cache?.keep(batch, owned) ? false : owned, progress);
    await sweep(split, pre, graphPasses?.passOne ?? viaRunner, request.batchSize, 'pass1', hooks, graphPasses?.reduce ?? reduceAndKeep, (raw) => seen.add(raw));
    // A sampled split may stop short of the end of its file: the part it skipped is checked now (an .npz
    // member's CRC-32), before any number of it is reported.
    await split.source.verify?.();
    const passOne = await reducer.endPassOne();
    // What the reads skipped, resized and converted is known now, not when the split was opened.
    split.info = describeSplit(split.source, split.info.source);
    if (split.name === 'test') recordOverlap(split);
    checkNoClassEmptied(split, passOne.classCounts);
    // Counted from what was read, so corrupt images skipped on the way are not counted.
    split.classCounts = passOne.classCounts;
    if (split.name === 'train') classifierNumbers = passOne.classifierNumbers;
    await graphPasses?.beginPassTwo();
    const cached = cache?.takeForReplay(split.classCounts.reduce((a, b) => a + b, 0));
    if (cached) passTwo[split.name] = cached.source;
    // Replayed batches are the cache's to give away: the reducer takes them over without a copy.
    if (cached?.batches) await replay(split, cached.batches, hooks, (batch, progress) => reducer.add(batch, true, progress));
    else await sweep(split, pre, graphPasses?.passTwo ?? viaRunner, request.batchSize, 'pass2', hooks, graphPasses?.reduce ?? reduce);
    const { metrics, kernel, accuracy, nc4 } = await reducer.endPassTwo();
    return { split, metrics, kernel, accuracy, samples: split.classCounts.reduce((a, b) => a + b, 0), nc4, seconds: seconds(splitStarted) };
  };

  const recordOverlap = (split: PreparedSplit): void => {
    const overlap = digests.train.overlap(digests.test, train.source, split.source);
    split.info.overlap = overlap;
    const warning = overlapWarning(overlap, train.source.source, split.source.source);
    if (warning) warnings.push(warning);
  };

  const trainOutcome = await analyseSplit(train, preprocess);
  hooks.onPartial?.(assembleResult({ ...base, runtime: { ...base.runtime, ...passTwoFields(passTwo) }, train: trainOutcome, classifierNumbers, timing: { totalSeconds: seconds(started), loadSeconds, trainSeconds: trainOutcome.seconds } }));
  const testOutcome = test && preprocessTest ? await analyseSplit(test, preprocessTest) : undefined;
  hooks.onProgress({ stage: 'write', done: 1, total: 1, message: 'assembling the result' });
  return assembleResult({
    ...base,
    runtime: { ...base.runtime, ...passTwoFields(passTwo) },
    train: trainOutcome,
    ...(testOutcome ? { test: testOutcome } : {}),
    classifierNumbers,
    timing: { totalSeconds: seconds(started), loadSeconds, trainSeconds: trainOutcome.seconds, ...(testOutcome ? { testSeconds: testOutcome.seconds } : {}) },
  });
}

/** runtime.pass2: whether pass 2 replayed pass 1's cached outputs for every split, some, or none (and why not). */
function passTwoFields(sources: Partial<Record<string, PassTwoSource>>): Pick<NonNullable<AnalysisResult['runtime']>, 'pass2' | 'pass2CachedBytes' | 'pass2Note'> {
  const all = Object.entries(sources).filter((e): e is [string, PassTwoSource] => e[1] !== undefined);
  if (all.length === 0) return {};
  const replayed = all.filter(([, s]) => s.kind === 'replayed');
  const bytes = replayed.reduce((sum, [, s]) => sum + (s.kind === 'replayed' ? s.bytes : 0), 0);
  const why = all.flatMap(([split, s]) => (s.kind === 'inferred' ? [`${split}: ${s.why}`] : []));
  const pass2 = replayed.length === all.length ? 'replayed' : replayed.length > 0 ? 'partly replayed' : 'inferred';
  return { pass2, ...(bytes > 0 ? { pass2CachedBytes: bytes } : {}), ...(why.length > 0 ? { pass2Note: why.join('; ') } : {}) };
}
