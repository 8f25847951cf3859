/**
 * `collapse-lens/classifier@1`: the classifier's geometry of one or more checkpoints, from their weights
 * alone (what `collapse-lens classifier` writes and the "Classifier (from weights)" cards show). The
 * numbers are classifierGeometry's, the same function behind an analysis result's `classifier` block.
 */
import type { ClassifierGeometry } from './metrics/classifier-geometry';
import { classifierGeometry } from './metrics/classifier-geometry';
import { readCheckpointClassifier, type WeightsFormat } from './model/classifierWeights';
import { messageOf } from './messageOf';

export const CLASSIFIER_SCHEMA = 'collapse-lens/classifier@1' as const;

/** The classifier found in a checkpoint and its geometry (`unavailable` only when some number is null). */
export interface ClassifierWeightsInfo extends Omit<ClassifierGeometry, 'unavailable'> {
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

/**
 * One checkpoint's entry. Never rejects: a checkpoint that cannot be read, or whose weights are not
 * finite, becomes an entry with `error` (naming the file), so one bad file in a folder does not hide
 * the others' numbers.
 */
export async function describeCheckpointClassifier(path: string, epoch?: number): Promise<CheckpointClassifierEntry> {
  const base = { path, ...(epoch !== undefined ? { epoch } : {}) };
  let found;
  try {
    found = await readCheckpointClassifier(path);
  } catch (err) {
    return { ...base, classifier: null, error: messageOf(err) };
  }
  const c = found.classifier;
  if (!c) return { ...base, format: found.format, classifier: null, classifierUnavailable: found.reason };
  try {
    const { unavailable, ...geometry } = classifierGeometry(c.W, c.b, c.numClasses, c.dim);
    const info: ClassifierWeightsInfo = {
      input: c.inputLayer,
      output: c.logitsLayer,
      description: c.description,
      ...geometry,
      ...(Object.keys(unavailable).length > 0 ? { unavailable } : {}),
    };
    return { ...base, format: found.format, classifier: info };
  } catch (err) {
    return { ...base, format: found.format, classifier: null, error: `${found.file}: ${messageOf(err)}` };
  }
}

export function classifierReport(entries: CheckpointClassifierEntry[], toolVersion: string): ClassifierReport {
  return { schema: CLASSIFIER_SCHEMA, createdAt: new Date().toISOString(), tool: { name: 'collapse-lens', version: toolVersion }, checkpoints: entries };
}
