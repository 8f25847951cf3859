/**
 * NaN (and, where they cannot be meant, infinite) weights in a checkpoint. A model holding them gives NaN
 * features for every input, and a metric computed from those reads as a degenerate geometry ("class means
 * coincide") instead of a broken file: so the weights are scanned when the model is loaded, and the
 * analysis is refused naming each bad tensor.
 */
export interface NonFiniteWeight {
  /** The tensor: an ONNX initializer / Constant output, or a TF.js weight name (layer/variable). */
  name: string;
  nan: number;
  infinite: number;
  total: number;
  /** Flat index of the first bad value. */
  first: number;
}

/** Counts the NaN and infinite values among `count` values read by `at`; null when every one is finite. */
export function scanWeightValues(name: string, count: number, at: (i: number) => number): NonFiniteWeight | null {
  let nan = 0;
  let infinite = 0;
  let first = -1;
  for (let i = 0; i < count; i++) {
    const v = at(i);
    if (Number.isFinite(v)) continue;
    if (Number.isNaN(v)) nan++;
    else infinite++;
    if (first < 0) first = i;
  }
  return first < 0 ? null : { name, nan, infinite, total: count, first };
}

/** One message for every bad tensor (the first 5 named), e.g. `m.onnx: NaN weights in "fc1.weight" (3 of 784 values, first at flat index 17)`. */
export function nonFiniteWeightsMessage(file: string, found: readonly NonFiniteWeight[]): string {
  const describe = (w: NonFiniteWeight): string => {
    const kinds = [w.nan > 0 ? `${w.nan} NaN` : '', w.infinite > 0 ? `${w.infinite} infinite` : ''].filter(Boolean).join(' and ');
    return `"${w.name}" (${kinds} of ${w.total} values, first at flat index ${w.first})`;
  };
  const label = found.some((w) => w.nan > 0) ? (found.some((w) => w.infinite > 0) ? 'NaN and infinite weights' : 'NaN weights') : 'infinite weights';
  const shown = found.slice(0, 5).map(describe).join(', ');
  const more = found.length > 5 ? ` and ${found.length - 5} more tensors` : '';
  return `${file}: ${label} in ${shown}${more}: the model gives non-finite features for any input, so no metric of it would mean anything (a diverged or corrupted checkpoint?)`;
}
