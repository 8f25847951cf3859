/**
 * Symmetric eigensolver for the small K x K matrices of the metrics (K up to ~1000): Householder
 * reduction to tridiagonal form, then the implicit QL algorithm with Wilkinson-type shifts, all in
 * float64. The textbook algorithm (Householder 1958; Bowdler, Martin, Reinsch & Wilkinson 1968), written
 * here with every inner loop running along a row of the row-major storage, and those row loops
 * (eigen-row-ops.ts) run as WebAssembly SIMD where the runtime has it, with the same numbers.
 */
import { createEigenRowOps, type EigenRowOps, type Scratch } from './eigen-row-ops';
import type { KernelChoice } from './product-kernel';

export interface SymmetricEigen {
  n: number;
  /** Eigenvalues in descending order. */
  values: Float64Array;
  /** n x n row-major; column j (entries vectors[i * n + j]) is the unit eigenvector of values[j]. */
  vectors: Float64Array;
}

const MAX_QL_ITERATIONS = 60;

/**
 * Eigendecomposition A = V diag(values) V^T of a symmetric n x n row-major matrix. Only the lower
 * triangle is read; the input is not modified. `kernel` forces the row loops' implementation for tests
 * and benchmarks ('wasm-simd' throws where it is unavailable); every choice returns the same numbers.
 */
export function symmetricEigen(matrix: Float64Array, n: number, kernel: KernelChoice = 'auto'): SymmetricEigen {
  if (!Number.isInteger(n) || n < 0) throw new Error(`symmetricEigen: size ${n} is not a non-negative integer`);
  if (matrix.length !== n * n) throw new Error(`symmetricEigen: matrix has ${matrix.length} entries, expected ${n} x ${n}`);
  for (let i = 0; i < matrix.length; i++) {
    if (!Number.isFinite(matrix[i])) throw new Error(`symmetricEigen: entry (${Math.floor(i / n)}, ${i % n}) is not finite`);
  }
  if (n === 0) return { n, values: new Float64Array(0), vectors: new Float64Array(0) };

  const ops = createEigenRowOps(matrix, n, kernel);
  const diagonal = new Float64Array(n);
  const offDiagonal = new Float64Array(n);
  tridiagonalize(ops, n, diagonal, offDiagonal);
  // QL rotates pairs of eigenvector columns; holding the vectors as rows makes each rotation contiguous.
  transposeInPlace(ops.a, n);
  tridiagonalQl(diagonal, offDiagonal, ops, n);
  return sortDescending(diagonal, ops.a, n);
}

/**
 * Householder reduction of the lower triangle of `a` to tridiagonal form. On return `a` holds the
 * orthogonal Q with Q^T A Q = T, `d` the diagonal of T and `e[i]` the sub-diagonal entry T[i][i-1]
 * (e[0] = 0).
 */
function tridiagonalize(ops: EigenRowOps, n: number, d: Float64Array, e: Float64Array): void {
  const a = ops.a;
  // Step i's update A <- A - u q^T - q u^T is applied row by row during step i-1's product A u' (each
  // row just before it is read there; rows are independent, so the order of rows does not change a
  // number): one pass over the matrix per step instead of two. `pending` is the row of the step whose
  // update is still owed to the rows below it, its q in the scratch vector `pendingQ`.
  let pending = -1;
  let pendingQ: Scratch = 'p';
  for (let i = n - 1; i > 0; i--) {
    const last = i - 1;
    const rowI = i * n;
    const owed = pending >= 0;
    const owedRow = pending * n;
    const owedQ = ops[pendingQ];
    if (owed) ops.rankTwo(pendingQ, rowI, owedRow, i + 1, a[owedRow + i], owedQ[i]);
    let h = 0;
    let scale = 0;
    if (last > 0) for (let k = 0; k <= last; k++) scale += Math.abs(a[rowI + k]);
    if (scale === 0) {
      e[i] = a[rowI + last];
      if (owed) for (let j = 0; j <= last; j++) ops.rankTwo(pendingQ, j * n, owedRow, j + 1, a[owedRow + j], owedQ[j]);
      pending = -1;
    } else {
      // Scaling the row first keeps the sum of squares from overflowing or underflowing.
      for (let k = 0; k <= last; k++) {
        a[rowI + k] /= scale;
        h += a[rowI + k] * a[rowI + k];
      }
      let f = a[rowI + last];
      let g = f >= 0 ? -Math.sqrt(h) : Math.sqrt(h);
      e[i] = scale * g;
      h -= f * g;
      a[rowI + last] = f - g;
      // p = A u / h over the leading (last+1) block, reading only its lower triangle row by row.
      const q: Scratch = pendingQ === 'p' ? 'g' : 'p';
      const p = ops[q];
      for (let j = 0; j <= last; j++) p[j] = 0;
      for (let j = 0; j <= last; j++) {
        const rowJ = j * n;
        if (owed) ops.rankTwo(pendingQ, rowJ, owedRow, j + 1, a[owedRow + j], owedQ[j]);
        const uj = a[rowI + j];
        const s = ops.dotAndAccumulate(q, rowJ, rowI, j, uj);
        p[j] += s + a[rowJ + j] * uj;
      }
      f = 0;
      for (let j = 0; j <= last; j++) {
        // u / h is kept in column i (upper triangle) for accumulating Q later.
        a[j * n + i] = a[rowI + j] / h;
        p[j] /= h;
        f += p[j] * a[rowI + j];
      }
      const hh = f / (h + h);
      for (let j = 0; j <= last; j++) {
        const uj = a[rowI + j];
        g = p[j] - hh * uj;
        p[j] = g;
      }
      // A <- A - u q^T - q u^T on the lower triangle, q = p - (u^T p / 2h) u: owed to rows 0 .. last.
      pending = i;
      pendingQ = q;
    }
    d[i] = h;
  }
  d[0] = 0;
  e[0] = 0;

  accumulateQ(ops, n, d);
}

