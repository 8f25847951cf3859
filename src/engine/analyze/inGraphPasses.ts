/**
 * Which path reduces the features (result.runtime.reductionPath), and the in-graph path's two passes:
 * onnxruntime computes each batch's class sums (pass 1) and products (pass 2) of the flattened probes
 * (engine/backends/onnxGraphRunner.ts), the accumulators merge them in float64 exactly as they merge
 * their own (ClassStatsAccumulator.addClassSums, ProjectionAccumulator.addProducts). Probes with a gap,
 * cls or mean reduction, TF.js models and fixed-batch ONNX models stay on the JavaScript path, said in
 * result.runtime.reductionPathNote.
 */
import type { ModelGraph, LayerInfo } from '../../core/model/types';
import { isOnnxModel } from '../../core/model/onnx/types';
import { reduceRows, type PlannedReduction } from '../../core/model/reduction';
import { ClassStatsAccumulator, NonFiniteReduction } from '../../core/metrics';
import type { ReductionPath } from '../../core/result';
import type { ReducerBatch, ReducedBatch, SplitReducer } from './reducer';
import type { OnnxGraphRunner } from '../backends/onnxGraphRunner';

export type ReductionsChoice = 'js' | 'graph';
export const REDUCTIONS_CHOICES: readonly ReductionsChoice[] = ['js', 'graph'];

/**
 * What was asked: the request's --reductions, else COLLAPSE_LENS_REDUCTIONS=js|graph, else the default
 * for the provider (`explicit` false). Anything else in the variable is refused rather than ignored.
 */
export function reductionsChoice(
  requested: ReductionsChoice | undefined,
  provider: 'auto' | 'cpu' | 'cuda',
  env: NodeJS.ProcessEnv = process.env,
): { choice: ReductionsChoice; explicit: boolean } {
  if (requested !== undefined) return { choice: requested, explicit: true };
  const value = env.COLLAPSE_LENS_REDUCTIONS;
  if (value === undefined || value === '') return { choice: defaultReductions(provider), explicit: false };
  if ((REDUCTIONS_CHOICES as readonly string[]).includes(value)) return { choice: value as ReductionsChoice, explicit: true };
  throw new Error(`COLLAPSE_LENS_REDUCTIONS="${value}" is not one of ${REDUCTIONS_CHOICES.join(', ')}`);
}

/**
 * In the graph with `--provider cuda`, where the features would otherwise cross PCIe every batch; in
 * JavaScript on the CPU (and with `auto`, which mostly ends on the CPU): there the float64 nodes cost
 * onnxruntime about what the copies and the JavaScript reductions cost, and ~100-190 MB more memory
 * (docs/benchmarks.md). The numbers are the same either way (tested within 1e-5, 5e-10 measured).
 */
function defaultReductions(provider: 'auto' | 'cpu' | 'cuda'): ReductionsChoice {
  return provider === 'cuda' ? 'graph' : 'js';
}

export interface ReductionPlan {
  path: ReductionPath;
  /** The probes reduced in the graph (name, width), empty on the JavaScript path. */
  inGraph: { name: string; dim: number }[];
  /** What stayed on the JavaScript path and why, when the graph path was asked for. */
  note?: string;
}

export function planReductionPath(asked: { choice: ReductionsChoice; explicit: boolean }, graph: ModelGraph, probes: LayerInfo[], reductions: ReadonlyMap<string, PlannedReduction>): ReductionPlan {
  const js: ReductionPlan = { path: 'javascript-float64', inGraph: [] };
  if (asked.choice === 'js') return js;
  // TF.js always runs on the JavaScript path; said only when the graph path was asked for by name.
  if (!isOnnxModel(graph)) return asked.explicit ? { ...js, note: 'in-graph reductions need an ONNX model; this TF.js model ran on the JavaScript path' } : js;
  if (graph.input.fixedBatch !== null) return { ...js, note: `in-graph reductions need a free batch dimension; this model's input is fixed to ${graph.input.fixedBatch}, so the JavaScript path ran` };
  const inGraph: { name: string; dim: number }[] = [];
  const left: string[] = [];
  for (const p of probes) {
    const planned = reductions.get(p.name);
    if (planned && planned.reduction !== 'flatten') left.push(`${p.name} (${planned.reduction})`);
    else inGraph.push({ name: p.name, dim: p.shape.reduce<number>((a, d) => a * (d ?? NaN), 1) });
  }
  if (inGraph.length === 0) return { ...js, note: 'every probe has a gap, cls or mean reduction, which run on the JavaScript path' };
  return { path: 'in-graph-float64', inGraph, ...(left.length ? { note: `reduced in JavaScript (their gap/cls/mean reduction is not in the graph yet): ${left.join(', ')}` } : {}) };
}

type Run = (input: Float32Array, count: number, labels: Int32Array) => Promise<Map<string, Float32Array>>;
type Reduce = (batch: ReducerBatch, progress: (layer: string) => void) => Promise<void>;

/**
 * The sweep callbacks of the in-graph path. The runner's last batch (its reductions and its input) is
 * kept between `run` and `reduce`: a sweep runs and reduces one batch at a time.
 */
export function inGraphPasses(runner: OnnxGraphRunner, reducer: SplitReducer, reductions: ReadonlyMap<string, PlannedReduction>, numClasses: number) {
  let last: { input: Float32Array; reduced: ReducedBatch } | null = null;
  const reduced = (raw: Map<string, Float32Array>, count: number): Map<string, Float32Array> => {
    for (const [name, values] of raw) {
      const planned = reductions.get(name);
      if (planned && planned.reduction !== 'flatten') raw.set(name, reduceRows(values, count, planned));
    }
    return raw;
  };
  const passOne: Run = async (input, count, labels) => {
    const batch = await runner.passOne(input, count, labels);
    last = { input, reduced: { classSums: batch.reduced } };
    return reduced(batch.raw, count);
  };
  const passTwo: Run = async (input, count) => {
    const batch = await runner.passTwo(input, count);
    last = { input, reduced: { products: batch.reduced } };
    return reduced(batch.raw, count);
  };
  const reduce: Reduce = async (batch, progress) => {
    const current = last;
    if (current === null) throw new Error('a batch reached the in-graph reducer before its run');
    try {
      reducer.addReduced(batch, current.reduced, progress);
    } catch (error) {
      if (error instanceof NonFiniteReduction) await nameTheSample(runner, current.input, batch, error, numClasses);
      throw error;
    }
  };
  return { passOne, passTwo, reduce, beginPassTwo: () => runner.beginPassTwo(reducer.productRows()) };
}

/**
 * A reduction came out non-finite: fetch the batch's features of that layer and run them through the
 * JavaScript pass 1, whose error names the sample and the feature index, as the JavaScript path would.
 */
async function nameTheSample(runner: OnnxGraphRunner, input: Float32Array, batch: ReducerBatch, error: NonFiniteReduction, K: number): Promise<void> {
  const raw = await runner.fetchRaw(input, batch.count, batch.labels);
  const features = raw.get(error.layer);
  if (!features) return;
  new ClassStatsAccumulator(error.layer, K, features.length / batch.count).add(features, batch.labels, { sampleIndices: batch.indices });
}

