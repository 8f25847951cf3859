/**
 * The preprocessing flags every command that reads a dataset through a model takes (analyze, and
 * trajectory through it), parsed in one place so they spell and check the same everywhere.
 */
import { choiceFlag, intFlag, listFlag, numberFlag, type FlagSpec, type Parsed } from './args';
import { UsageError } from '../errors';
import type { PreprocessingOptions } from '../../protocol/engine';

export const PREPROCESSING_FLAGS: FlagSpec = {
  scale: { type: 'string' },
  mean: { type: 'string' },
  std: { type: 'string' },
  'channel-order': { type: 'string' },
  'normalize-floats': { type: 'boolean' },
  'no-resize': { type: 'boolean' },
  'resize-shorter': { type: 'string' },
  'center-crop': { type: 'string' },
  'image-decoder': { type: 'string' },
};

export const PREPROCESSING_USAGE = `  --scale s --mean a,b,c --std a,b,c --channel-order rgb|bgr --normalize-floats --no-resize
                            preprocessing; overrides collapse-lens.json next to the data or checkpoint.
                            On float data an explicit scale/mean/std is applied (it implies
                            --normalize-floats, with scale 1 unless given). The preprocessing used, and
                            where each value came from, is printed above the table (or on stderr)
  --resize-shorter S --center-crop C
                            image folders: the ImageNet evaluation transform, torchvision's Resize(S) +
                            CenterCrop(C) on PIL images (antialiased bilinear, byte for byte as PIL);
                            --center-crop alone crops without resizing. Overrides collapse-lens.json's
                            "transform"
  --image-decoder auto|javascript
                            with the transform: sharp where it loads (auto, default), or always the
                            JavaScript decoders. The decoder that ran is in the result and the table`;

/** The preprocessing overrides the flags give (only what was typed: the rest falls through to the file). */
export function parsePreprocessingFlags(flags: Parsed['flags']): PreprocessingOptions {
  const preprocessing: PreprocessingOptions = {};
  const scale = flags.scale === undefined ? undefined : numberFlag(flags, 'scale', 1, (n) => n > 0, 'a positive number');
  if (scale !== undefined) preprocessing.scale = scale;
  const mean = listFlag(flags, 'mean');
  if (mean) preprocessing.mean = mean;
  const std = listFlag(flags, 'std', (s) => s > 0, 'positive numbers');
  if (std) preprocessing.std = std;
  if (flags['channel-order'] !== undefined) preprocessing.channelOrder = choiceFlag(flags, 'channel-order', ['rgb', 'bgr'] as const, 'rgb');
  if (flags['normalize-floats']) preprocessing.normalizeFloats = true;
  if (flags['no-resize']) preprocessing.resize = false;
  const shorter = flags['resize-shorter'] === undefined ? undefined : intFlag(flags, 'resize-shorter', 0, 1);
  if (shorter !== undefined && flags['center-crop'] === undefined) {
    throw new UsageError('--resize-shorter needs --center-crop: without a crop the images keep different sizes (torchvision\'s Resize(S) alone cannot batch them either)');
  }
  if (flags['center-crop'] !== undefined) {
    const crop = intFlag(flags, 'center-crop', 0, 1);
    if (shorter !== undefined && crop > shorter) throw new UsageError(`--center-crop ${crop} is larger than --resize-shorter ${shorter}: every resized image would be smaller than the crop`);
    preprocessing.transform = { resizeShorter: shorter ?? null, centerCrop: crop };
  }
  return preprocessing;
}

/** --image-decoder: 'auto' (sharp where it loads) or 'javascript'. */
export function imageDecoderFlag(flags: Parsed['flags']): 'auto' | 'javascript' {
  return choiceFlag(flags, 'image-decoder', ['auto', 'javascript'] as const, 'auto');
}
