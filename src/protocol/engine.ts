/**
 * Messages between the extension host and the engine process (child_process.fork, Node IPC).
 * The CLI drives the same engine functions directly, so these are the only shapes that cross a process.
 */
import type { AnalysisResult } from '../core/result';
import type { LayerInfo, LayerSelection } from '../core/model/types';
import type { ReductionRequest } from '../core/model/reduction';
import type { DatasetSpec, PreprocessingOptions } from '../core/dataset/types';
import type { CheckpointClassifierEntry } from '../core/classifierReport';

export type { DatasetSpec, PreprocessingOptions };

export interface AnalyzeRequest {
  checkpoint: string;
  /** The checkpoint's sha256 when the caller already has it (the extension hashes it for the run key): saves a second read. */
  checkpointSha256?: string;
  train: DatasetSpec;
  test?: DatasetSpec;
  layers: LayerSelection;
  /** How each probed tensor becomes a feature vector (flatten, gap, cls, mean); absent = auto. */
  reduction?: ReductionRequest;
  /** Balanced deterministic subsample: at most this many per class; null = all. */
  perClass: number | null;
  batchSize: number;
  provider: 'auto' | 'cpu' | 'cuda';
  threads: number;
  /**
   * Where each batch's sums and products are computed: 'js' (features fetched into JavaScript, float64)
   * or 'graph' (float64 nodes added to an ONNX model's graph); absent = COLLAPSE_LENS_REDUCTIONS, else 'js'.
   */
  reductions?: 'js' | 'graph';
  seed: number;
  epsilon: number;
  /** Preprocessing the user set for this run (CLI flags): wins over collapse-lens.json. */
  preprocessing?: PreprocessingOptions;
  /** Preprocessing from VS Code settings: used only where neither the flags nor collapse-lens.json set a value. */
  preprocessingSettings?: PreprocessingOptions;
  /** Fail on the first corrupt sample instead of skipping it. */
  strict?: boolean;
  /** Where to write the result JSON as soon as it is complete (the engine writes it, so a crashed host loses nothing). */
  out?: string;
}

export interface FeaturesRequest {
  features: string;
  test?: string;
  epsilon: number;
  out?: string;
  /** How each array becomes a feature vector (`--reduce`); absent = every array flattened as stored. */
  reduction?: ReductionRequest;
}

export type EngineStage = 'load' | 'layers' | 'pass1' | 'pass2' | 'metrics' | 'write';

export interface ProgressInfo {
  stage: EngineStage;
  split?: 'train' | 'test';
  /** Layer being reduced, when one is. */
  layer?: string;
  done: number;
  total: number;
  message: string;
}

export type HostToEngine =
  | { kind: 'analyze'; id: number; request: AnalyzeRequest }
  | { kind: 'metrics'; id: number; request: FeaturesRequest }
  | { kind: 'layers'; id: number; checkpoint: string }
  /** The classifier's geometry from the weights alone, per checkpoint (no session, no dataset). */
  | { kind: 'classifier'; id: number; checkpoints: string[] }
  | { kind: 'cancel'; id: number };

export type EngineToHost =
  | { kind: 'ready'; pid: number }
  | { kind: 'progress'; id: number; progress: ProgressInfo }
  /** Metrics of the layers finished so far, so the panel fills in and a later failure keeps them. */
  | { kind: 'partial'; id: number; result: AnalysisResult }
  | { kind: 'result'; id: number; result: AnalysisResult }
  | { kind: 'layers'; id: number; layers: LayerInfo[]; format: string; classifier: string | null; tokens?: { classToken: boolean } }
  /** One entry per checkpoint asked for, in order; an unreadable one carries its `error`. */
  | { kind: 'classifier'; id: number; entries: CheckpointClassifierEntry[] }
  | { kind: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  | { kind: 'error'; id: number; message: string; detail?: string; partial?: AnalysisResult };

export type EngineMessageKind = EngineToHost['kind'];
