/**
 * The one heavy loop of pass 2: for every sample i of a batch and every row r of a small matrix,
 *
 *     out[i * R + r] = sum_k (h_i[k] - centre_{y_i}[k]) * rows[r][k]
 *
 * i.e. the B x R product (H - M_y) A^T with A = the centred means (and classifier rows). Subtracting
 * the sample's own class mean first keeps every later formula a difference of small numbers.
 *
 * Speed: the D axis is cut into chunks whose R rows stay in L2; inside a chunk two samples are
 * differenced into float64 scratch once, then multiplied against four rows at a time, so each loaded
 * row value feeds two multiply-adds and eight independent accumulators hide the add latency.
 */

/** Target bytes of the rows' slice held in cache while a chunk is processed. */
const ROW_BLOCK_BYTES = 192 * 1024;

export function chunkLength(dim: number, rowCount: number): number {
  const fit = Math.floor(ROW_BLOCK_BYTES / 8 / Math.max(1, rowCount));
  return Math.max(64, Math.min(dim, fit - (fit % 4)));
}

export interface KernelScratch {
  first: Float64Array;
  second: Float64Array;
}

export function kernelScratch(dim: number, rowCount: number): KernelScratch {
  const length = chunkLength(dim, rowCount);
  return { first: new Float64Array(length), second: new Float64Array(length) };
}

export function projectCentredBatch(
  features: Float32Array,
  labels: Int32Array,
  count: number,
  dim: number,
  centres: Float64Array,
  rows: Float64Array,
  rowCount: number,
  out: Float64Array,
  scratch: KernelScratch,
): void {
  out.fill(0, 0, count * rowCount);
  if (rowCount === 0) return;
  const chunk = scratch.first.length;
  const a = scratch.first;
  const b = scratch.second;
  for (let start = 0; start < dim; start += chunk) {
    const len = Math.min(chunk, dim - start);
    let i = 0;
    for (; i + 1 < count; i += 2) {
      const fa = i * dim + start;
      const fb = fa + dim;
      const ca = labels[i] * dim + start;
      const cb = labels[i + 1] * dim + start;
      for (let k = 0; k < len; k++) {
        a[k] = features[fa + k] - centres[ca + k];
        b[k] = features[fb + k] - centres[cb + k];
      }
      pairTimesRows(a, b, len, rows, rowCount, dim, start, out, i * rowCount, (i + 1) * rowCount);
    }
    if (i < count) {
      const fa = i * dim + start;
      const ca = labels[i] * dim + start;
      for (let k = 0; k < len; k++) a[k] = features[fa + k] - centres[ca + k];
      singleTimesRows(a, len, rows, rowCount, dim, start, out, i * rowCount);
    }
  }
}

function pairTimesRows(
  a: Float64Array,
  b: Float64Array,
  len: number,
  rows: Float64Array,
  rowCount: number,
  dim: number,
  start: number,
  out: Float64Array,
  outA: number,
  outB: number,
): void {
  let r = 0;
  for (; r + 3 < rowCount; r += 4) {
    const o0 = r * dim + start;
    const o1 = o0 + dim;
    const o2 = o1 + dim;
    const o3 = o2 + dim;
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    let b0 = 0;
    let b1 = 0;
    let b2 = 0;
    let b3 = 0;
    for (let k = 0; k < len; k++) {
      const x = a[k];
      const y = b[k];
      const w0 = rows[o0 + k];
      const w1 = rows[o1 + k];
      const w2 = rows[o2 + k];
      const w3 = rows[o3 + k];
      a0 += x * w0;
      b0 += y * w0;
      a1 += x * w1;
      b1 += y * w1;
      a2 += x * w2;
      b2 += y * w2;
      a3 += x * w3;
      b3 += y * w3;
    }
    out[outA + r] += a0;
    out[outA + r + 1] += a1;
    out[outA + r + 2] += a2;
    out[outA + r + 3] += a3;
    out[outB + r] += b0;
    out[outB + r + 1] += b1;
    out[outB + r + 2] += b2;
    out[outB + r + 3] += b3;
  }
  for (; r < rowCount; r++) {
    const o0 = r * dim + start;
    let a0 = 0;
    let a1 = 0;
    let b0 = 0;
    let b1 = 0;
    let k = 0;
    for (; k + 1 < len; k += 2) {
      const w0 = rows[o0 + k];
      const w1 = rows[o0 + k + 1];
      a0 += a[k] * w0;
      b0 += b[k] * w0;
      a1 += a[k + 1] * w1;
      b1 += b[k + 1] * w1;
    }
    if (k < len) {
      const w0 = rows[o0 + k];
      a0 += a[k] * w0;
      b0 += b[k] * w0;
    }
    out[outA + r] += a0 + a1;
    out[outB + r] += b0 + b1;
  }
}

function singleTimesRows(
  a: Float64Array,
  len: number,
  rows: Float64Array,
  rowCount: number,
  dim: number,
  start: number,
  out: Float64Array,
  outA: number,
): void {
  for (let r = 0; r < rowCount; r++) {
    const o0 = r * dim + start;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let k = 0;
    for (; k + 3 < len; k += 4) {
      s0 += a[k] * rows[o0 + k];
      s1 += a[k + 1] * rows[o0 + k + 1];
      s2 += a[k + 2] * rows[o0 + k + 2];
      s3 += a[k + 3] * rows[o0 + k + 3];
    }
    for (; k < len; k++) s0 += a[k] * rows[o0 + k];
    out[outA + r] += s0 + s1 + s2 + s3;
  }
}
