import { basename } from 'node:path';
import { packResultMatrices } from '../../core/packResultMatrices';
import { RESULT_SCHEMA, type AnalysisResult, type LayerResult, type SplitLayerMetrics } from '../../core/result';
import type { FeaturesRequest } from '../../protocol/engine';
import { checkLabels, checkSplitsAgree, numpy } from '../../core/dataset';
import { ClassStatsAccumulator, ProjectionAccumulator, classifierMetrics, classifierWeightFields, effectiveDepth, METRIC_CONVENTIONS, type ClassStats } from '../../core/metrics';
import { sha256File } from '../../core/checksum';
import { messageOf, UserError } from '../errors';
import { TOOL_VERSION } from '../version';
import type { AnalysisHooks } from './hooks';
import { throwIfCancelled } from './hooks';
import { countCorrect } from '../../core/metrics/projection-helpers';
import { checkMemoryFits, estimateAnalysisMemory } from './memoryEstimate';
import { lowRankNc1Warning, withLowRankFlags } from '../../core/lowRankNc1';
import { FeatureFrame } from './featureFrame';
import type { FeatureRows, LinearClassifier } from '../../core/metrics';
import { describeReductionRequest, planReductions, reduceRows, type PlannedReduction } from '../../core/model/reduction';

const classifierIn = (frame: FeatureFrame | null | undefined, classifier: LinearClassifier): LinearClassifier => (frame ? frame.classifier(classifier) : classifier);

/** Arrays with these names are not layers. `logits` is both: the last layer, and the network's output (accuracy, NC4). */
const RESERVED = new Set(['labels', 'W', 'b']);
/** Rows read per step at most: bounds memory whatever N is. */
const ROWS_PER_STEP = 1024;
/** ...and at most this many bytes of one layer's rows at a time, so a wide layer reads fewer rows. */
const BYTES_PER_STEP = 16 * 2 ** 20;
const rowsPerStep = (dim: number, bytesPerValue: number): number => Math.max(1, Math.min(ROWS_PER_STEP, Math.floor(BYTES_PER_STEP / (dim * bytesPerValue))));

interface FeatureFile {
  npz: numpy.NpzFile;
  path: string;
  labels: Int32Array;
  layers: { name: string; dim: number; shape: number[]; float64: boolean }[];
}

async function openFeatures(path: string): Promise<FeatureFile> {
  let npz: numpy.NpzFile;
  try {
    npz = await numpy.openNpz(path);
  } catch (err) {
    throw new UserError(messageOf(err));
  }
  // A file refused here is closed here: the caller only owns what this returns.
  try {
    return await describeFeatures(npz, path);
  } catch (err) {
    await npz.close();
    throw err;
  }
}

async function describeFeatures(npz: numpy.NpzFile, path: string): Promise<FeatureFile> {
  if (!npz.has('labels')) throw new UserError(`${path}: no "labels" array (arrays: ${npz.members.map((m) => m.name).join(', ')})`);
  const labelsArray = await npz.read('labels');
  const labels = numpy.toInt32Labels(labelsArray.data, labelsArray.dtype, `${path}: labels`);
  const N = labels.length;
  const layers = npz.members
    .filter((m) => !RESERVED.has(m.name))
    .map((m) => {
      if (!numpy.isFloatDType(m.dtype)) throw new UserError(`${path}: array "${m.name}" is ${m.dtype}; layer features must be float arrays`);
      if (m.shape.length < 1 || m.shape[0] !== N) throw new UserError(`${path}: array "${m.name}" has shape [${m.shape.join(', ')}] but there are ${N} labels; each layer needs one row per sample`);
      return { name: m.name, shape: m.shape.slice(1), dim: m.shape.slice(1).reduce((a, d) => a * d, 1), float64: m.dtype === 'float64' };
    });
  if (layers.length === 0) throw new UserError(`${path}: no layer arrays besides ${[...RESERVED].filter((n) => npz.has(n)).join(', ')}`);
  return { npz, path, labels, layers };
}

/** Rows of a float array as stored: float64 stays float64 (never narrowed), float32 and float16 come as float32. */
async function readFeatureRows(file: FeatureFile, name: string, start: number, end: number): Promise<FeatureRows> {
  const rows = await file.npz.readRows(name, start, end);
  if (rows.data instanceof Float64Array || rows.data instanceof Float32Array) return rows.data;
  throw new UserError(`${file.path}: array "${name}" is ${rows.dtype}; layer features must be float arrays`);
}

