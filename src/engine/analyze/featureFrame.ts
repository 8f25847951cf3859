import type { SplitLayerMetrics } from '../../core/result';
import type { LinearClassifier } from '../../core/metrics';

/**
 * The coordinates a float64 layer of dumped features is analysed in: h' = (h - origin) * 2^-exponent, with
 * `origin` the layer's first training row and 2^exponent the largest offset from it in the first block read.
 *
 * Why: float64 features may sit anywhere in float64's range. Squares of 1e-200 underflow to zero (every
 * class mean "coincides"), squares of 1e200 overflow (an "Infinity" feature), and a 1e9 offset costs nine
 * digits in every centred difference. Every metric but three is invariant under this shift and positive
 * scaling (NC1, NC2, CDNV, NCC, NC3, NC4); those three (class variability, mean norms, the 2-D projection)
 * are scaled back by `restore`, exactly, as the scale is a power of two. Subtracting the first row is
 * exact for values within a factor of two of it (Sterbenz), so nothing is lost even at an offset.
 * float32 features need none of this: their squares always fit in float64, and they run unchanged.
 */
export class FeatureFrame {
  private constructor(
    private readonly origin: Float64Array,
    readonly exponent: number,
  ) {}

  /** The frame of a layer from its first block of training rows (count x dim); null when it would change nothing useful. */
  static fromFirstRows(rows: Float64Array, dim: number): FeatureFrame | null {
    if (rows.length < dim) return null;
    const origin = rows.slice(0, dim);
    // A non-finite first row: no frame, so the accumulator names the bad sample with its own value.
    if (!origin.every(Number.isFinite)) return null;
    let largest = 0;
    for (let i = 0; i < rows.length; i++) {
      const offset = Math.abs(rows[i] - origin[i % dim]);
      if (offset > largest && Number.isFinite(offset)) largest = offset;
    }
    // Kept well inside float64's exponents so 2^-exponent and 2^(2 exponent) stay exact where used.
    const exponent = largest > 0 ? Math.max(-1000, Math.min(1000, Math.floor(Math.log2(largest)))) : 0;
    return new FeatureFrame(origin, exponent);
  }

  /** Moves a block of rows (count x dim) into the frame, in place. Non-finite values are left as they are, so errors name them. */
  apply(rows: Float64Array): void {
    const { origin } = this;
    const dim = origin.length;
    const factor = 2 ** -this.exponent;
    for (let i = 0; i < rows.length; i++) {
      const v = rows[i];
      if (Number.isFinite(v)) rows[i] = (v - origin[i % dim]) * factor;
    }
  }

  /** The classifier seen from the frame: W h + b = 2^e (W h' + (W origin + b) 2^-e), whose argmax is that of W h' + b'. */
  classifier({ W, b }: LinearClassifier): LinearClassifier {
    const dim = this.origin.length;
    const factor = 2 ** -this.exponent;
    const shifted = Float64Array.from(b, (bias, c) => {
      let sum = bias;
      for (let k = 0; k < dim; k++) sum += W[c * dim + k] * this.origin[k];
      return sum * factor;
    });
    return { W, b: shifted };
  }

  /**
   * Puts the scale back into the metrics that carry it: class variability (x 4^e), mean norms and the
   * projection (x 2^e). A value that float64 cannot hold at the features' own scale becomes null, with
   * the reason, rather than 0 or Infinity.
   */
  restore(metrics: SplitLayerMetrics): SplitLayerMetrics {
    const scale = 2 ** this.exponent;
    const why: string[] = [];
    const rescale = (key: string, value: number | null, factor: number): number | null => {
      if (value === null) return null;
      const out = value * factor;
      if (Number.isFinite(out) && (out !== 0 || value === 0)) return out;
      if (!why.includes(key)) why.push(key);
      return null;
    };
    const restored: SplitLayerMetrics = {
      ...metrics,
      // Twice by 2^e rather than once by 4^e: 4^e alone may not exist in float64 where the product does.
      classVariability: metrics.classVariability?.map((v) => rescale('classVariability', rescale('classVariability', v, scale), scale)) ?? null,
      meanNorms: metrics.meanNorms?.map((v) => rescale('meanNorms', v, scale)) ?? null,
    };
    if (metrics.projection) {
      const at = (v: number): number => v * scale;
      restored.projection = {
        means: metrics.projection.means.map(([x, y]) => [at(x), at(y)]),
        ...(metrics.projection.points ? { points: metrics.projection.points.map((p) => ({ ...p, x: at(p.x), y: at(p.y) })) } : {}),
      };
      const values = [...restored.projection.means.flat(), ...(restored.projection.points ?? []).flatMap((p) => [p.x, p.y])];
      if (!values.every(Number.isFinite)) {
        restored.projection = null;
        why.push('projection');
      }
    }
    if (why.length > 0) {
      const unavailable = { ...(metrics.unavailable ?? {}) };
      for (const key of why) unavailable[key] = `outside float64's range at the features' own scale (2^${this.exponent}); the scale-free metrics are computed`;
      restored.unavailable = unavailable;
    }
    return restored;
  }
}
