/** The conventions of docs/metrics.md as one-line statements, for the result's `conventions` list and the UI. */
export const METRIC_CONVENTIONS: readonly string[] = [
  'NC1 = tr(Σ_W Σ_B⁺) / K.',
  'μ_G is the unweighted mean of the class means.',
  'Σ_B⁺ keeps the eigenvalues of G = M̃ᵀM̃ above 1e-10 × the largest (at most K−1); nc1Rank reports how many.',
  'Standard deviations (equinorm, equiangularity) are population ones (divide by the count).',
  'Equiangularity is the std of the cosines between centred means; max-angle is the mean of |cos + 1/(K−1)|.',
  'NC3 is the squared Frobenius distance ‖Wᵀ/‖W‖_F − M̃/‖M̃‖_F‖²_F, with W uncentred.',
  'Classifier ETF numbers use the rows w_c centred by their unweighted mean.',
  "NC4 compares the network's own logits (bias included) with the nearest training class mean.",
  "On the held-out split, NCC accuracy and NC4 use the training split's class means; NC1, NC2 and CDNV use the split's own.",
  "Var_c divides by n_c; CDNV(c, c′) = (Var_c + Var_c′) / (2‖μ_c − μ_c′‖²).",
  "Accumulation in float64; per-batch centred sums merged with Chan's formula.",
];
