import { test } from 'node:test';
import assert from 'node:assert/strict';
import { symmetricEigen } from '../../../src/core/metrics';
import { centredGram, eigenResiduals as residuals, jacobiEigen } from './brute-force';
import { gaussian, seededRandom } from './helpers';

function randomSymmetric(n: number, seed: number): Float64Array {
  const random = seededRandom(seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const v = gaussian(random);
      a[i * n + j] = v;
      a[j * n + i] = v;
    }
  }
  return a;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (const v of a) m = Math.max(m, Math.abs(v));
  return m;
}

/** max |A - V diag V^T| and max |V^T V - I|, both relative to max |A| (or 1). */
function checkDecomposition(a: Float64Array, n: number, label: string): { values: Float64Array } {
  const { values, vectors } = symmetricEigen(a, n);
  const scale = Math.max(maxAbs(a), 1e-300);
  let reconstruction = 0;
  let orthogonality = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let r = 0;
      let o = 0;
      for (let k = 0; k < n; k++) {
        r += vectors[i * n + k] * values[k] * vectors[j * n + k];
        o += vectors[k * n + i] * vectors[k * n + j];
      }
      reconstruction = Math.max(reconstruction, Math.abs(r - a[i * n + j]));
      orthogonality = Math.max(orthogonality, Math.abs(o - (i === j ? 1 : 0)));
    }
  }
  const tolerance = 1e-13 * Math.max(1, n);
  assert.ok(reconstruction <= tolerance * scale, `${label}: reconstruction error ${reconstruction / scale}`);
  assert.ok(orthogonality <= tolerance, `${label}: orthogonality error ${orthogonality}`);
  for (let j = 1; j < n; j++) assert.ok(values[j] <= values[j - 1], `${label}: eigenvalues not descending at ${j}`);
  return { values };
}

test('random symmetric matrices: V diag V^T reconstructs A, V is orthogonal, eigenvalues descend', () => {
  for (const [n, seed] of [
    [1, 1],
    [2, 2],
    [3, 3],
    [10, 4],
    [57, 5],
    [150, 6],
  ]) {
    checkDecomposition(randomSymmetric(n, seed), n, `n=${n}`);
  }
});

test('eigenvalues agree with an independent Jacobi solver', () => {
  const n = 40;
  const a = randomSymmetric(n, 11);
  const ours = symmetricEigen(a, n).values;
  const jacobi = jacobiEigen(a, n).values.sort((x, y) => y - x);
  for (let j = 0; j < n; j++) assert.ok(Math.abs(ours[j] - jacobi[j]) <= 1e-12 * Math.abs(jacobi[0]), `eigenvalue ${j}: ${ours[j]} vs ${jacobi[j]}`);
});

test('known spectra: diagonal, zero, identity, centring matrix, low rank, graded scales', () => {
  const diagonal = new Float64Array(16);
  [3, -1, 7, 0].forEach((v, i) => (diagonal[i * 4 + i] = v));
  assert.deepEqual(Array.from(checkDecomposition(diagonal, 4, 'diagonal').values), [7, 3, 0, -1]);

  assert.deepEqual(Array.from(checkDecomposition(new Float64Array(9), 3, 'zero').values), [0, 0, 0]);

  const identity = new Float64Array(25);
  for (let i = 0; i < 5; i++) identity[i * 5 + i] = 1;
  for (const v of checkDecomposition(identity, 5, 'identity').values) assert.equal(v, 1);

  // I - 11^T/n: eigenvalue 1 (n-1 times) and 0 once: the Gram matrix of a simplex ETF.
  const n = 9;
  const centring = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) centring[i * n + j] = (i === j ? 1 : 0) - 1 / n;
  const values = checkDecomposition(centring, n, 'centring').values;
  for (let j = 0; j < n - 1; j++) assert.ok(Math.abs(values[j] - 1) < 1e-14, `centring eigenvalue ${j} = ${values[j]}`);
  assert.ok(Math.abs(values[n - 1]) < 1e-14);

  // Rank 2 (x x^T + 2 y y^T, x and y orthogonal unit vectors): eigenvalues 2, 1, then zeros.
  const m = 12;
  const random = seededRandom(3);
  const x = Array.from({ length: m }, () => gaussian(random));
  const y = Array.from({ length: m }, () => gaussian(random));
  const xn = Math.hypot(...x);
  const unitX = x.map((v) => v / xn);
  const proj = y.reduce((s, v, i) => s + v * unitX[i], 0);
  const yPerp = y.map((v, i) => v - proj * unitX[i]);
  const yn = Math.hypot(...yPerp);
  const unitY = yPerp.map((v) => v / yn);
  const lowRank = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) lowRank[i * m + j] = unitX[i] * unitX[j] + 2 * unitY[i] * unitY[j];
  const lr = checkDecomposition(lowRank, m, 'rank 2').values;
  assert.ok(Math.abs(lr[0] - 2) < 1e-14 && Math.abs(lr[1] - 1) < 1e-14);
  for (let j = 2; j < m; j++) assert.ok(Math.abs(lr[j]) < 1e-14, `rank-2 eigenvalue ${j} = ${lr[j]}`);

  // Entries spanning 1e-150 .. 1e150 must neither overflow nor underflow.
  const graded = new Float64Array(9);
  [1e150, 1, 1e-150].forEach((v, i) => (graded[i * 3 + i] = v));
  graded[1] = graded[3] = 1e-3;
  checkDecomposition(graded, 3, 'graded');
});