async function readMatrix(file: FeatureFile, name: string): Promise<Float64Array | null> {
  if (!file.npz.has(name)) return null;
  const a = await file.npz.read(name);
  return Float64Array.from(a.data as ArrayLike<number>);
}

/**
 * The training labels must cover every class 0..K-1 (K from W, or from the largest label): a class without
 * a training sample has no mean, and every metric would be null. A held-out file may lack classes (a
 * warning: its metrics that need every class are null with the reason, NCC accuracy is over what it has).
 * Checked before pass 1, so a wrong file is refused before any feature is read.
 */
function checkFeatureLabels(train: FeatureFile, test: FeatureFile | undefined, K: number, kFrom: string): string[] {
  const check = (file: FeatureFile, allowEmpty: boolean): void => {
    try {
      checkLabels(file.labels, K, file.path, null, { allowEmpty });
    } catch (err) {
      throw new UserError(`${messageOf(err)}; K = ${K} is ${kFrom}`);
    }
  };
  check(train, false);
  if (!test) return [];
  check(test, true);
  return checkSplitsAgree({ source: train.path, classNames: null, labels: train.labels }, { source: test.path, classNames: null, labels: test.labels });
}

/**
 * Each layer's reduction (`--reduce`): a dumped N x T x D token array read at its class token (`cls`) or
 * its token mean (`mean`), an N x C x H x W map at its channel means (`gap`). Null without a request: every
 * array is flattened, as before reductions existed. A per-layer choice that does not fit is refused.
 */
function planFeatureReductions(request: FeaturesRequest, train: FeatureFile, test: FeatureFile | undefined): Map<string, PlannedReduction> | null {
  if (!request.reduction) return null;
  const layers = train.layers.map((l, index) => ({ name: l.name, op: 'features', shape: l.shape, index, auto: true }));
  let plan: Map<string, PlannedReduction>;
  try {
    plan = planReductions(request.features, layers, request.reduction, undefined);
  } catch (err) {
    throw new UserError(messageOf(err));
  }
  // The same width is not enough once a layer is reduced: [4, 8] read at token 0 is not [8, 4] read there.
  const reshaped = test?.layers.filter((t) => {
    const p = plan.get(t.name);
    return p !== undefined && p.reduction !== 'flatten' && t.shape.join('x') !== p.tensorShape.join('x');
  }) ?? [];
  if (reshaped.length > 0) {
    const what = reshaped.map((t) => `${t.name} is [${t.shape.join(', ')}] there, [${plan.get(t.name)!.tensorShape.join(', ')}] in ${request.features}`).join('; ');
    throw new UserError(`${request.test}: reduced layers must have the training file's per-sample shape: ${what}`);
  }
  return plan;
}

/**
 * `collapse-lens metrics`: the same analysis from features the user dumped (numpy.savez), for models
 * that cannot be exported. Two passes per layer over row ranges read straight from the file.
 */
