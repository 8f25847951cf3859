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
 * (the subtraction happens in registers; a float64 scratch copy measured slower).
 */

/** Target bytes of the rows' slice held in cache while a chunk is processed. */
const ROW_BLOCK_BYTES = 160 * 1024;
const MAX_CHUNK = 1024;

export function chunkLength(dim: number, rowCount: number): number {
  const fit = Math.floor(ROW_BLOCK_BYTES / 8 / Math.max(1, rowCount));
  return Math.max(64, Math.min(dim, MAX_CHUNK, fit - (fit % 4)));
}

export function projectCentredBatch(
  features: Float32Array,
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
  for (let start = 0; start < dim; start += chunk) {
    const end = Math.min(dim, start + chunk);
    let i = 0;
    for (; i + 2 < count; i += 3) {
      let r = 0;
      for (; r + 2 < rowCount; r += 3) threeByThree(features, i, dim, centre, rows, r, start, end, out, rowCount);
      for (; r < rowCount; r++) threeByOne(features, i, dim, centre, rows, r, start, end, out, rowCount);
    }
    for (; i < count; i++) {
      let r = 0;
      for (; r + 2 < rowCount; r += 3) oneByThree(features, i, dim, centre, rows, r, start, end, out, rowCount);
      for (; r < rowCount; r++) oneByOne(features, i, dim, centre, rows, r, start, end, out, rowCount);
    }
  }
}

function threeByThree(
  f: Float32Array,
  i: number,
  dim: number,
  g: Float64Array,
  rows: Float64Array,
  r: number,
  start: number,
  end: number,
  out: Float64Array,
  rowCount: number,
): void {
  const fa = i * dim;
  const fb = fa + dim;
  const fc = fb + dim;
  const o0 = r * dim;
  const o1 = o0 + dim;
  const o2 = o1 + dim;
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
  const oa = i * rowCount + r;
  const ob = oa + rowCount;
  const oc = ob + rowCount;
  out[oa] += a0;
  out[oa + 1] += a1;
  out[oa + 2] += a2;
  out[ob] += b0;
  out[ob + 1] += b1;
  out[ob + 2] += b2;
  out[oc] += c0;
  out[oc + 1] += c1;
  out[oc + 2] += c2;
}

function threeByOne(
  f: Float32Array,
  i: number,
  dim: number,
  g: Float64Array,
  rows: Float64Array,
  r: number,
  start: number,
  end: number,
  out: Float64Array,
  rowCount: number,
): void {
  const fa = i * dim;
  const fb = fa + dim;
  const fc = fb + dim;
  const o0 = r * dim;
  let a0 = 0;
  let b0 = 0;
  let c0 = 0;
  for (let k = start; k < end; k++) {
    const gk = g[k];
    const w0 = rows[o0 + k];
    a0 += (f[fa + k] - gk) * w0;
    b0 += (f[fb + k] - gk) * w0;
    c0 += (f[fc + k] - gk) * w0;
  }
  out[i * rowCount + r] += a0;
  out[(i + 1) * rowCount + r] += b0;
  out[(i + 2) * rowCount + r] += c0;
}

function oneByThree(
  f: Float32Array,
  i: number,
  dim: number,
  g: Float64Array,
  rows: Float64Array,
  r: number,
  start: number,
  end: number,
  out: Float64Array,
  rowCount: number,
): void {
  const fa = i * dim;
  const o0 = r * dim;
  const o1 = o0 + dim;
  const o2 = o1 + dim;
  let a0 = 0;
  let a1 = 0;
  let a2 = 0;
  for (let k = start; k < end; k++) {
    const x = f[fa + k] - g[k];
    a0 += x * rows[o0 + k];
    a1 += x * rows[o1 + k];
    a2 += x * rows[o2 + k];
  }
  const oa = i * rowCount + r;
  out[oa] += a0;
  out[oa + 1] += a1;
  out[oa + 2] += a2;
}

function oneByOne(
  f: Float32Array,
  i: number,
  dim: number,
  g: Float64Array,
  rows: Float64Array,
  r: number,
  start: number,
  end: number,
  out: Float64Array,
  rowCount: number,
): void {
  const fa = i * dim;
  const o0 = r * dim;
  let a0 = 0;
  let a1 = 0;
  let k = start;
  for (; k + 1 < end; k += 2) {
    a0 += (f[fa + k] - g[k]) * rows[o0 + k];
    a1 += (f[fa + k + 1] - g[k + 1]) * rows[o0 + k + 1];
  }
  if (k < end) a0 += (f[fa + k] - g[k]) * rows[o0 + k];
  out[i * rowCount + r] += a0 + a1;
}