// A spread spectrum is checked up to n = 150 above; at K = 1000 the clustered one is the hard case.
test('K = 1000 (ImageNet): exact on the simplex-ETF Gram (one eigenvalue 999 times)', () => {
  const n = 1000;
  // I - 11^T/K: the Gram matrix of a collapsed layer's centred class means, the hardest case for the vectors.
  const etf = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) etf[i * n + j] = (i === j ? 1 : 0) - 1 / n;
  const collapsed = symmetricEigen(etf, n);
  for (let j = 0; j < n - 1; j++) assert.ok(Math.abs(collapsed.values[j] - 1) < 1e-12, `ETF eigenvalue ${j} = ${collapsed.values[j]}`);
  assert.ok(Math.abs(collapsed.values[n - 1]) < 1e-12, `ETF null eigenvalue ${collapsed.values[n - 1]}`);
  const etfCheck = residuals(etf, n, collapsed.values, collapsed.vectors);
  assert.ok(etfCheck.residual < 1e-12 && etfCheck.orthogonality < 1e-12, `ETF Gram: ${JSON.stringify(etfCheck)}`);
});

/**
 * Q diag(spectrum) Q^T with Q orthonormal and its first column the unit ones vector (given eigenvalue 0):
 * PSD of rank K - 1 at most, with exactly the repeated and near-zero eigenvalues asked for.
 */
function prescribedSpectrum(spectrum: number[], seed: number): Float64Array {
  const K = spectrum.length + 1;
  const random = seededRandom(seed);
  const columns: Float64Array[] = [new Float64Array(K).fill(1 / Math.sqrt(K))];
  while (columns.length < K) {
    const v = Float64Array.from({ length: K }, () => gaussian(random));
    for (let pass = 0; pass < 2; pass++) {
      for (const q of columns) {
        let dot = 0;
        for (let i = 0; i < K; i++) dot += q[i] * v[i];
        for (let i = 0; i < K; i++) v[i] -= dot * q[i];
      }
    }
    const norm = Math.hypot(...v);
    columns.push(v.map((x) => x / norm));
  }
  const a = new Float64Array(K * K);
  spectrum.forEach((lambda, j) => {
    const q = columns[j + 1];
    for (let r = 0; r < K; r++) for (let c = 0; c < K; c++) a[r * K + c] += lambda * q[r] * q[c];
  });
  return a;
}

/** Two random diagonal blocks and a zero row and column: Householder steps with nothing to reduce between steps that have. */
function splitWithZeroRow(n: number, seed: number): Float64Array {
  const a = randomSymmetric(n, seed);
  const zero = Math.floor(n / 3);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i < n / 2 !== j < n / 2 || i === zero || j === zero) a[i * n + j] = 0;
    }
  }
  return a;
}

function assertExact(a: Float64Array, n: number, label: string): ReturnType<typeof symmetricEigen> {
  const eigen = symmetricEigen(a, n);
  const check = residuals(a, n, eigen.values, eigen.vectors);
  // QL's backward error is a small multiple of n eps ||A||; 1e-14 n leaves a margin of about 10x here.
  const tolerance = 1e-14 * Math.max(n, 10);
  assert.ok(check.residual < tolerance, `${label}: residual ${check.residual}`);
  assert.ok(check.orthogonality < tolerance, `${label}: orthogonality ${check.orthogonality}`);
  for (let j = 1; j < n; j++) assert.ok(eigen.values[j] <= eigen.values[j - 1], `${label}: eigenvalues not descending at ${j}`);
  return eigen;
}

