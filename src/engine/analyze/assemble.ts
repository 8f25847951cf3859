import { packResultMatrices } from '../../core/packResultMatrices';
import { RESULT_SCHEMA, type AnalysisResult, type ClassifierResult, type DatasetSourceInfo, type LayerResult, type PreprocessingInfo, type SplitLayerMetrics } from '../../core/result';
import type { ClassifierInfo, LayerInfo, ModelGraph, ModelRunner } from '../../core/model/types';
import type { AnalyzeRequest } from '../../protocol/engine';
import { classifierWeightFields, effectiveDepth, METRIC_CONVENTIONS, type ClassifierMetrics } from '../../core/metrics';
import type { PreparedSplit } from './splits';
import { TOOL_VERSION } from '../version';
import { lowRankNc1Warning, withLowRankFlags } from '../../core/lowRankNc1';
import { nearChanceWarning } from './nearChance';
import { imageReadWarnings } from '../../core/imageReadReport';
import { describeReductionRequest, type PlannedReduction } from '../../core/model/reduction';
import type { MetricsKernel } from '../../core/metrics/wasm/kernels';

/**
 * What the result needs of a split: its dataset info, the samples per class used, and the class names
 * its source carries (a PreparedSplit; a merge of shard files rebuilds just these).
 */
export type AssembledSplit = Pick<PreparedSplit, 'info' | 'classCounts'> & { source: Pick<PreparedSplit['source'], 'classNames'> };

/** What the result needs of the model: its format and where its classifier is (or why there is none). */
export type AssembledGraph = Pick<ModelGraph, 'format' | 'classifierUnavailable'> & { classifier: Pick<ClassifierInfo, 'inputLayer' | 'logitsLayer'> | null };

/** What the result needs of a probe. */
export type AssembledProbe = Pick<LayerInfo, 'name' | 'op' | 'shape'>;

export interface SplitOutcome {
  split: AssembledSplit;
  metrics: Map<string, SplitLayerMetrics>;
  accuracy: number | null;
  samples: number;
  nc4: number | null;
  seconds: number;
  kernel: MetricsKernel;
}

export interface AssemblyInput {
  request: AnalyzeRequest;
  graph: AssembledGraph;
  probes: AssembledProbe[];
  /** Each probe's reduction and reduced shape (absent: flattened as fetched). */
  reductions?: ReadonlyMap<string, PlannedReduction>;
  numClasses: number;
  sha256: string;
  provider: string;
  runtime: ModelRunner['runtime'] & Pick<NonNullable<AnalysisResult['runtime']>, 'reductionPath' | 'reductionPathNote' | 'pass2' | 'pass2CachedBytes' | 'pass2Note'>;
  preprocessing: PreprocessingInfo;
  warnings: string[];
  /** Class names from collapse-lens.json, for data that do not carry them. */
  configClassNames: string[] | null;
  perClass: number | null;
  seed: number;
  train: SplitOutcome;
  test?: SplitOutcome;
  classifierNumbers: ClassifierMetrics | null;
  timing: AnalysisResult['timing'];
}

/** The result's inputs known before any pass. */
export type AssemblyBase = Omit<AssemblyInput, 'train' | 'test' | 'classifierNumbers' | 'timing'>;

function classNames(input: AssemblyInput): string[] {
  const names = input.train.split.source.classNames ?? input.test?.split.source.classNames ?? input.configClassNames;
  return names && names.length === input.numClasses ? names : Array.from({ length: input.numClasses }, (_, c) => String(c));
}

/** What reading each split skipped, resized and converted, with example files (after the passes: see describeSplit). */
function datasetWarnings(input: AssemblyInput): string[] {
  const { train, test } = input;
  return [
    ...imageReadWarnings('train', train.split.info),
    ...(test ? imageReadWarnings('test', test.split.info) : []),
  ];
}

/** First among the warnings: every number of the run is suspect when it fires. */
function nearChance(input: AssemblyInput): string[] {
  const warning = nearChanceWarning(input.train.accuracy, input.numClasses, input.preprocessing);
  return warning ? [warning] : [];
}

/**
 * Which kernels reduced the features, in the result: the JavaScript fallback gives the same numbers more
 * slowly, and a fallback that costs speed is said, with why.
 */
function kernelFields(kernel: MetricsKernel): { metricsKernel: MetricsKernel['kind']; metricsKernelNote?: string } {
  return kernel.kind === 'javascript' ? { metricsKernel: kernel.kind, metricsKernelNote: `JavaScript fallback, slower, same numbers: ${kernel.reason}` } : { metricsKernel: kernel.kind };
}

