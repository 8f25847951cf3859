/**
 * The thresholds that decide when a quantity is "zero" in the metrics. Kept in one place so the code,
 * the tests and docs/metrics-implementation.md agree.
 */

/** Pinned by docs/metrics.md: eigenvalues of G at or below this fraction of the largest are dropped. */
export const RELATIVE_EIGEN_TOLERANCE = 1e-10;

/**
 * A squared length (centred mean, mean difference, eigenvalue of G) at or below this fraction of the
 * mean squared norm of the UNcentred vectors is rounding noise: centring vectors that all coincide
 * leaves residues of order (2^-52 |mu|)^2, some 1e-32 of that scale, while separations that float32
 * features can still resolve are above 1e-14 of it. Without this floor, means that coincide would give
 * a "rank K-1" pseudo-inverse made of rounding noise.
 */
export const ABSOLUTE_SQUARED_TOLERANCE = 1e-20;

/**
 * Training NCC error counts as <= epsilon within this slack: error = wrong / N is a float, and
 * 1 - 0.99 is 0.010000000000000009.
 */
export const EFFECTIVE_DEPTH_SLACK = 1e-12;