export async function analyzeFeatures(request: FeaturesRequest, hooks: AnalysisHooks): Promise<AnalysisResult> {
  const started = performance.now();
  const train = await openFeatures(request.features);
  let test: FeatureFile | undefined;
  try {
    test = request.test ? await openFeatures(request.test) : undefined;
    if (test) {
      const held = test;
      const missing = train.layers.filter((l) => !held.layers.some((t) => t.name === l.name && t.dim === l.dim)).map((l) => l.name);
      if (missing.length) throw new UserError(`${request.test}: lacks layers of ${request.features} (or their widths differ): ${missing.join(', ')}`);
      // A float64 layer is analysed in a frame set from the training rows (featureFrame.ts); held-out rows
      // of another dtype would be compared in another frame, which gives plausible wrong held-out numbers.
      const mixed = train.layers.filter((l) => held.layers.some((t) => t.name === l.name && t.float64 !== l.float64)).map((l) => l.name);
      if (mixed.length) throw new UserError(`${request.test}: layer(s) ${mixed.join(', ')} are float64 in one of ${request.features} and ${request.test} and float32 in the other; save both with the same dtype`);
    }
    const reductions = planFeatureReductions(request, train, test);
    // The layers as the metrics see them: reduced where a reduction was asked for, as stored otherwise.
    const probes = train.layers.map((l) => {
      const planned = reductions?.get(l.name);
      return { ...l, dim: planned?.dim ?? l.dim, shape: planned?.shape ?? l.shape, fetchedDim: l.dim, planned };
    });
    const W = await readMatrix(train, 'W');
    const b = await readMatrix(train, 'b');
    let K = 0;
    for (const y of train.labels) K = Math.max(K, y + 1);
    if (W) {
      if (!b) throw new UserError(`${request.features}: has "W" but no "b" (give zeros for a classifier without bias)`);
      K = b.length;
    }
    if (K < 2) throw new UserError(`${request.features}: the labels name ${K} class; neural collapse needs at least 2`);
    const warnings = checkFeatureLabels(train, test, K, W ? `the ${K} rows of W` : `the largest label + 1 (number the classes 0..K-1)`);
    // One layer's rows are read at a time (BYTES_PER_STEP at most): what counts is the class means.
    checkMemoryFits(request.features, estimateAnalysisMemory(probes, K, test !== undefined, 0), K);
    // The classifier's input: the last layer whose (reduced) width equals W's columns.
    const classifierInput = W ? [...probes].reverse().find((l) => l.name !== 'logits' && l.dim * K === W.length)?.name : undefined;
    if (W && !classifierInput) warnings.push(`no layer is ${W.length / K} wide, the width of W's rows: NC3 and NC4 are not computed`);

    // float64 layers are analysed in their own frame (featureFrame.ts), set from the first training rows.
    const frames = new Map<string, FeatureFrame | null>();
    const pass = async (file: FeatureFile, stage: 'pass1' | 'pass2', each: (layer: string, rows: FeatureRows, labels: Int32Array, start: number, logits?: FeatureRows) => void) => {
      const N = file.labels.length;
      for (const [li, layer] of file.layers.entries()) {
        const step = rowsPerStep(layer.dim, layer.float64 ? 8 : 4);
        for (let start = 0; start < N; start += step) {
          throwIfCancelled(hooks.signal);
          const end = Math.min(N, start + step);
          const planned = reductions?.get(layer.name);
          const stored = await readFeatureRows(file, layer.name, start, end);
          const rows = planned ? reduceRows(stored, end - start, planned) : stored;
          if (rows instanceof Float64Array) {
            if (!frames.has(layer.name)) frames.set(layer.name, FeatureFrame.fromFirstRows(rows, planned?.dim ?? layer.dim));
            frames.get(layer.name)?.apply(rows);
          }
          const logits = stage === 'pass2' && layer.name === classifierInput && file.npz.has('logits') ? await readFeatureRows(file, 'logits', start, end) : undefined;
          each(layer.name, rows, file.labels.subarray(start, end), start, logits);
          // done/total count samples, as for a checkpoint: the samples of this layer, the layer named
          // beside them (not samples x layers, which read as a sample count L times too large).
          hooks.onProgress({ stage, split: file === train ? 'train' : 'test', layer: layer.name, done: end, total: N, message: `${basename(file.path)} layer ${li + 1} of ${file.layers.length}, ${stage === 'pass1' ? 'pass 1 of 2' : 'pass 2 of 2'}` });
        }
      }
    };

    const trainStats = new Map<string, ClassStats>();
    const analyse = async (file: FeatureFile) => {
      const acc1 = new Map(probes.map((l) => [l.name, new ClassStatsAccumulator(l.name, K, l.dim)]));
      await pass(file, 'pass1', (name, rows, labels, start) => acc1.get(name)?.add(rows, labels, { firstIndex: start }));
      const own = new Map([...acc1].map(([n, a]) => [n, a.finish()]));
      if (file === train) for (const [n, s] of own) trainStats.set(n, s);
      const acc2 = new Map(probes.map((l) => [l.name, new ProjectionAccumulator(own.get(l.name) as ClassStats, trainStats.get(l.name) as ClassStats, { classifier: l.name === classifierInput && W && b ? classifierIn(frames.get(l.name), { W, b }) : null })]));
      let correct = 0;
      let seen = 0;
      await pass(file, 'pass2', (name, rows, labels, start, logits) => {
        if (logits) {
          correct += countCorrect(logits, labels, K);
          seen += labels.length;
        }
        acc2.get(name)?.add(rows, labels, { firstIndex: start, ...(logits ? { logits } : {}) });
      });
      const metrics = new Map<string, SplitLayerMetrics>(
        [...acc2].map(([n, a]) => {
          const finished = a.finish();
          const frame = frames.get(n);
          return [n, frame ? frame.restore(finished) : finished];
        }),
      );
      const nc4 = classifierInput ? (acc2.get(classifierInput) as ProjectionAccumulator).finishNetwork().nc4 : null;
      return { metrics, accuracy: seen > 0 ? correct / seen : null, nc4, samples: file.labels.length };
    };

    const trainOut = await analyse(train);
    const testOut = test ? await analyse(test) : undefined;
    const c = W && b && classifierInput ? classifierMetrics(W, b, trainStats.get(classifierInput) as ClassStats) : null;
    const layers = withLowRankFlags(
      probes.map((l, depth): LayerResult => {
        const t = testOut?.metrics.get(l.name);
        const reduction = l.planned ? { reduction: l.planned.reduction, ...(l.planned.reduction !== 'flatten' ? { tensorShape: l.planned.tensorShape } : {}) } : {};
        return { name: l.name, op: 'features', shape: l.shape, dim: l.dim, depth, ...reduction, metrics: t ? { train: trainOut.metrics.get(l.name) as SplitLayerMetrics, test: t } : { train: trainOut.metrics.get(l.name) as SplitLayerMetrics } };
      }),
      K,
    );
    const lowRank = lowRankNc1Warning(layers, K);
    if (lowRank) warnings.push(lowRank);
    const depth = effectiveDepth(layers.map((l) => ({ name: l.name, trainNccAccuracy: l.metrics.train.nccAccuracy })), request.epsilon);
    // A run where no layer gave NC1 or NCC must not pass for a result: say so where it will be seen.
    if (layers.every((l) => l.metrics.train.nc1 === null && l.metrics.train.nccAccuracy === null)) {
      const first = layers[0]!.metrics.train.unavailable;
      warnings.push(`no layer of ${request.features} gave NC1 or NCC accuracy (${layers[0]!.name}: ${first?.nc1 ?? first?.nccAccuracy ?? 'no reason recorded'})`);
    }
    const counts = (labels: Int32Array) => {
      const out = new Array<number>(K).fill(0);
      for (const y of labels) out[y]++;
      return out;
    };
    return packResultMatrices({
      schema: RESULT_SCHEMA,
      createdAt: new Date().toISOString(),
      tool: { name: 'collapse-lens', version: TOOL_VERSION },
      checkpoint: { path: request.features, format: 'features-npz', sha256: await sha256File(request.features) },
      provider: 'none',
      classes: { count: K, names: Array.from({ length: K }, (_, i) => String(i)) },
      dataset: {
        train: { source: request.features, format: 'features-npz' },
        ...(request.test ? { test: { source: request.test, format: 'features-npz' } } : {}),
        preprocessing: {},
      },
      splits: {
        train: { samples: trainOut.samples, accuracy: trainOut.accuracy, classCounts: counts(train.labels) },
        ...(testOut && test ? { test: { samples: testOut.samples, accuracy: testOut.accuracy, classCounts: counts(test.labels) } } : {}),
      },
      layers,
      classifier: c && classifierInput ? { input: classifierInput, nc3: c.nc3, nc4: testOut ? { train: trainOut.nc4, test: testOut.nc4 } : { train: trainOut.nc4 }, ...classifierWeightFields(c.geometry) } : null,
      ...(c ? {} : { classifierUnavailable: W ? 'no layer matches the width of W' : 'the .npz has no "W" and "b"' }),
      effectiveDepth: { epsilon: depth.epsilon, layer: depth.layer, depth: depth.depth },
      conventions: [...METRIC_CONVENTIONS],
      timing: { totalSeconds: (performance.now() - started) / 1000 },
      settings: { layers: 'all', perClass: null, batchSize: ROWS_PER_STEP, seed: 0, epsilon: request.epsilon, ...(request.reduction ? { reduction: describeReductionRequest(request.reduction) } : {}) },
      warnings,
    });
  } finally {
    await train.npz.close();
    await test?.npz.close();
  }
}