/**
 * Which decoder read an image folder under the evaluation transform: sharp, or the JavaScript fallback
 * (slower, and its JPEG pixels differ slightly from libjpeg's), said with why.
 */
function decoderFields(info: DatasetSourceInfo): { imageDecoder?: 'sharp' | 'javascript'; imageDecoderNote?: string } {
  const decoder = info.decoder;
  if (!decoder) return {};
  const note = decoder.name === 'sharp' ? decoder.version : `JavaScript decoders (slower; colour JPEG pixels differ from PIL's, see the warnings): ${decoder.reason ?? 'sharp unavailable'}`;
  return { imageDecoder: decoder.name, ...(note ? { imageDecoderNote: note } : {}) };
}

/** The result JSON from the finished splits (a partial one has no test outcome yet). */
export function assembleResult(input: AssemblyInput): AnalysisResult {
  const { graph, train, test } = input;
  const probed: LayerResult[] = input.probes.map((p, depth) => {
    const trainMetrics = train.metrics.get(p.name) as SplitLayerMetrics;
    const testMetrics = test?.metrics.get(p.name);
    const planned = input.reductions?.get(p.name);
    return {
      name: p.name,
      op: p.op,
      shape: planned ? planned.shape : p.shape.map((d) => d ?? 0),
      dim: planned ? planned.dim : p.shape.reduce<number>((a, d) => a * (d ?? 0), 1),
      depth,
      ...(planned ? { reduction: planned.reduction } : {}),
      ...(planned && planned.reduction !== 'flatten' ? { tensorShape: planned.tensorShape } : {}),
      metrics: testMetrics ? { train: trainMetrics, test: testMetrics } : { train: trainMetrics },
    };
  });
  const layers = withLowRankFlags(probed, input.numClasses);
  const lowRank = lowRankNc1Warning(layers, input.numClasses);
  let classifier: ClassifierResult | null = null;
  if (graph.classifier && input.classifierNumbers) {
    const c = input.classifierNumbers;
    classifier = {
      input: graph.classifier.inputLayer,
      output: graph.classifier.logitsLayer,
      nc3: c.nc3,
      nc4: test ? { train: train.nc4, test: test.nc4 } : { train: train.nc4 },
      ...classifierWeightFields(c.geometry),
      ...(Object.keys(c.unavailable).length ? { unavailable: c.unavailable } : {}),
    };
  }
  const depth = effectiveDepth(
    layers.map((l) => ({ name: l.name, trainNccAccuracy: l.metrics.train.nccAccuracy })),
    input.request.epsilon,
  );
  const result: AnalysisResult = {
    schema: RESULT_SCHEMA,
    createdAt: new Date().toISOString(),
    tool: { name: 'collapse-lens', version: TOOL_VERSION },
    checkpoint: { path: input.request.checkpoint, format: graph.format, sha256: input.sha256 },
    provider: input.provider,
    runtime: { ...input.runtime, ...kernelFields(input.train.kernel), ...decoderFields(train.split.info) },
    classes: { count: input.numClasses, names: classNames(input) },
    dataset: {
      train: train.split.info,
      ...(input.request.test ? { test: test?.split.info ?? { source: input.request.test.path, format: 'pending' } } : {}),
      preprocessing: input.preprocessing,
    },
    splits: {
      train: { samples: train.samples, accuracy: train.accuracy, classCounts: train.split.classCounts },
      ...(test ? { test: { samples: test.samples, accuracy: test.accuracy, classCounts: test.split.classCounts } } : {}),
    },
    layers,
    classifier,
    ...(graph.classifier ? {} : { classifierUnavailable: graph.classifierUnavailable ?? 'no final linear layer found' }),
    effectiveDepth: { epsilon: depth.epsilon, layer: depth.layer, depth: depth.depth },
    conventions: [...METRIC_CONVENTIONS],
    timing: input.timing,
    settings: {
      layers: Array.isArray(input.request.layers) ? input.request.layers.join(',') : input.request.layers,
      perClass: input.perClass,
      batchSize: input.request.batchSize,
      seed: input.seed,
      epsilon: input.request.epsilon,
      ...(input.reductions ? { reduction: describeReductionRequest(input.request.reduction) } : {}),
    },
    warnings: [...nearChance(input), ...input.warnings, ...datasetWarnings(input), ...(lowRank ? [lowRank] : [])],
  };
  return packResultMatrices(result);
}
