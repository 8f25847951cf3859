import type { PreprocessorOptions } from './build';

/** Bytes 0..255 to [0, 1]: the scale integer samples get unless one is given. */
export const DEFAULT_SCALE = 1 / 255;
const AFFINE_KEYS = ['scale', 'mean', 'std'] as const;

/** What to do with float samples: take them as they are, or apply scale/mean/std, and why. */
export interface FloatPolicy {
  normalize: boolean;
  scale: number;
  /** The keys whose explicit values turned normalisation on (empty when normalizeFloats decided). */
  impliedBy: string[];
}

/** A key the user set (flag, collapse-lens.json, setting, or a direct caller), not a filled-in default. */
export function isGiven(options: PreprocessorOptions, key: keyof PreprocessorOptions): boolean {
  return options[key] !== undefined && options.origin?.[key] !== 'default';
}

/**
 * Float samples are taken as they are by default (they are usually already scaled). But a scale, mean or
 * std the user gave is a statement about this input: ignoring it gave ~chance accuracy with only a note in
 * the JSON, so an explicit value implies normalizeFloats. The scale then stays 1 unless given too: the
 * 1/255 default is for bytes, and floats already in [0, 1] divided by 255 again would be garbage. An
 * explicit `normalizeFloats: false` next to an explicit value contradicts it and is refused.
 */
export function floatPolicy(options: PreprocessorOptions, source: string): FloatPolicy {
  const given = AFFINE_KEYS.filter((k) => isGiven(options, k));
  if (options.normalizeFloats === true) return { normalize: true, scale: options.scale ?? DEFAULT_SCALE, impliedBy: [] };
  if (given.length === 0) return { normalize: false, scale: 1, impliedBy: [] };
  if (options.normalizeFloats === false && isGiven(options, 'normalizeFloats')) {
    const where = (k: keyof PreprocessorOptions): string => options.origin?.[k] ?? 'given';
    throw new Error(
      `${source}: ${given.map((k) => `${k} (${where(k)})`).join(', ')} would normalise the float samples, but normalizeFloats is false (${where('normalizeFloats')}); ` +
        'remove one of them: they contradict each other',
    );
  }
  return { normalize: true, scale: isGiven(options, 'scale') ? options.scale! : 1, impliedBy: given };
}