/**
 * Q = P_1 P_2 ... in place, growing the identity block one row and column at a time: for reflector i
 * (u in row i, u/h in column i), g_j = sum_k u_k Q[k][j], then Q[k][j] -= g_j (u_k / h). Reflector i's
 * update and reflector i+1's sums read the same rows, so one pass over them does both; each sum still
 * runs over k = 0, 1, ... in order, so the numbers are those of two passes. On return d holds T's
 * diagonal again (it held each reflector's h, 0 for none).
 */
function accumulateQ(ops: EigenRowOps, n: number, d: Float64Array): void {
  const a = ops.a;
  let current: Scratch = 'g';
  let next: Scratch = 'p';
  for (let i = 0; i < n; i++) {
    const rowI = i * n;
    const rowNext = rowI + n;
    const followed = i + 1 < n && d[i + 1] !== 0;
    if (followed) ops[next].fill(0, 0, i + 1);
    if (d[i] !== 0) {
      if (followed) ops.subtractThenGather(current, next, i, i, i, n, rowNext, 1);
      else ops.subtractOuter(current, i, i, i, n);
    } else if (followed) {
      ops.gatherRows(next, i, i, rowNext, 1);
    }
    d[i] = a[rowI + i];
    a[rowI + i] = 1;
    for (let j = 0; j < i; j++) {
      a[j * n + i] = 0;
      a[rowI + j] = 0;
    }
    if (followed) {
      // The rest of reflector i+1's sums, k = 0 .. i in order: column i of the rows k < i, then row i.
      const g = ops[next];
      for (let k = 0; k < i; k++) g[i] += a[rowNext + k] * a[k * n + i];
      const ui = a[rowNext + i];
      for (let j = 0; j <= i; j++) g[j] += ui * a[rowI + j];
    }
    [current, next] = [next, current];
  }
}

/**
 * Implicit QL iterations on the tridiagonal (d, e). `z` holds the eigenvectors as ROWS and is rotated
 * along; on return d holds the eigenvalues (unsorted) and row j of z the eigenvector of d[j].
 */
function tridiagonalQl(d: Float64Array, e: Float64Array, z: EigenRowOps, n: number): void {
  // A sweep's rotations are handed to z together once the sweep has computed them all (the recurrence
  // on d and e never reads z), and z may defer them further (eigen-row-ops.ts).
  const sines = new Float64Array(n);
  const cosines = new Float64Array(n);
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  for (let l = 0; l < n; l++) {
    let iterations = 0;
    for (;;) {
      // Find the first negligible off-diagonal at or after l: the block l..m is unreduced.
      let m = l;
      for (; m < n - 1; m++) {
        const dd = Math.abs(d[m]) + Math.abs(d[m + 1]);
        if (Math.abs(e[m]) <= Number.EPSILON * dd) break;
      }
      if (m === l) break;
      if (++iterations > MAX_QL_ITERATIONS) {
        throw new Error(`symmetricEigen: QL iteration did not converge for eigenvalue ${l} of ${n}`);
      }
      // Shift from the leading 2 x 2 block's eigenvalue closer to d[l].
      let g = (d[l + 1] - d[l]) / (2 * e[l]);
      let r = Math.hypot(g, 1);
      g = d[m] - d[l] + e[l] / (g + (g >= 0 ? r : -r));
      let s = 1;
      let c = 1;
      let p = 0;
      let deflated = false;
      let rotations = 0;
      for (let i = m - 1; i >= l; i--) {
        const f = s * e[i];
        const b = c * e[i];
        r = Math.hypot(f, g);
        e[i + 1] = r;
        if (r === 0) {
          // Underflow: the matrix split; restart on the smaller block.
          d[i + 1] -= p;
          e[m] = 0;
          deflated = true;
          break;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1] - p;
        r = (d[i] - g) * s + 2 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
        sines[rotations] = s;
        cosines[rotations] = c;
        rotations++;
      }
      // Rotation t acted on rows m - 1 - t and m - t: the sweep covers rows m - rotations .. m.
      z.rotateSweep(m - rotations, rotations, sines, cosines);
      if (deflated) continue;
      d[l] -= p;
      e[l] = g;
      e[m] = 0;
    }
  }
  z.finishRotations();
}

function transposeInPlace(a: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const x = a[i * n + j];
      a[i * n + j] = a[j * n + i];
      a[j * n + i] = x;
    }
  }
}

function sortDescending(values: Float64Array, rowsOfVectors: Float64Array, n: number): SymmetricEigen {
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => values[y] - values[x] || x - y);
  const sorted = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const src = order[j];
    sorted[j] = values[src];
    const row = src * n;
    for (let i = 0; i < n; i++) vectors[i * n + j] = rowsOfVectors[row + i];
  }
  return { n, values: sorted, vectors };
}
