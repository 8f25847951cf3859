/**
 * The epsilon-effective depth (Galanti et al.): the first probed layer, in depth order, whose TRAINING
 * NCC error 1 - accuracy is at most epsilon.
 */
import { EFFECTIVE_DEPTH_SLACK } from './tolerances';

export interface EffectiveDepth {
  epsilon: number;
  /** Name of that layer, or null when no layer reaches it. */
  layer: string | null;
  /** Its position in the given list (0 = shallowest), or null. */
  depth: number | null;
}

/** `layers` in depth order; a layer whose NCC accuracy is null (unavailable) is skipped. */
export function effectiveDepth(layers: { name: string; trainNccAccuracy: number | null }[], epsilon = 0.01): EffectiveDepth {
  if (!(epsilon >= 0 && epsilon <= 1)) throw new Error(`effective depth: epsilon ${epsilon} must be in [0, 1]`);
  for (let depth = 0; depth < layers.length; depth++) {
    const accuracy = layers[depth].trainNccAccuracy;
    if (accuracy !== null && 1 - accuracy <= epsilon + EFFECTIVE_DEPTH_SLACK) {
      return { epsilon, layer: layers[depth].name, depth };
    }
  }
  return { epsilon, layer: null, depth: null };
}
