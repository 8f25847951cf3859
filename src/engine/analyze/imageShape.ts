import { readModelInput, type ModelInputGeometry, type ResolvedPreprocessing } from '../../core/dataset';
import { normalizeTransform } from '../../core/dataset/images/imageTransform';
import { sampleGeometry } from '../../core/dataset/layout';
import type { PreparedSplit } from './splits';

const channelCount = (c: number | null): 1 | 3 | null => (c === 1 || c === 3 ? c : null);

/**
 * Tells an image folder what to bring every image to, before its first read: the model's height, width
 * and channels where its input fixes them, so each image is resized once, straight to what the model
 * takes, and every resize or conversion is counted per file. Where the model leaves the size open, the
 * test split takes the training split's size (their features must have the same width); the training
 * split's own images decide (their most common size). Other sources are left alone: the preprocessor
 * converts whole arrays, and the result says so in dataset.preprocessing.
 */
export async function conformSplitImages(
  split: PreparedSplit,
  input: { shape: readonly (number | string | null)[] },
  options: Pick<ResolvedPreprocessing, 'layout' | 'resize'> & { transform?: ResolvedPreprocessing['transform'] },
  train?: PreparedSplit,
): Promise<void> {
  const source = split.source;
  if (!source.conformImages) {
    // A transform that cannot apply is refused, not ignored: the user asked for pixels they would not get.
    if (options.transform) {
      throw new Error(`${source.source}: the evaluation transform (resizeShorter/centerCrop) applies to image folders only, and this is ${source.format} data; remove it from the flags or collapse-lens.json`);
    }
    return;
  }
  let model: ModelInputGeometry;
  try {
    model = readModelInput(input.shape, options.layout, sampleGeometry(source.sampleShape, source.sampleLayout) ?? undefined);
  } catch {
    return; // buildPreprocessor reads the input again and refuses it with the dataset named
  }
  let height = model.layout === 'flat' ? null : model.height;
  let width = model.layout === 'flat' ? null : model.width;
  let channels = model.layout === 'flat' ? null : channelCount(model.channels);
  let fixedBy: 'model-input' | 'train-split' = 'model-input';
  const trainGeometry = train ? sampleGeometry(train.source.sampleShape, train.source.sampleLayout) : null;
  if ((height === null || width === null) && trainGeometry) {
    height = trainGeometry.h;
    width = trainGeometry.w;
    channels ??= channelCount(trainGeometry.c);
    fixedBy = 'train-split';
  }
  const transform = options.transform ? normalizeTransform(options.transform) : null;
  await source.conformImages({ height, width, channels, fixedBy, resize: options.resize !== false, indices: split.indices, transform });
}
