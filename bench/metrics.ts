/**
 * Benchmark of the metrics core: the two streaming passes against the brute-force computation of the
 * literature (a D x D Sigma_W and a D x D Sigma_B), on synthetic clustered features generated batch by
 * batch (N x D is never held).
 *
 *   node --import tsx bench/metrics.ts            full table (N = 10,000, K = 10, D = 512 .. 65,536)
 *   node --import tsx bench/metrics.ts --quick    smaller N, for a smoke run
 *   node --import tsx bench/metrics.ts --eigen    only the eigensolver table (K = 10, 100, 1000)
 *
 * Timings cover the accumulators only (feature generation is excluded). Peak memory is measured in
 * child processes (--memory-child N D) so each starts from a clean heap.
 */
import { loadavg } from 'node:os';
import { ClassStatsAccumulator, ProjectionAccumulator, type ClassStats, type KernelChoice } from '../src/core/metrics';
import type { SplitLayerMetrics } from '../src/core/result';
// The tests' own reference eigensolver (plain cyclic Jacobi, shares no code with src/core/metrics): the
// brute force below needs it only for the K x K projection of Sigma_B.
import { jacobiEigen } from '../test/unit/metrics/brute-force';
import { numberIn, runChild, sendReport } from './lib/childReport';
import { eigenTable } from './lib/eigenTable';
import { median } from './lib/table';

const K = 10;

// ---------------------------------------------------------------------------------------------
// Synthetic clustered features, reproducible per (sample, coordinate) so both passes and the brute
// force see identical data without storing it.

