/**
 * The one heavy loop of pass 2: for every sample i of a batch and every row r of a small matrix A,
 *
 *     out[i * R + r] = sum_k (h_i[k] - centre[k]) * A[r][k]
 *
 * i.e. the B x R product (H - 1 centre^T) A^T, A = centred class means (and classifier rows). The centre
 * is the split's global mean: subtracting it before the products removes the features' common offset
 * (large for post-ReLU layers) so that the later differences of products do not cancel.
 *
 * Speed: the D axis is cut into chunks whose R rows stay in L2. Inside a chunk, three samples are
 * multiplied against three rows at a time: nine independent accumulators hide the add latency, each
 * loaded row value feeds three multiply-adds, and the float32 features are read straight from the batch
 * (the subtraction happens in registers; a float64 scratch copy measured slower). This blocking measured
 * 4-6x a plain one-sample-one-row loop in V8, so the fallback keeps it. As in the WebAssembly kernel, a block past the last sample or
 * row repeats that sample or row and its extra sums are dropped, so one block shape serves every remainder.
 */
import type { FeatureRows } from './batch-input';

/** Target bytes of the rows' slice held in cache while a chunk is processed. */
const ROW_BLOCK_BYTES = 160 * 1024;
const MAX_CHUNK = 1024;

export function chunkLength(dim: number, rowCount: number): number {
  const fit = Math.floor(ROW_BLOCK_BYTES / 8 / Math.max(1, rowCount));
  return Math.max(64, Math.min(dim, MAX_CHUNK, fit - (fit % 4)));
}

/**
 * Adds a 3 x 3 block of sums (samples i..i+2 times rows r..r+2, in the order a0 a1 a2 b0 b1 b2 c0 c1 c2)
 * into out, dropping those of samples at or past `count` and rows at or past `rowCount`.
 */
export function addBlockSums(out: Float64Array, sums: Float64Array, i: number, r: number, count: number, rowCount: number): void {
  for (let s = 0; s < 3 && i + s < count; s++) {
    const o = (i + s) * rowCount + r;
    for (let t = 0; t < 3 && r + t < rowCount; t++) out[o + t] += sums[s * 3 + t];
  }
}

/** One block's nine sums, handed from block3x3 to addBlockSums (a single buffer: the loop is synchronous). */
const blockSums = new Float64Array(9);

export function projectCentredBatch(
  features: FeatureRows,
  count: number,
  dim: number,
  centre: Float64Array,
  rows: Float64Array,
  rowCount: number,
  out: Float64Array,
): void {
  out.fill(0, 0, count * rowCount);
  if (rowCount === 0 || count === 0) return;
  const chunk = chunkLength(dim, rowCount);
  const lastSample = (count - 1) * dim;
  const lastRow = (rowCount - 1) * dim;
  for (let start = 0; start < dim; start += chunk) {
    const end = Math.min(dim, start + chunk);
    for (let i = 0; i < count; i += 3) {
      const fa = i * dim;
      const fb = Math.min(fa + dim, lastSample);
      const fc = Math.min(fa + 2 * dim, lastSample);
      for (let r = 0; r < rowCount; r += 3) {
        const o0 = r * dim;
        block3x3(features, fa, fb, fc, centre, rows, o0, Math.min(o0 + dim, lastRow), Math.min(o0 + 2 * dim, lastRow), start, end, blockSums);
        addBlockSums(out, blockSums, i, r, count, rowCount);
      }
    }
  }
}

/** The nine sums over k in [start, end) of (f[s + k] - g[k]) * rows[o + k], s in {fa, fb, fc}, o in {o0, o1, o2}. */
function block3x3(
  f: FeatureRows,
  fa: number,
  fb: number,
  fc: number,
  g: Float64Array,
  rows: Float64Array,
  o0: number,
  o1: number,
  o2: number,
  start: number,
  end: number,
  sums: Float64Array,
): void {
  let a0 = 0;
  let a1 = 0;
  let a2 = 0;
  let b0 = 0;
  let b1 = 0;
  let b2 = 0;
  let c0 = 0;
  let c1 = 0;
  let c2 = 0;
  for (let k = start; k < end; k++) {
    const gk = g[k];
    const x = f[fa + k] - gk;
    const y = f[fb + k] - gk;
    const z = f[fc + k] - gk;
    const w0 = rows[o0 + k];
    const w1 = rows[o1 + k];
    const w2 = rows[o2 + k];
    a0 += x * w0;
    b0 += y * w0;
    c0 += z * w0;
    a1 += x * w1;
    b1 += y * w1;
    c1 += z * w1;
    a2 += x * w2;
    b2 += y * w2;
    c2 += z * w2;
  }
  sums[0] = a0;
  sums[1] = a1;
  sums[2] = a2;
  sums[3] = b0;
  sums[4] = b1;
  sums[5] = b2;
  sums[6] = c0;
  sums[7] = c1;
  sums[8] = c2;
}
