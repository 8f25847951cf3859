/**
 * What every checkpoint format (ONNX, TF.js Layers, TF.js Graph) gives the engine. The graph side
 * (layers, probes, classifier) is pure and lives in the core; running the model needs a native or wasm
 * runtime and lives behind `ModelRunner` in src/engine/backends.
 */
import type { Reduction, TokenModelInfo } from './reduction';

export type LayerSelection = 'auto' | 'all' | string[];

/** One probe-able intermediate tensor (or layer output), in topological order. */
export interface LayerInfo {
  /** ONNX tensor name / TF.js layer or node name. */
  name: string;
  /** Producing op type (Relu, Add, Conv, Dense, ...). */
  op: string;
  /** Per-sample shape without the batch dimension; null entries where unknown before running. */
  shape: (number | null)[];
  /** Topological index among all listed layers. */
  index: number;
  /** True when the default rule (`auto`) probes it. */
  auto: boolean;
  /**
   * Why the per-sample shape is still unknown after resolution (e.g. the batch merged with another axis):
   * such a layer is never a default probe, and choosing it is refused with this reason.
   */
  shapeUnknown?: string;
  /** The reduction `auto` gives it (flatten, or cls/mean for a transformer's tokens); set for listing, where known. */
  reduction?: Reduction;
}

export interface ModelInputSpec {
  name: string;
  dtype: 'float32';
  /** Full shape including the batch dimension; null or a string where dynamic. */
  shape: (number | string | null)[];
  /** Fixed batch size when the first dimension is a number (1 for many exports), else null. */
  fixedBatch: number | null;
}

/** The last linear map to the logits. W is K x D row-major; b has K entries (zeros when absent). */
export interface ClassifierInfo {
  /** The tensor / layer whose output feeds the classifier (the penultimate feature). */
  inputLayer: string;
  /** The logits tensor (pre-softmax). */
  logitsLayer: string;
  numClasses: number;
  dim: number;
  W: Float64Array;
  b: Float64Array;
  /** True when the map has no bias term (b is then zeros, which is what it computes). */
  biasless?: boolean;
  /** How it was found, e.g. "Gemm transB=1", "MatMul + Add", "Dense (kernel transposed)". */
  description: string;
}

/** A model whose graph has been read (no runtime yet). */
export interface ModelGraph {
  format: 'onnx' | 'tfjs-layers' | 'tfjs-graph';
  path: string;
  input: ModelInputSpec;
  /** Every float intermediate tensor, in topological order. */
  layers: LayerInfo[];
  /** Classifier, or null with a reason. */
  classifier: ClassifierInfo | null;
  classifierUnavailable?: string;
  /** Number of logits (K) when known. */
  numOutputs: number | null;
  /** The pre-softmax logits tensor / layer, also when no linear classifier was found. */
  logitsLayer?: string;
  /** Set for a transformer over tokens (attention found): picks the default reduction of its T x D tensors. */
  tokens?: TokenModelInfo;
}

/** Runs a model and returns the probed tensors of one batch. Implemented per runtime in the engine. */
export interface ModelRunner {
  /** 'cpu' | 'cuda' | 'tfjs-wasm' | 'tfjs-node' | 'tfjs-cpu'. */
  readonly provider: string;
  readonly runtime: { name: string; version: string; threads?: number; note?: string };
  /**
   * Runs one batch. `input` is batchSize x prod(sample shape), laid out as the model expects.
   * Returns, for each probe name, a Float32Array of batchSize x dim (flattened per sample).
   */
  run(input: Float32Array, batchSize: number): Promise<Map<string, Float32Array>>;
  /**
   * True when the arrays `run` returns are the caller's alone (no view of the runtime's own memory), so
   * they can be handed to another thread without a copy.
   */
  readonly ownsOutputs?: boolean;
  dispose(): Promise<void>;
}

export interface RunnerOptions {
  provider: 'auto' | 'cpu' | 'cuda';
  threads: number;
  /** Tensor names to fetch: the probes, plus the classifier's logits. */
  fetch: string[];
}
