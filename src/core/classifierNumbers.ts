/**
 * The four NC2 numbers of the classifier rows, their names and meanings, in display order: one list for
 * the Layers view, the analysis panel's card and the docs' wording, so no view describes them differently.
 * No Node import (the webviews use it).
 */
import type { EtfNumbers } from './result';

export const CLASSIFIER_NUMBERS: readonly { id: keyof EtfNumbers; label: string; meaning: string }[] = [
  { id: 'etfDistance', label: 'ETF distance', meaning: '‖G/‖G‖_F − (I − 11ᵀ/K)/√(K−1)‖_F of the centred rows: 0 is a simplex ETF' },
  { id: 'equinorm', label: 'Equinorm', meaning: 'std/mean of the centred row norms ‖w_c − w̄‖: 0 is every row equally long' },
  { id: 'equiangularity', label: 'Equiangularity', meaning: 'std of the cosines between centred rows: 0 is every pair at one angle' },
  { id: 'maxAngle', label: 'Max-angle', meaning: 'mean |cos + 1/(K−1)|: 0 is every pair at the simplex angle' },
];
