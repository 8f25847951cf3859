import type { PreprocessingInfo } from '../../core/result';
import { describePreprocessing } from '../../core/preprocessingLine';

/**
 * How far above chance the network must be on its own training split before we stop suspecting the
 * input. The measure is accuracy rescaled so that chance (1/K) is 0 and perfect is 1, i.e. Cohen's kappa
 * for a uniform guesser: kappa = (acc - 1/K) / (1 - 1/K). A trained network shown the data it was trained
 * on, prepared the way it was trained, is far up that scale even when it is weak; fed wrongly scaled or
 * unnormalised input it typically answers one or two classes for everything, near kappa 0. Below a tenth
 * of the way from guessing to perfect, the likeliest cause is the preprocessing. A fixed multiple of
 * chance does not work across K: 1.5/K is 75% for two classes (a weak but honest binary model) and 1.5%
 * for a hundred (missing a broken CIFAR-100 model at 5%). For ten classes the bound is 19% (1.9x chance),
 * which catches the 15% of a PNG folder read without its normalisation.
 */
export const NEAR_CHANCE_KAPPA = 0.1;

/** The highest training accuracy that still counts as near chance for K classes. */
export function nearChanceBound(numClasses: number): number {
  const chance = 1 / numClasses;
  return chance + NEAR_CHANCE_KAPPA * (1 - chance);
}

const percent = (v: number): string => `${(v * 100).toFixed(1)}%`;

/**
 * The warning for a network at chance on its own training split, or null. Only with logits (accuracy is
 * null without them).
 */
export function nearChanceWarning(trainAccuracy: number | null, numClasses: number, preprocessing: PreprocessingInfo): string | null {
  if (trainAccuracy === null || !(numClasses >= 2) || trainAccuracy > nearChanceBound(numClasses)) return null;
  const line = describePreprocessing(preprocessing);
  return (
    `the network's own accuracy on the training split is ${percent(trainAccuracy)} (chance is ${percent(1 / numClasses)}): ` +
    `the preprocessing is probably not the one it was trained with (scale/mean/std, channel order, layout), or the checkpoint is untrained. ` +
    `Every collapse metric of this run describes that input.${line ? ` Used: ${line.replace(/^preprocessing: /, '')}.` : ''}`
  );
}
