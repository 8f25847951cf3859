/**
 * `collapse-lens/classifier@1`: the classifier's geometry of one or more checkpoints, from their weights
 * alone (what `collapse-lens classifier` writes and the "Classifier (from weights)" cards show). The
 * numbers are classifierGeometry's, the same function behind an analysis result's `classifier` block.
 */
import type { ClassifierGeometry } from './metrics/classifier-geometry';
import type { SquareMatrix } from './result';

/** No Node import here: the protocol (and so the webviews) import these types. */
export type WeightsFormat = 'onnx' | 'tfjs-layers' | 'tfjs-graph';

export const CLASSIFIER_SCHEMA = 'collapse-lens/classifier@1' as const;

/** The classifier found in a checkpoint and its geometry (`unavailable` only when some number is null). */
export interface ClassifierWeightsInfo extends Omit<ClassifierGeometry, 'unavailable' | 'cosines'> {
  /** K x K cosines of the centred rows, packed above 64 classes as in a result (packedMatrix.ts): 50 epochs at K = 1,000 would otherwise be ~1 GB. */
  cosines: SquareMatrix;
  /** The layer whose output feeds the classifier. */
  input: string;
  /** The logits tensor / layer. */
  output: string;
  /** How it was found ("Gemm transB=1", "Dense (kernel transposed)", ...). */
  description: string;
  unavailable?: Record<string, string>;
}

export interface CheckpointClassifierEntry {
  /** The checkpoint as given (a file, or a folder holding one). */
  path: string;
  /** Read from a folder of epoch checkpoints: the epoch in the file's name. */
  epoch?: number;
  /** Absent when the checkpoint could not be read at all (`error` says why). */
  format?: WeightsFormat;
  /** Null when there is no classifier to read: `classifierUnavailable` (found, but no linear head) or `error` (unreadable) says why. */
  classifier: ClassifierWeightsInfo | null;
  classifierUnavailable?: string;
  error?: string;
}

export interface ClassifierReport {
  schema: typeof CLASSIFIER_SCHEMA;
  createdAt: string;
  tool: { name: 'collapse-lens'; version: string };
  checkpoints: CheckpointClassifierEntry[];
}

export function classifierReport(entries: CheckpointClassifierEntry[], toolVersion: string): ClassifierReport {
  return { schema: CLASSIFIER_SCHEMA, createdAt: new Date().toISOString(), tool: { name: 'collapse-lens', version: toolVersion }, checkpoints: entries };
}
