/**
 * What reading a dataset changed, in words, from the result's dataset info: the engine's warnings (with
 * example files), and the one-line counts the CLI table and the panel's run card show. DOM-free, one
 * wording for every reader.
 */
import type { DatasetSourceInfo, ImageConversion, PreprocessingInfo } from './result';

const SIZE_ORIGIN: Record<string, string> = {
  'model-input': "the model input's size",
  'train-split': "the training split's size",
  'most-common': 'the most common size among the images',
  'first-image': "the first image's size",
  transform: "the transform's centre crop",
};

export const CONVERSION_WORDS: Record<ImageConversion, string> = { 'grey-to-rgb': 'grey -> RGB', 'rgb-to-grey': 'RGB -> grey', 'alpha-dropped': 'transparency dropped' };

const examplesOf = (examples: string[]): string => (examples.length > 0 ? `, e.g. ${examples.slice(0, 3).join(', ')}` : '');

function conversionKinds(info: DatasetSourceInfo): string {
  const kinds = Object.entries(info.converted?.kinds ?? {}).filter(([, n]) => (n ?? 0) > 0);
  return kinds.map(([kind, n]) => `${n} ${CONVERSION_WORDS[kind as ImageConversion] ?? kind}`).join(', ');
}

/** One line per kind of change (skipped, resized, converted) in a split's images, with example files. */
export function imageReadWarnings(split: string, info: DatasetSourceInfo | undefined): string[] {
  if (!info) return [];
  const out: string[] = [];
  const { skipped, resized, converted } = info;
  if (skipped && skipped.count > 0) out.push(`${split}: ${skipped.count} corrupt sample(s) skipped${examplesOf(skipped.examples)}`);
  if (resized && resized.count > 0) {
    const origin = SIZE_ORIGIN[info.imageSize?.from ?? ''];
    out.push(`${split}: ${resized.count} image(s) resized to ${resized.to.width}x${resized.to.height}${origin ? ` (${origin})` : ''}${examplesOf(resized.examples)}`);
  }
  if (converted && converted.count > 0) {
    const kinds = conversionKinds(info);
    out.push(`${split}: ${converted.count} image(s) converted to ${converted.to === 'rgb' ? 'RGB' : 'grey'}${kinds ? ` (${kinds})` : ''}${examplesOf(converted.examples)}`);
  }
  // The fallback gives torchvision's transform on other pixels for colour JPEGs: said, with how far.
  if (info.transform && info.decoder?.name === 'javascript') {
    out.push(
      `${split}: images decoded by the JavaScript fallback (${info.decoder.reason ?? 'sharp unavailable'}): colour JPEGs come out about a level from PIL/torchvision's pixels on photos and tens of levels at sharp colour edges (jpeg-js replicates subsampled chroma); PNGs and grey JPEGs are exact. With sharp installed they match`,
    );
  }
  return out;
}

/** The counts alone, e.g. "2 skipped (corrupt) · 3 resized to 28x28 · 1 converted to RGB"; null when nothing changed. */
export function imageReadCounts(info: DatasetSourceInfo | undefined): string | null {
  if (!info) return null;
  const parts: string[] = [];
  if (info.skipped && info.skipped.count > 0) parts.push(`${info.skipped.count} skipped (corrupt)`);
  if (info.resized && info.resized.count > 0) parts.push(`${info.resized.count} resized to ${info.resized.to.width}x${info.resized.to.height}`);
  if (info.converted && info.converted.count > 0) parts.push(`${info.converted.count} converted to ${info.converted.to === 'rgb' ? 'RGB' : 'grey'}`);
  return parts.length > 0 ? parts.join(' · ') : null;
}

/**
 * A whole-array conversion the preprocessor makes to fit the model (IDX, .npz, CIFAR: every sample
 * alike), as a warning: a 28x28 grey dataset fed to a 3x32x32 model is resized and turned into RGB,
 * which is allowed only when it is said. Null when the samples fit as stored.
 */
export function preprocessingWarning(split: string, info: PreprocessingInfo): string | null {
  const parts: string[] = [];
  if (info.resize) parts.push(`resized to ${info.resize[1]}x${info.resize[0]} (bilinear)`);
  if (info.grayscale === 'to-rgb') parts.push('grey copied into R, G and B');
  if (info.grayscale === 'from-rgb') parts.push('RGB converted to grey (luma)');
  if (parts.length === 0) return null;
  const stored = Array.isArray(info.storedShape) ? ` (stored as [${info.storedShape.join(', ')}])` : '';
  return `${split}: every sample${stored} ${parts.join(' and ')} to fit the model input`;
}
