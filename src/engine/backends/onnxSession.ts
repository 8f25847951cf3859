/**
 * Creates onnxruntime sessions with the provider the user asked for. The npm package only carries the
 * CUDA provider when installed with ONNXRUNTIME_NODE_INSTALL=cuda12; without it, asking for CUDA throws
 * ("Failed to load shared library") instead of falling back, so 'auto' catches that and retries on CPU.
 */
import * as ort from 'onnxruntime-node';
import { messageOf } from '../errors';
import { intraOpThreads } from './intraOpThreads';

// onnxruntime reads this once, when the first session of the process is created. Every failure reaches
// us as an exception anyway; at its default level it would also print a red "Failed to load library"
// line to stderr on every expected CPU fallback, which looks like a crash in the engine's log.
ort.env.logLevel = 'fatal';

export type ProviderChoice = 'auto' | 'cpu' | 'cuda';

export interface OpenedSession {
  session: ort.InferenceSession;
  provider: 'cpu' | 'cuda';
  /** Set when 'auto' had to fall back to the CPU. */
  note?: string;
}

export const CUDA_INSTALL_HINT =
  'install onnxruntime-node with ONNXRUNTIME_NODE_INSTALL=cuda12 (and the CUDA 12 runtime with cuDNN 9) to use an NVIDIA GPU, or use the CPU provider';

export function onnxRuntimeVersion(): string {
  return ort.env.versions.node ?? ort.env.versions.common;
}

const GRAPH_OPTIMIZATION_LEVELS = ['disabled', 'basic', 'extended', 'all'] as const;
type GraphOptimizationLevel = (typeof GRAPH_OPTIMIZATION_LEVELS)[number];

/**
 * COLLAPSE_LENS_ORT_OPTIMIZATION=disabled|basic|extended|all overrides onnxruntime's graph optimisation
 * level. Fusions pick other kernels, which round float32 differently, so this is how a person (or the
 * fixture tests) checks that a number does not hinge on one CPU's kernels: another x86-64 CPU (AVX2 vs
 * AVX-512) moves the features by the same few ulps. Anything else is refused rather than ignored.
 */
export function graphOptimizationLevel(env: NodeJS.ProcessEnv = process.env): GraphOptimizationLevel | undefined {
  const value = env.COLLAPSE_LENS_ORT_OPTIMIZATION;
  if (value === undefined || value === '') return undefined;
  if ((GRAPH_OPTIMIZATION_LEVELS as readonly string[]).includes(value)) return value as GraphOptimizationLevel;
  throw new Error(`COLLAPSE_LENS_ORT_OPTIMIZATION="${value}" is not one of ${GRAPH_OPTIMIZATION_LEVELS.join(', ')}`);
}

function baseOptions(threads: number): ort.InferenceSession.SessionOptions {
  // Between two runs the engine reduces the batch in JavaScript; a spinning idle pool thread would burn
  // the core that work needs (measured: a third less CPU, and faster on a busy machine; docs/benchmarks.md).
  const noSpin = { extra: { session: { intra_op: { allow_spinning: '0' } } } };
  const level = graphOptimizationLevel();
  const optimization = level === undefined ? {} : { graphOptimizationLevel: level };
  return { intraOpNumThreads: intraOpThreads(threads), ...noSpin, ...optimization };
}

/** Opens a session on `bytes` (an encoded ModelProto); `label` names the model in errors. */
export async function openOnnxSession(bytes: Uint8Array, provider: ProviderChoice, threads: number, label: string): Promise<OpenedSession> {
  const options = baseOptions(threads);
  const onCpu = async (): Promise<ort.InferenceSession> => {
    try {
      return await ort.InferenceSession.create(bytes, { ...options, executionProviders: ['cpu'] });
    } catch (error) {
      throw new Error(`${label}: onnxruntime could not load the model: ${messageOf(error)}`);
    }
  };
  if (provider === 'cpu') return { session: await onCpu(), provider: 'cpu' };
  try {
    const session = await ort.InferenceSession.create(bytes, { ...options, executionProviders: ['cuda', 'cpu'] });
    return { session, provider: 'cuda' };
  } catch (error) {
    const why = `CUDA execution provider unavailable: ${messageOf(error)}`;
    if (provider === 'cuda') throw new Error(`${why}; ${CUDA_INSTALL_HINT}`);
    return { session: await onCpu(), provider: 'cpu', note: `${why}; ran on the CPU` };
  }
}
