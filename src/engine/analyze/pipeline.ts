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
import { sweep } from './passes';
import { createReducer, type Reducer } from './reducerClient';
import type { AnalysisHooks } from './hooks';
import { assembleResult, type AssemblyBase, type SplitOutcome } from './assemble';
import type { ReducerSetup } from './reducer';
import { batchRowsInFlight, checkMemoryFits, estimateAnalysisMemory, gapCandidates, type ProbeSize } from './memoryEstimate';
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
  const reducerSetup: ReducerSetup = {
    layers,
    numClasses: K,
    classifier: graph.classifier ? { W: graph.classifier.W, b: graph.classifier.b, ...(graph.classifier.biasless ? { biasless: true } : {}) } : null,
    classifierInput: graph.classifier?.inputLayer ?? null,
    logitsName: logitsName ?? null,
  };
  // The metrics worker starts now, while the data are opened and the session is created (~50 ms).
  const reducerStarting = createReducer(reducerSetup);
  try {
    return await analyzeWith(request, { graph, probes, layers, reductions, gapOffers, K, logitsName, reducerSetup, reducerStarting, started }, opening, body);
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
  started: number;
}

/** An analysis ready to run its passes: what withPreparedAnalysis hands to its body. */
export interface PreparedAnalysis {
  request: AnalyzeRequest;
  loaded: LoadedAnalysis;
  train: PreparedSplit;
  test: PreparedSplit | undefined;
  preprocess: Preprocessor;
  preprocessTest: Preprocessor | undefined;
  runner: ModelRunner;
  /** Warnings so far (split overlap, conversions); the passes add theirs. */
  warnings: string[];
  /** The result's inputs known before any pass (assembleResult takes them with the splits' outcomes). */
  base: AssemblyBase;
  loadSeconds: number;
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
    checkMemoryFits(request.checkpoint, estimateAnalysisMemory(loaded.layers, K, test !== undefined, rows), K, undefined, loaded.gapOffers);
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
    const runner = withReductions(await createRunner(graph, { provider: request.provider, threads: request.threads, fetch }), loaded.reductions);
    const loadSeconds = seconds(started);
    const base: AssemblyBase = {
      request,
      graph,
      probes,
      reductions: loaded.reductions,
      numClasses: K,
      sha256,
      provider: runner.provider,
      runtime: runner.runtime,
      preprocessing: { ...preprocess.info, perClass, seed },
      warnings,
      configClassNames: config?.config.classNames ?? null,
      perClass,
      seed,
    };
    try {
      return await body({ request, loaded, train, test, preprocess, preprocessTest, runner, warnings, base, loadSeconds });
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
  const { request, loaded, train, test, preprocess, preprocessTest, runner, warnings, base, loadSeconds } = prepared;
  const { started } = loaded;
  const seconds = (since: number) => (performance.now() - since) / 1000;
  const reducer = await loaded.reducerStarting;
  let classifierNumbers: ClassifierMetrics | null = null;

  // Content digests of the samples pass 1 reads anyway: held-out samples that are training samples.
  const digests = { train: new SampleDigests(), test: new SampleDigests() };
  const analyseSplit = async (split: PreparedSplit, pre: Preprocessor): Promise<SplitOutcome> => {
    const splitStarted = performance.now();
    const owned = runner.ownsOutputs === true;
    await reducer.beginPassOne(split.name);
    const seen = digests[split.name];
    await sweep(split, pre, runner, request.batchSize, 'pass1', hooks, (batch, progress) => reducer.add(batch, owned, progress), (raw) => seen.add(raw));
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
    await sweep(split, pre, runner, request.batchSize, 'pass2', hooks, (batch, progress) => reducer.add(batch, owned, progress));
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
  hooks.onPartial?.(assembleResult({ ...base, train: trainOutcome, classifierNumbers, timing: { totalSeconds: seconds(started), loadSeconds, trainSeconds: trainOutcome.seconds } }));
  const testOutcome = test && preprocessTest ? await analyseSplit(test, preprocessTest) : undefined;
  hooks.onProgress({ stage: 'write', done: 1, total: 1, message: 'assembling the result' });
  return assembleResult({
    ...base,
    train: trainOutcome,
    ...(testOutcome ? { test: testOutcome } : {}),
    classifierNumbers,
    timing: { totalSeconds: seconds(started), loadSeconds, trainSeconds: trainOutcome.seconds, ...(testOutcome ? { testSeconds: testOutcome.seconds } : {}) },
  });
}
