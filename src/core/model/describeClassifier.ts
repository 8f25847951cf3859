/**
 * A checkpoint's "Classifier (from weights)" entry: its classifier read without a session, and the
 * geometry of its rows (the CLI's `classifier` command and the engine's 'classifier' request).
 */
import { classifierGeometry } from '../metrics/classifier-geometry';
import { packIfLarge } from '../packedMatrix';
import { readCheckpointClassifier } from './classifierWeights';
import { messageOf } from '../messageOf';
import type { CheckpointClassifierEntry, ClassifierWeightsInfo } from '../classifierReport';

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
    const { unavailable, ...geometry } = classifierGeometry(c.W, c.biasless ? null : c.b, c.numClasses, c.dim);
    const info: ClassifierWeightsInfo = {
      input: c.inputLayer,
      output: c.logitsLayer,
      description: c.description,
      ...geometry,
      cosines: packIfLarge(geometry.cosines),
      ...(Object.keys(unavailable).length > 0 ? { unavailable } : {}),
    };
    return { ...base, format: found.format, classifier: info };
  } catch (err) {
    return { ...base, format: found.format, classifier: null, error: `${found.file}: ${messageOf(err)}` };
  }
}