function hash32(x: number): number {
  let h = x >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Uniform in [-1, 1). */
function uniform(x: number): number {
  return hash32(x) / 2147483648 - 1;
}

class SyntheticFeatures {
  readonly centres: Float32Array;
  private readonly features: Float32Array;
  private readonly labels: Int32Array;

  constructor(
    readonly dim: number,
    readonly count: number,
    readonly batchSize: number,
    readonly seed = 1,
  ) {
    this.centres = new Float32Array(K * dim);
    for (let i = 0; i < K * dim; i++) this.centres[i] = 0.5 + 0.4 * uniform(i * 2 + 1 + seed * 7919);
    this.features = new Float32Array(batchSize * dim);
    this.labels = new Int32Array(batchSize);
  }

  /** Calls `use` with each batch (the buffers are reused between calls). */
  forEachBatch(use: (features: Float32Array, labels: Int32Array, firstIndex: number) => void, limit = this.count): void {
    const D = this.dim;
    // Noise grows like sqrt(D) so that the classes overlap at every width (NCC accuracy below 1).
    const spread = 0.3 * Math.sqrt(D);
    for (let first = 0; first < limit; first += this.batchSize) {
      const count = Math.min(this.batchSize, limit - first);
      for (let i = 0; i < count; i++) {
        const index = first + i;
        const y = hash32(index * 2 + this.seed) % K;
        this.labels[i] = y;
        const noiseBase = (index * 131 + this.seed) * D;
        const centre = y * D;
        for (let k = 0; k < D; k++) this.features[i * D + k] = this.centres[centre + k] + spread * uniform(noiseBase + k);
      }
      use(this.features.subarray(0, count * D), this.labels.subarray(0, count), first);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Our two passes.

interface OursResult {
  kernel: string;
  pass1: number;
  pass2: number;
  metrics: SplitLayerMetrics;
  stats: ClassStats;
}

function runOurs(data: SyntheticFeatures, limit = data.count, kernel: KernelChoice = 'auto'): OursResult {
  const acc1 = new ClassStatsAccumulator('bench', K, data.dim, { kernel });
  let pass1 = 0;
  data.forEachBatch((features, labels, firstIndex) => {
    const t = performance.now();
    acc1.add(features, labels, { firstIndex });
    pass1 += performance.now() - t;
  }, limit);
  let t = performance.now();
  const stats = acc1.finish();
  pass1 += performance.now() - t;

  let pass2 = 0;
  t = performance.now();
  const acc2 = new ProjectionAccumulator(stats, stats, { kernel });
  pass2 += performance.now() - t;
  data.forEachBatch((features, labels, firstIndex) => {
    const start = performance.now();
    acc2.add(features, labels, { firstIndex });
    pass2 += performance.now() - start;
  }, limit);
  t = performance.now();
  const metrics = acc2.finish();
  pass2 += performance.now() - t;
  return { pass1: pass1 / 1000, pass2: pass2 / 1000, metrics, stats, kernel: acc2.kernelKind };
}

// ---------------------------------------------------------------------------------------------
// Brute force, as the published code does it: Sigma_W as a D x D matrix (rank-b updates, blocked),
// Sigma_B as a D x D matrix, and its top K-1 eigenpairs by subspace iteration on the D x D matrix
// (what a sparse SVD with k = K-1 does), then NC1 = (1/K) sum_j u_j^T Sigma_W u_j / lambda_j.

interface BruteResult {
  /** Seconds of the N-proportional part (the passes over the samples). */
  streaming: number;
  /** Seconds of the N-independent part (Sigma_B, its eigenpairs, the trace). */
  fixed: number;
  nc1: number;
  nccAccuracy: number;
  cdnv: number;
  equinorm: number;
}

function runBruteForce(data: SyntheticFeatures, limit: number): BruteResult {
  const D = data.dim;
  const t0 = performance.now();
  const sums = new Float64Array(K * D);
  const counts = new Float64Array(K);
  data.forEachBatch((features, labels) => {
    for (let i = 0; i < labels.length; i++) {
      const y = labels[i];
      counts[y]++;
      for (let k = 0; k < D; k++) sums[y * D + k] += features[i * D + k];
    }
  }, limit);
  const means = sums.map((s, i) => s / counts[Math.floor(i / D)]);

  const sigmaW = new Float64Array(D * D);
  const block = 64;
  const deviations = new Float64Array(D * block);
  const variability = new Float64Array(K);
  let correct = 0;
  data.forEachBatch((features, labels) => {
    for (let start = 0; start < labels.length; start += block) {
      const b = Math.min(block, labels.length - start);
      for (let i = 0; i < b; i++) {
        const row = (start + i) * D;
        const y = labels[start + i];
        let best = 0;
        let bestDistance = Infinity;
        for (let c = 0; c < K; c++) {
          let distance = 0;
          for (let k = 0; k < D; k++) distance += (features[row + k] - means[c * D + k]) ** 2;
          if (distance < bestDistance) {
            bestDistance = distance;
            best = c;
          }
        }
        if (best === y) correct++;
        for (let k = 0; k < D; k++) {
          const d = features[row + k] - means[y * D + k];
          deviations[k * block + i] = d;
          variability[y] += d * d;
        }
      }
      // Lower triangle of Sigma_W += X X^T, X = deviations (D x b), four dot products at a time.
      for (let a = 0; a < D; a++) {
        const rowA = a * block;
        let c = 0;
        for (; c + 3 <= a; c += 4) {
          const r0 = c * block;
          let s0 = 0;
          let s1 = 0;
          let s2 = 0;
          let s3 = 0;
          for (let i = 0; i < b; i++) {
            const x = deviations[rowA + i];
            s0 += x * deviations[r0 + i];
            s1 += x * deviations[r0 + block + i];
            s2 += x * deviations[r0 + 2 * block + i];
            s3 += x * deviations[r0 + 3 * block + i];
          }
          sigmaW[a * D + c] += s0;
          sigmaW[a * D + c + 1] += s1;
          sigmaW[a * D + c + 2] += s2;
          sigmaW[a * D + c + 3] += s3;
        }
        for (; c <= a; c++) {
          let s = 0;
          for (let i = 0; i < b; i++) s += deviations[rowA + i] * deviations[c * block + i];
          sigmaW[a * D + c] += s;
        }
      }
    }
  }, limit);
  const streaming = (performance.now() - t0) / 1000;

  const t1 = performance.now();
  for (let a = 0; a < D; a++) {
    for (let c = 0; c <= a; c++) {
      const v = sigmaW[a * D + c] / limit;
      sigmaW[a * D + c] = v;
      sigmaW[c * D + a] = v;
    }
  }
  const muG = new Float64Array(D);
  for (let c = 0; c < K; c++) for (let k = 0; k < D; k++) muG[k] += means[c * D + k] / K;
  const centred = means.map((v, i) => v - muG[i % D]);
  const sigmaB = new Float64Array(D * D);
  for (let c = 0; c < K; c++) {
    for (let a = 0; a < D; a++) {
      const x = centred[c * D + a] / K;
      for (let b = 0; b < D; b++) sigmaB[a * D + b] += x * centred[c * D + b];
    }
  }
  const { vectors, values } = topEigenpairs(sigmaB, D, K);
  const largest = Math.max(...values);
  let nc1 = 0;
  const product = new Float64Array(D);
  for (let j = 0; j < values.length; j++) {
    if (!(values[j] > 1e-10 * largest)) continue;
    const u = vectors[j];
    product.fill(0);
    for (let a = 0; a < D; a++) {
      let s = 0;
      for (let b = 0; b < D; b++) s += sigmaW[a * D + b] * u[b];
      product[a] = s;
    }
    let quadratic = 0;
    for (let a = 0; a < D; a++) quadratic += u[a] * product[a];
    nc1 += quadratic / values[j];
  }
  nc1 /= K;
  const fixed = (performance.now() - t1) / 1000;

  const vars = Array.from(variability, (v, c) => v / counts[c]);
  let cdnvSum = 0;
  for (let c = 0; c < K; c++) {
    for (let c2 = c + 1; c2 < K; c2++) {
      let distance = 0;
      for (let k = 0; k < D; k++) distance += (means[c * D + k] - means[c2 * D + k]) ** 2;
      cdnvSum += (vars[c] + vars[c2]) / (2 * distance);
    }
  }
  const norms = Array.from({ length: K }, (_, c) => Math.hypot(...centred.subarray(c * D, (c + 1) * D)));
  const normMean = norms.reduce((a, b) => a + b, 0) / K;
  const normStd = Math.sqrt(norms.reduce((a, b) => a + (b - normMean) ** 2, 0) / K);
  return {
    streaming,
    fixed,
    nc1,
    nccAccuracy: correct / limit,
    cdnv: cdnvSum / ((K * (K - 1)) / 2),
    equinorm: normStd / normMean,
  };
}

/** Top `count - 1` eigenpairs of a symmetric D x D matrix of rank <= count - 1, by subspace iteration. */
function topEigenpairs(matrix: Float64Array, D: number, count: number): { values: number[]; vectors: Float64Array[] } {
  let basis: Float64Array[] = Array.from({ length: count }, (_, j) => Float64Array.from({ length: D }, (_, a) => uniform(a * 31 + j * 7 + 3)));
  for (let iteration = 0; iteration < 3; iteration++) {
    basis = orthonormalise(basis.map((q) => multiply(matrix, q, D)));
  }
  const images = basis.map((q) => multiply(matrix, q, D));
  const small = new Float64Array(count * count);
  for (let i = 0; i < count; i++) for (let j = 0; j < count; j++) small[i * count + j] = dot(basis[i], images[j]);
  const { values, vectors } = jacobiEigen(small, count);
  const order = values.map((_, j) => j).sort((x, y) => values[y] - values[x]).slice(0, count - 1);
  return {
    values: order.map((j) => values[j]),
    vectors: order.map((j) => {
      const u = new Float64Array(D);
      for (let i = 0; i < count; i++) for (let a = 0; a < D; a++) u[a] += basis[i][a] * vectors[i * count + j];
      return u;
    }),
  };
}

function multiply(matrix: Float64Array, v: Float64Array, D: number): Float64Array {
  const out = new Float64Array(D);
  for (let a = 0; a < D; a++) {
    let s = 0;
    for (let b = 0; b < D; b++) s += matrix[a * D + b] * v[b];
    out[a] = s;
  }
  return out;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function orthonormalise(vectors: Float64Array[]): Float64Array[] {
  const out: Float64Array[] = [];
  for (const v of vectors) {
    const w = v.slice();
    for (let pass = 0; pass < 2; pass++) {
      for (const q of out) {
        const p = dot(w, q);
        for (let i = 0; i < w.length; i++) w[i] -= p * q[i];
      }
    }
    const n = Math.sqrt(dot(w, w));
    out.push(n > 0 ? w.map((x) => x / n) : w);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Machine reference rate, memory children, eigensolver.

/** GFLOP/s of `acc += a[k] * b[k]` over two 4096-long Float64Arrays (L1-resident), best of 5. */
function plainLoopRate(): number {
  const a = Float64Array.from({ length: 4096 }, (_, i) => uniform(i));
  const b = Float64Array.from({ length: 4096 }, (_, i) => uniform(i + 99991));
  let best = 0;
  let sink = 0;
  for (let round = 0; round < 6; round++) {
    const repeats = 20000;
    const t = performance.now();
    for (let r = 0; r < repeats; r++) {
      let acc = 0;
      for (let k = 0; k < 4096; k++) acc += a[k] * b[k];
      sink += acc;
    }
    const seconds = (performance.now() - t) / 1000;
    if (round > 0) best = Math.max(best, (2 * 4096 * repeats) / seconds / 1e9);
  }
  if (sink === 42) console.log('');
  return best;
}

function memoryChild(N: number, D: number): void {
  const data = new SyntheticFeatures(D, N, 256);
  runOurs(data);
  sendReport({});
}

/** Median over three child processes (a single run wanders by a few MB with garbage-collection timing). */
function peakRss(N: number, D: number): number {
  const runs = Array.from({ length: 3 }, () => numberIn(runChild(process.argv[1], ['--memory-child', String(N), String(D)]), 'maxRssMiB'));
  return median(runs);
}

// ---------------------------------------------------------------------------------------------

function relativeDifference(a: number | null, b: number): number {
  if (a === null) return Infinity;
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : ' '.repeat(n - s.length) + s;
}

function main(): void {
  const args = process.argv.slice(2);
  if (args[0] === '--memory-child') {
    memoryChild(Number(args[1]), Number(args[2]));
    return;
  }
  const quick = args.includes('--quick');
  if (args.includes('--eigen')) {
    eigenTable(quick);
    return;
  }
  const N = quick ? 2000 : 10000;
  const dims = quick ? [512, 2048, 8192] : [512, 2048, 8192, 65536];
  console.log(`Collapse Lens metrics benchmark: N = ${N}, K = ${K}, node ${process.version}, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  runOurs(new SyntheticFeatures(256, 2000, 256)); // warm the JIT before timing
  const plain = plainLoopRate();
  console.log(`plain Float64Array multiply-add loop (acc += a[k] * b[k], L1-resident): ${plain.toFixed(2)} GFLOP/s`);
  console.log('');
  const header = ['D', 'batch', 'pass 1 s', 'pass 2 s', 'total s', 'pass-2 GFLOP/s', 'brute force s', 'speed-up', 'NC1', 'max rel. diff', 'NCC acc'];
  const widths = [6, 6, 9, 9, 8, 15, 22, 9, 12, 14, 8];
  console.log(header.map((h, i) => pad(h, widths[i])).join(' '));
  const notes: string[] = [];
  const summary: Record<number, { total: number; speedUp: number | null; diff: number | null }> = {};
  let kernelUsed = '';
  for (const D of dims) {
    const batch = D >= 65536 ? 64 : 256;
    const data = new SyntheticFeatures(D, N, batch);
    const ours = runOurs(data);
    kernelUsed = ours.kernel;
    const total = ours.pass1 + ours.pass2;
    const flops = 2 * N * D * (K - 1);
    let bruteCell = 'n/a (D x D too big)';
    let speedCell = '';
    let diffCell = '';
    let speedUp: number | null = null;
    let diff: number | null = null;
    if (D <= 2048) {
      const subset = D <= 512 || quick ? N : Math.min(N, 1000);
      const brute = runBruteForce(data, subset);
      const bruteSeconds = brute.streaming * (N / subset) + brute.fixed;
      // Compare numbers on the same samples the brute force saw.
      const same = subset === N ? ours : runOurs(data, subset);
      diff = Math.max(
        relativeDifference(same.metrics.nc1, brute.nc1),
        relativeDifference(same.metrics.cdnv, brute.cdnv),
        relativeDifference(same.metrics.equinorm, brute.equinorm),
        relativeDifference(same.metrics.nccAccuracy, brute.nccAccuracy),
      );
      speedUp = bruteSeconds / total;
      bruteCell = subset === N ? bruteSeconds.toFixed(2) : `${bruteSeconds.toFixed(1)} (N=${subset} x${N / subset})`;
      speedCell = `${speedUp.toFixed(0)}x`;
      diffCell = diff.toExponential(1);
      if (subset !== N) {
        notes.push(
          `D = ${D}: brute force timed on the first ${subset} samples (${brute.streaming.toFixed(2)} s streaming, scaled x${N / subset}, + ${brute.fixed.toFixed(2)} s for Sigma_B, its eigenpairs and the trace); numbers compared on those ${subset} samples.`,
        );
      }
    }
    summary[D] = { total, speedUp, diff };
    const cells = [
      String(D),
      String(batch),
      ours.pass1.toFixed(3),
      ours.pass2.toFixed(3),
      total.toFixed(2),
      (flops / ours.pass2 / 1e9).toFixed(2),
      bruteCell,
      speedCell,
      (ours.metrics.nc1 ?? NaN).toPrecision(6),
      diffCell,
      (ours.metrics.nccAccuracy ?? NaN).toFixed(4),
    ];
    console.log(cells.map((c, i) => pad(c, widths[i])).join(' '));
  }
  // The plain-JavaScript kernels, for runtimes without WebAssembly SIMD.
  {
    const D = 8192;
    const js = runOurs(new SyntheticFeatures(D, N, 256), N, 'javascript');
    const total = js.pass1 + js.pass2;
    const cells = [`${D} js`, '256', js.pass1.toFixed(3), js.pass2.toFixed(3), total.toFixed(2), ((2 * N * D * (K - 1)) / js.pass2 / 1e9).toFixed(2), '', '', (js.metrics.nc1 ?? NaN).toPrecision(6), '', (js.metrics.nccAccuracy ?? NaN).toFixed(4)];
    console.log(cells.map((c, i) => pad(c, widths[i])).join(' '));
    notes.push(`rows without "js" ran the ${kernelUsed} kernels; "${D} js" forces the plain-JavaScript fallback.`);
  }
  for (const note of notes) console.log(`note: ${note}`);
  console.log('pass-2 GFLOP/s counts 2 N D (K-1) flops: the B x (K-1) products against the centred means.');

  const memoryD = 2048;
  const rssN = peakRss(N, memoryD);
  const rss2N = peakRss(2 * N, memoryD);
  const rssChange = (rss2N - rssN) / rssN;
  console.log('');
  console.log(
    `peak RSS (median of 3 child processes each, D = ${memoryD}, batch 256): N = ${N}: ${rssN.toFixed(1)} MB, N = ${2 * N}: ${rss2N.toFixed(1)} MB, change ${(rssChange * 100).toFixed(1)}%`,
  );
  eigenTable(quick);

  console.log('');
  const at2048 = summary[2048];
  const at65536 = summary[65536];
  console.log(`goal >= 50x faster than brute force at D = 2048 with identical numbers: ${at2048?.speedUp?.toFixed(0) ?? '?'}x, max rel. diff ${at2048?.diff?.toExponential(1) ?? '?'}`);
  if (at65536) console.log(`goal D = 65536 in < 10 s: ${at65536.total.toFixed(2)} s`);
  console.log(`goal peak memory independent of N (< 10% from N to 2N): ${(rssChange * 100).toFixed(1)}%`);
}

main();
