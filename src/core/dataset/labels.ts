/** Label checks that turn a wrong dataset into a clear message before any model runs. */
import { listClasses } from '../metrics/geometry';

/** A class by number, with its name when known: `2 ("emu")`. */
function className(c: number, classNames?: string[] | null): string {
  const name = classNames?.[c];
  return name !== undefined ? `${c} ("${name}")` : String(c);
}

/**
 * Every label in 0..K-1 and (unless `allowEmpty`: a held-out split, see checkSplitsAgree) every class
 * present. Returns the per-class counts. Errors name the file, the offending label and the first sample
 * that has it, or the empty classes (the first few, with their names when known).
 */
export function checkLabels(labels: Int32Array, numClasses: number, path: string, classNames?: string[] | null, options: { allowEmpty?: boolean } = {}): Int32Array {
  if (!Number.isInteger(numClasses) || numClasses < 1) throw new Error(`${path}: the number of classes must be a positive integer, got ${numClasses}`);
  const counts = new Int32Array(numClasses);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    if (label < 0 || label >= numClasses) {
      throw new Error(
        `${path}: label ${label} at sample ${i} is outside 0..${numClasses - 1} (the model has ${numClasses} classes)`,
      );
    }
    counts[label]!++;
  }
  if (options.allowEmpty) return counts;
  const empty: number[] = [];
  for (let c = 0; c < numClasses; c++) if (counts[c] === 0) empty.push(c);
  if (empty.length > 0) {
    const several = empty.length > 1;
    throw new Error(
      `${path}: class${several ? 'es' : ''} ${listClasses(empty.map((c) => className(c, classNames)))} ha${several ? 've' : 's'} no samples ` +
        `(${numClasses - empty.length} of the ${numClasses} classes have some); every class needs samples in this split`,
    );
  }
  return counts;
}

export interface SplitDescription {
  source: string;
  classNames: string[] | null;
  labels: Int32Array;
}

/**
 * The held-out split must speak of the same classes as the training split: NCC accuracy on it uses the
 * training class means. Class names that differ, or a test label that training never has, are errors;
 * a class absent from the test split is only a warning (returned).
 */
export function checkSplitsAgree(train: SplitDescription, test: SplitDescription): string[] {
  const warnings: string[] = [];
  if (train.classNames && test.classNames) {
    const a = train.classNames;
    const b = test.classNames;
    const differ = a.length !== b.length || a.some((name, i) => name !== b[i]);
    if (differ) {
      const onlyTrain = a.filter((n) => !b.includes(n));
      const onlyTest = b.filter((n) => !a.includes(n));
      const detail =
        onlyTrain.length || onlyTest.length
          ? `only in ${train.source}: [${onlyTrain.join(', ')}]; only in ${test.source}: [${onlyTest.join(', ')}]`
          : 'same names in a different order';
      throw new Error(`${test.source}: its classes do not match those of ${train.source} (${detail})`);
    }
  }
  const trainSet = new Set(train.labels);
  const testSet = new Set(test.labels);
  for (let i = 0; i < test.labels.length; i++) {
    const label = test.labels[i]!;
    if (!trainSet.has(label)) {
      throw new Error(`${test.source}: label ${label} (first at sample ${i}) never occurs in the training split ${train.source}`);
    }
  }
  const missing = [...trainSet].filter((l) => !testSet.has(l)).sort((a, b) => a - b);
  if (missing.length > 0) {
    const names = missing.map((l) => className(l, train.classNames));
    warnings.push(
      `${test.source}: no test samples for class(es) ${listClasses(names)}: the held-out metrics that need every class are null ` +
        '(the reason is in "unavailable"); held-out NCC accuracy is over the samples present, against the training means',
    );
  }
  return warnings;
}