test('WebAssembly SIMD and JavaScript row loops give the same numbers to the last bit', () => {
  for (const n of [1, 2, 3, 8, 9, 10, 17, 57, 100, 101, 301]) {
    for (const [kind, a] of [
      ['symmetric', randomSymmetric(n, 100 + n)],
      ['centred Gram', centredGram(n, n + 3, 200 + n)],
      ['split with a zero row', splitWithZeroRow(n, 300 + n)],
    ] as const) {
      const wasm = symmetricEigen(a, n, 'wasm-simd');
      const js = symmetricEigen(a, n, 'javascript');
      assert.deepStrictEqual(wasm.values, js.values, `n=${n} ${kind}: eigenvalues differ`);
      assert.deepStrictEqual(wasm.vectors, js.vectors, `n=${n} ${kind}: eigenvectors differ`);
    }
  }
});

test('a split matrix with a zero row is decomposed exactly by the WebAssembly loops', () => {
  for (const n of [64, 65, 130]) checkDecomposition(splitWithZeroRow(n, n), n, `split n=${n}`);
});

test('Sigma_B-like PSD matrices of rank K - 1 at K = 10 and 100: residuals, orthogonality, and Jacobi\'s eigenpairs', () => {
  for (const K of [10, 100]) {
    const a = centredGram(K, K + 5, K);
    const ours = assertExact(a, K, `centred Gram K=${K}`);
    const jacobi = jacobiEigen(a, K);
    const order = jacobi.values.map((_, j) => j).sort((x, y) => jacobi.values[y] - jacobi.values[x]);
    const largest = jacobi.values[order[0]];
    for (let j = 0; j < K; j++) {
      const ref = order[j];
      assert.ok(Math.abs(ours.values[j] - jacobi.values[ref]) <= 1e-12 * largest, `K=${K} eigenvalue ${j}: ${ours.values[j]} vs ${jacobi.values[ref]}`);
      // The eigenvalues of a random Gram are simple: each vector is unique up to sign.
      if (j === K - 1) continue;
      let dot = 0;
      for (let i = 0; i < K; i++) dot += ours.vectors[i * K + j] * jacobi.vectors[i * K + ref];
      assert.ok(Math.abs(Math.abs(dot) - 1) < 1e-9, `K=${K} eigenvector ${j}: |cos| = ${Math.abs(dot)}`);
    }
    assert.ok(Math.abs(ours.values[K - 1]) <= 1e-12 * largest, `K=${K}: the null eigenvalue is ${ours.values[K - 1]}`);
  }
});

test('repeated and near-zero eigenvalues at K = 10 and 100 come out exactly', () => {
  const small = [4, 4, 4, 1, 1, 1e-9, 1e-13, 0, 0];
  const eigen = assertExact(prescribedSpectrum(small, 7), 10, 'K=10 prescribed');
  const expected = [...small, 0].sort((x, y) => y - x);
  expected.forEach((lambda, j) => assert.ok(Math.abs(eigen.values[j] - lambda) < 1e-14 * 4, `K=10 eigenvalue ${j}: ${eigen.values[j]} vs ${lambda}`));

  const spectrum = Array.from({ length: 99 }, (_, j) => (j < 40 ? 2 : j < 60 ? 0.5 : j < 80 ? 1e-8 * (j - 59) : j < 90 ? 1e-15 : 0));
  const big = assertExact(prescribedSpectrum(spectrum, 8), 100, 'K=100 prescribed');
  const sorted = [...spectrum, 0].sort((x, y) => y - x);
  sorted.forEach((lambda, j) => assert.ok(Math.abs(big.values[j] - lambda) < 1e-13 * 2, `K=100 eigenvalue ${j}: ${big.values[j]} vs ${lambda}`));
});

test('K = 1000: a Sigma_B-like centred Gram of rank 999 is decomposed with small residuals', () => {
  const n = 1000;
  const a = centredGram(n, n + 24, 1000);
  const eigen = assertExact(a, n, 'centred Gram K=1000');
  assert.ok(Math.abs(eigen.values[n - 1]) <= 1e-12 * eigen.values[0], `null eigenvalue ${eigen.values[n - 1]}`);
  assert.ok(eigen.values[n - 2] > 1e-6 * eigen.values[0], `rank 999 expected, smallest kept eigenvalue ${eigen.values[n - 2]}`);
});

test('rejects a matrix of the wrong size or with non-finite entries', () => {
  assert.throws(() => symmetricEigen(new Float64Array(5), 2), /5 entries, expected 2 x 2/);
  const bad = new Float64Array(4);
  bad[3] = Number.NaN;
  assert.throws(() => symmetricEigen(bad, 2), /entry \(1, 1\) is not finite/);
});
