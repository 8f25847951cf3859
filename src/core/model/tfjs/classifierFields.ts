/**
 * The ModelGraph fields both TF.js readers (Layers and Graph models) fill the same way from what their
 * classifier search found: the classifier or why there is none, K, and the logits layer.
 */
import type { ClassifierInfo, ModelGraph } from '../types';
import type { SampleShape } from './kerasShapes';

export interface ClassifierSearch {
  classifier: ClassifierInfo | null;
  /** Why no classifier was read. */
  unavailable?: string;
}

/**
 * K is the classifier's class count, else the model output's last dimension when known. `logitsLayer`
 * is left out when undefined, as is `classifierUnavailable` when a classifier was read.
 */
export function classifierFields(
  found: ClassifierSearch,
  outputShape: SampleShape | undefined,
  logitsLayer: string | undefined,
): Pick<ModelGraph, 'classifier' | 'classifierUnavailable' | 'numOutputs' | 'logitsLayer'> {
  const lastDim = outputShape?.[outputShape.length - 1];
  return {
    classifier: found.classifier,
    ...(found.unavailable !== undefined ? { classifierUnavailable: found.unavailable } : {}),
    numOutputs: found.classifier?.numClasses ?? (typeof lastDim === 'number' ? lastDim : null),
    ...(logitsLayer !== undefined ? { logitsLayer } : {}),
  };
}
