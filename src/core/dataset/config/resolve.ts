import { DEFAULT_SCALE, type PreprocessorOptions } from '../preprocess/build';
import { SETTING_KEYS, validateSettings, type PreprocessingSettings } from './schema';

export type SettingOrigin = 'flag' | 'collapse-lens.json' | 'vscode-settings' | 'default';

/** Every setting with a value, and where each came from (PreprocessingInfo.origin). */
export interface ResolvedPreprocessing extends PreprocessorOptions {
  scale: number;
  mean: number[];
  std: number[];
  channelOrder: 'rgb' | 'bgr';
  resize: boolean;
  normalizeFloats: boolean;
  perClass: number | null;
  seed: number;
  transform: { resizeShorter?: number | null; centerCrop: number } | null;
  origin: Record<string, SettingOrigin>;
}

export const PREPROCESSING_DEFAULTS = {
  scale: DEFAULT_SCALE,
  mean: [0],
  std: [1],
  channelOrder: 'rgb',
  resize: true,
  normalizeFloats: false,
  perClass: null,
  seed: 0,
  transform: null,
} as const;

/**
 * Merges settings by precedence: CLI flags > collapse-lens.json > VS Code settings > defaults. A key left
 * undefined falls through to the next level; `layout` has no default (the model's input shape decides).
 * Pass only values the user set (for VS Code, from inspect(), not get(), or every default would win).
 */
export function resolvePreprocessing(
  flags: PreprocessingSettings | null | undefined,
  fileConfig: PreprocessingSettings | null | undefined,
  settings: PreprocessingSettings | null | undefined,
): ResolvedPreprocessing {
  const levels: [SettingOrigin, PreprocessingSettings][] = [];
  if (flags) levels.push(['flag', validateSettings(flags, 'command-line flags')]);
  if (fileConfig) levels.push(['collapse-lens.json', validateSettings(fileConfig, 'collapse-lens.json: preprocessing')]);
  if (settings) levels.push(['vscode-settings', validateSettings(settings, 'VS Code settings (collapseLens.preprocessing)')]);
  const merged: Record<string, unknown> = {};
  const origin: Record<string, SettingOrigin> = {};
  for (const key of SETTING_KEYS) {
    const found = levels.find(([, values]) => values[key] !== undefined);
    if (found) {
      merged[key] = found[1][key];
      origin[key] = found[0];
    } else if (key in PREPROCESSING_DEFAULTS) {
      const value = PREPROCESSING_DEFAULTS[key as keyof typeof PREPROCESSING_DEFAULTS];
      merged[key] = Array.isArray(value) ? [...value] : value;
      origin[key] = 'default';
    }
  }
  return { ...(merged as Omit<ResolvedPreprocessing, 'origin'>), origin };
}
