/** The analysis side of the benchmark: analyzeCheckpoint in-process, exactly as the CLI runs it. */
import type { AnalyzeRequest } from '../../src/protocol/engine';
import type { LayerSelection } from '../../src/core/model/types';
import { analyzeCheckpoint } from '../../src/engine/analyze/pipeline';
import { loadModelGraph } from '../../src/engine/analyze/loadModel';
import { reductionPlace } from '../../src/engine/analyze/reducerClient';
import { ProgressRecorder, type AnalysisProfile } from './progressProfile';
import { profileCpu, type CpuCategories } from './cpuProfile';

export interface AnalyzeSideResult {
  seconds: number;
  /** User + system CPU of the whole process (onnxruntime's threads included) during the timed analysis. */
  cpuSeconds: number;
  images: number;
  accuracy: number | null;
  layers: number;
  /** result.runtime.reductionPath: where the per-batch sums and products were computed. */
  reductionPath: string;
  /** The engine's own timing section (load, train). */
  timing: Record<string, number>;
  profile: AnalysisProfile;
  /** Sampled CPU milliseconds by part, when asked for (the profiler slows the run a little). */
  cpu?: CpuCategories;
}

/**
 * 'auto': the default probes. 'classifier-input': only the penultimate layer (the pipeline adds the
 * logits), which shows what two passes cost when almost nothing is reduced.
 */
export type BenchProbes = 'auto' | 'classifier-input';

async function selection(checkpoint: string, probes: BenchProbes): Promise<LayerSelection> {
  if (probes === 'auto') return 'auto';
  const input = (await loadModelGraph(checkpoint)).classifier?.inputLayer;
  if (!input) throw new Error(`${checkpoint}: no classifier input to probe alone`);
  return [input];
}

function request(checkpoint: string, dataset: string, batchSize: number, perClass: number | null, layers: LayerSelection): AnalyzeRequest {
  return { checkpoint, train: { path: dataset }, layers, perClass, batchSize, provider: 'cpu', threads: 0, seed: 0, epsilon: 0.01 };
}

/** One small analysis first (JIT, file cache, onnxruntime's first-session setup), then the timed one. */
/** `perClass` null: every image of the file; a number: that many of each class (a balanced, seeded subsample). */
export async function analyzeSide(checkpoint: string, dataset: string, batchSize: number, probes: BenchProbes = 'auto', withCpuProfile = false, perClass: number | null = null): Promise<AnalyzeSideResult> {
  const layers = await selection(checkpoint, probes);
  await analyzeCheckpoint(request(checkpoint, dataset, batchSize, 10, layers), { onProgress: () => undefined });
  const recorder = new ProgressRecorder();
  const started = performance.now();
  const cpu = process.cpuUsage();
  const run = () => analyzeCheckpoint(request(checkpoint, dataset, batchSize, perClass, layers), { onProgress: recorder.onProgress });
  const { result, categories } = withCpuProfile ? await profileCpu(run) : { result: await run(), categories: undefined };
  const ended = performance.now();
  const used = process.cpuUsage(cpu);
  return {
    seconds: (ended - started) / 1000,
    cpuSeconds: (used.user + used.system) / 1e6,
    images: result.splits.train.samples,
    accuracy: result.splits.train.accuracy,
    layers: result.layers.length,
    reductionPath: result.runtime?.reductionPath ?? 'unknown',
    timing: { ...result.timing },
    profile: recorder.profile(ended, reductionPlace({ layers: result.layers }) === 'worker'),
    ...(categories ? { cpu: categories } : {}),
  };
}
