import type { PreprocessingInfo } from './result';
import { describeTransform, normalizeTransform } from './dataset/images/imageTransform';

/** Origins in the words a reader knows them by (the flag, the file, the setting, ...). */
const ORIGIN_WORDS: Record<string, string> = {
  flag: 'flag',
  'collapse-lens.json': 'collapse-lens.json',
  'vscode-settings': 'VS Code setting',
  default: 'default',
  'model-input': 'model input',
};

const number = (v: number): string => String(Number(v.toPrecision(4)));
const values = (v: number[]): string => (v.every((x) => x === v[0]) ? number(v[0]!) : `[${v.map(number).join(', ')}]`);

/** 1/255 rather than 0.003922: scales are almost always the inverse of an integer. */
function formatScale(scale: number): string {
  const inverse = Math.round(1 / scale);
  return inverse > 1 && Math.abs(1 / scale - inverse) <= 1e-9 * inverse ? `1/${inverse}` : number(scale);
}

/**
 * The preprocessing that ran and where each part came from, in one line, for the CLI table header and
 * the panel's run card, e.g. "preprocessing: scale 1/255 (default), mean/std none (default), layout nchw
 * (model input)". A wrong scale or mean gives numbers that look plausible; saying which one ran, and
 * whether anyone chose it, is what lets a reader catch that. Null for a result without preprocessing
 * (features given directly).
 */
export function describePreprocessing(info: PreprocessingInfo): string | null {
  if (info.scale === undefined && info.layout === undefined) return null;
  const origin = (key: string): string => {
    const o = info.origin?.[key];
    return o === undefined ? 'not recorded' : ORIGIN_WORDS[o] ?? o;
  };
  const parts: string[] = [];
  if (info.floatsTakenAsIs === true) {
    parts.push(`float samples as stored, no scale/mean/std (normalizeFloats ${origin('normalizeFloats')})`);
  } else {
    if (info.scale !== undefined) parts.push(`scale ${formatScale(info.scale)} (${origin('scale')})`);
    const mean = info.mean ?? [0];
    const std = info.std ?? [1];
    const none = mean.every((m) => m === 0) && std.every((s) => s === 1);
    if (origin('mean') === origin('std')) parts.push(none ? `mean/std none (${origin('mean')})` : `mean ${values(mean)} std ${values(std)} (${origin('mean')})`);
    else parts.push(`mean ${values(mean)} (${origin('mean')}), std ${values(std)} (${origin('std')})`);
    if (info.floatsTakenAsIs === false) parts.push(`float samples normalised (${origin('normalizeFloats')})`);
  }
  if (info.channelOrder === 'bgr') parts.push(`channels BGR (${origin('channelOrder')})`);
  if (info.layout) parts.push(`layout ${info.layout} (${origin('layout')})`);
  if (info.transform) parts.push(`${describeTransform(normalizeTransform(info.transform))} (${origin('transform')})`);
  if (info.resize) parts.push(`resized to ${info.resize[0]}x${info.resize[1]}`);
  if (info.grayscale) parts.push(info.grayscale === 'to-rgb' ? 'grey repeated to RGB' : 'RGB converted to grey');
  return `preprocessing: ${parts.join(', ')}${info.configFile ? `; collapse-lens.json: ${info.configFile}` : ''}`;
}
