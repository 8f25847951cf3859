/**
 * Pass 2 over one layer's features of one split. Everything comes from one B x R product per batch
 * (projection-kernel.ts) of the samples' offsets e_i = h_i - g from a centre g (the split's mu_G) with:
 *   - the own split's centred means m_0..m_{K-2} (m_{K-1} = -sum of the others, since mu_G is their
 *     unweighted mean), giving z'_i = M~^T e_i;
 *   - the reference (training) split's centred means when the split is not the reference itself;
 *   - the classifier rows w_c, when a classifier is given and a batch comes without logits.
 * NC1:      M~^T (h_i - mu_y) = z'_i - G e_y, so with G = V diag(lambda) V^T,
 *           NC1 = sum_j (1/N) sum_i (v_j^T z'_i / lambda_j - v_j[y_i])^2;
 * NCC:      argmin_c ||h_i - mu^ref_c||^2 = argmin_c ( ||mu^ref_c - g||^2 - 2 (M~_ref^T e_i)_c ), the terms
 *           dropped being the same for every c;
 * NC4:      logits = W e_i + (W g + b);
 * 2-D view: coordinates u_j^T (h_i - mu_G) = v_j^T z'_i / s_j.
 * Nothing of size D x D or N x D exists; memory is O((K + rows) * D) plus one batch of products.
 */
import type { MatrixCells, SplitLayerMetrics } from '../result';
import { concatArrays } from '../concatArrays';
import { allFinite, checkBatch, checkBatchLabels, NonFiniteReduction, sampleIndexer, throwFirstNonFinite, type BatchOptions, type FeatureRows } from './batch-input';
import type { ClassStats } from './class-stats';
import { PointSample, sampleKey, type KeptPoints } from './point-sample';
import { argmaxOfRow, argmaxShifted, classifierOffsets, fillCentredProducts, meanOfPresentMeans, referenceProblem, squaredDistancesTo } from './projection-helpers';
import { createProductKernel, type KernelChoice, type ProductKernel } from './product-kernel';

export interface LinearClassifier {
  /** K x D row-major (row c = w_c). */
  W: Float64Array;
  /** K biases. */
  b: Float64Array;
  /** No bias term (b is zeros): the classifier's geometry then reports its bias spread as null. */
  biasless?: boolean;
}

export interface ProjectionOptions {
  /** The network's last linear layer, when this layer feeds it: lets NC4 run without passed logits. */
  classifier?: LinearClassifier | null;
  /** Points kept per class for the 2-D view (default: 30, fewer when K > 100 to stay near 3000 in all). */
  pointsPerClass?: number;
  /** The product kernel: WebAssembly SIMD where available (default), or plain JavaScript. */
  kernel?: KernelChoice;
}

export interface PassTwoBatchOptions extends BatchOptions {
  /** The network's logits for this batch (count x K row-major): NC4 and accuracy use them as they are. */
  logits?: FeatureRows;
}

/** The network's own accuracy on the split, and NC4 at this layer (fraction of NCC disagreement). */
export interface NetworkMetrics {
  /** Samples whose logits were seen (passed, or computed from the classifier). */
  samples: number;
  accuracy: number | null;
  nc4: number | null;
  unavailable: Record<string, string>;
}

/** Everything pass 2 sums over samples: what a shard of the data contributes, merged by mergeTotals. */
export interface ProjectionTotals {
  samples: number;
  /** Per kept eigen-direction j: sum over samples of the j-th NC1 term. */
  nc1Sums: Float64Array;
  nccCorrect: number;
  logitSamples: number;
  networkCorrect: number;
  disagreements: number;
  points: KeptPoints;
}

const SPLIT_METRIC_KEYS = [
  'nc1',
  'nc1Rank',
  'equinorm',
  'equiangularity',
  'maxAngle',
  'etfDistance',
  'cdnv',
  'cdnvMatrix',
  'meanCosines',
  'meanNorms',
  'projection',
  'classVariability',
] as const;

/** A split's metrics as computed: matrices as rows (the engine packs large ones into the result, packResultMatrices.ts). */
export type ComputedSplitMetrics = SplitLayerMetrics & { cdnvMatrix: MatrixCells | null; meanCosines: MatrixCells | null };

export class ProjectionAccumulator {
  readonly numClasses: number;
  readonly dim: number;
  private readonly sameReference: boolean;
  /** Why NC1 and the projection are unavailable (null when they are computed). */
  private readonly ownProblem: string | null;
  /** Why NCC (and so NC4) is unavailable (null when computed). */
  private readonly referenceProblem: string | null;
  private readonly rows: Float64Array;
  private readonly ownRowCount: number;
  private readonly refRowStart: number;
  private readonly refRowCount: number;
  private readonly classifierRowStart: number;
  private readonly classifierRowCount: number;
  private readonly rank: number;
  /** Row j: v_j / lambda_j (r x K), so (row . z' - v_j[y])^2 is the j-th NC1 term of one sample. */
  private readonly nc1Directions: Float64Array;
  /** Rows v_j / s_j for the two plotted directions (2 x K), and s_j. */
  private readonly planeDirections: Float64Array;
  private readonly planeScales: Float64Array;
  /** The centre g subtracted from every sample: mu_G of this split (of its present classes if incomplete). */
  private readonly centre: Float64Array;
  /** ||mu^ref_c - g||^2 (K). */
  private readonly centreGaps: Float64Array;
  /** W g + b (K), so logits = W (h - g) + this. */
  private readonly classifierOffsets: Float64Array | null;
  private readonly kernel: ProductKernel;
  /** The JavaScript kernel for float64 batches when `kernel` is the float32-only WebAssembly one. */
  private float64Kernel: ProductKernel | null = null;
  private products = new Float64Array(0);
  private readonly zOwn: Float64Array;
  private readonly zRef: Float64Array;
  private readonly batchNc1: Float64Array;

  private nextIndex = 0;
  private samples = 0;
  private readonly nc1Sums: Float64Array;
  private nccCorrect = 0;
  private logitSamples = 0;
  private networkCorrect = 0;
  private disagreements = 0;
  private readonly pointSample: PointSample;

  constructor(
    readonly own: ClassStats,
    readonly reference: ClassStats,
    options: ProjectionOptions = {},
  ) {
    const K = own.numClasses;
    const D = own.dim;
    this.numClasses = K;
    this.dim = D;
    if (reference.numClasses !== K || reference.dim !== D) {
      throw new Error(
        `layer "${own.layer}": the reference statistics ("${reference.layer}", K=${reference.numClasses}, D=${reference.dim}) do not match this split's (K=${K}, D=${D})`,
      );
    }
    const classifier = options.classifier ?? null;
    if (classifier !== null && (classifier.W.length !== K * D || classifier.b.length !== K)) {
      throw new Error(
        `layer "${own.layer}": classifier has W of ${classifier.W.length} and b of ${classifier.b.length} values; expected ${K} x ${D} and ${K}`,
      );
    }
    this.sameReference = own === reference;
    this.ownProblem = own.centredMeans === null || own.eigen === null || !own.rank ? (own.unavailable.nc1 ?? 'class means unavailable') : null;
    this.referenceProblem = referenceProblem(reference);

    this.ownRowCount = this.ownProblem === null || (this.sameReference && this.referenceProblem === null) ? K - 1 : 0;
    this.refRowStart = this.ownRowCount;
    this.refRowCount = !this.sameReference && this.referenceProblem === null ? K - 1 : 0;
    this.classifierRowStart = this.refRowStart + this.refRowCount;
    this.classifierRowCount = classifier !== null ? K : 0;
    this.rows = this.assembleRows(classifier);
    this.centre = own.globalMean ?? meanOfPresentMeans(own);
    this.kernel = createProductKernel(this.rows, this.ownRowCount + this.refRowCount + this.classifierRowCount, this.centre, D, options.kernel);

    this.rank = this.ownProblem === null ? (own.rank as number) : 0;
    this.nc1Directions = new Float64Array(this.rank * K);
    this.planeDirections = new Float64Array(2 * K);
    this.planeScales = new Float64Array(2);
    if (this.ownProblem === null) this.prepareSpectrum();
    this.centreGaps = this.referenceProblem === null ? squaredDistancesTo(reference.means, this.centre, K, D) : new Float64Array(0);
    this.classifierOffsets = classifier !== null ? classifierOffsets(classifier, this.centre, K, D) : null;

    this.zOwn = new Float64Array(K);
    this.zRef = new Float64Array(K);
    this.batchNc1 = new Float64Array(this.rank);
    this.nc1Sums = new Float64Array(this.rank);
    const perClass = options.pointsPerClass ?? Math.min(30, Math.max(1, Math.floor(3000 / K)));
    this.pointSample = new PointSample(K, perClass);
  }

  get sampleCount(): number {
    return this.samples;
  }

  /** Which product kernel runs: 'wasm-simd' or 'javascript'. */
  get kernelKind(): ProductKernel['kind'] {
    return this.kernel.kind;
  }

  /** Adds one batch (count x D features, count labels); pass the network's logits for NC4 when known. */
  add(features: FeatureRows, labels: Int32Array, options?: PassTwoBatchOptions): void {
    const { dim: D, own } = this;
    const indexOf = sampleIndexer(options, this.nextIndex);
    const count = checkBatch(own.layer, features, labels, this.numClasses, D, indexOf);
    if (count === 0) return;
    const used = this.checkPassTwoBatch(labels, indexOf, options);
    if (this.products.length < count * used) this.products = new Float64Array(count * used);
    const out = this.products;
    this.kernelFor(features).project(features, count, used, out);
    // Projections only (no stride gaps): the kernel packs `used` values per sample.
    let check = 0;
    for (let i = 0; i < count * used; i++) check += out[i];
    if (!Number.isFinite(check)) throwFirstNonFinite(own.layer, features, count, D, indexOf);
    this.addProductRows(out, used, labels, indexOf, options?.logits);
  }

  /**
   * The centre g and the rows (rowCount x D) of the one product pass 2 needs: whoever computes
   * (h_i - g) . row_r for every sample elsewhere (onnxruntime, engine/backends/onnxReductionGraph.ts)
   * hands the results to addProducts().
   */
  productRows(): { centre: Float64Array; rows: Float64Array; rowCount: number } {
    return { centre: this.centre, rows: this.rows, rowCount: this.ownRowCount + this.refRowCount + this.classifierRowCount };
  }

  /**
   * Adds one batch whose products were computed by the runtime: `products` is count x productRows().rowCount
   * row-major, out[i][r] = (h_i - g) . row_r. Everything after the products is add()'s code. A non-finite
   * product throws NonFiniteReduction: the caller fetches the batch's features to name the sample.
   */
  addProducts(products: Float64Array, labels: Int32Array, options?: PassTwoBatchOptions): void {
    const indexOf = sampleIndexer(options, this.nextIndex);
    const count = labels.length;
    const stride = this.ownRowCount + this.refRowCount + this.classifierRowCount;
    if (products.length !== count * stride) {
      throw new Error(`layer "${this.own.layer}": in-graph pass 2 gave ${products.length} products for ${count} samples; expected ${count} x ${stride}`);
    }
    checkBatchLabels(this.own.layer, labels, this.numClasses, indexOf);
    if (count === 0) return;
    this.checkPassTwoBatch(labels, indexOf, options);
    if (!allFinite(products)) throw new NonFiniteReduction(this.own.layer);
    this.addProductRows(products, stride, labels, indexOf, options?.logits);
  }

  /** Checks a batch's classes and logits; returns how many product rows it needs (no classifier rows when logits come). */
  private checkPassTwoBatch(labels: Int32Array, indexOf: (i: number) => number, options: PassTwoBatchOptions | undefined): number {
    const { numClasses: K, own } = this;
    const count = labels.length;
    for (let i = 0; i < count; i++) {
      if (own.counts[labels[i]] === 0) {
        throw new Error(
          `layer "${own.layer}": sample ${indexOf(i)} has label ${labels[i]}, a class pass 1 never saw on this split (both passes must read the same samples)`,
        );
      }
    }
    const logits = options?.logits;
    if (logits !== undefined && logits.length !== count * K) {
      throw new Error(`layer "${own.layer}": logits have ${logits.length} values for ${count} samples; expected ${count} x ${K}`);
    }
    return logits !== undefined ? this.classifierRowStart : this.ownRowCount + this.refRowCount + this.classifierRowCount;
  }

  /** The metrics' part of a batch, from its products (`stride` per sample). */
  private addProductRows(products: Float64Array, stride: number, labels: Int32Array, indexOf: (i: number) => number, logits: FeatureRows | undefined): void {
    const count = labels.length;
    this.batchNc1.fill(0);
    for (let i = 0; i < count; i++) this.addSample(products, i * stride, labels[i], indexOf(i), logits, i);
    for (let j = 0; j < this.rank; j++) this.nc1Sums[j] += this.batchNc1[j];
    this.samples += count;
    this.nextIndex = indexOf(count - 1) + 1;
  }

  private kernelFor(features: FeatureRows): ProductKernel {
    if (features instanceof Float32Array || this.kernel.kind === 'javascript') return this.kernel;
    this.float64Kernel ??= createProductKernel(this.rows, this.ownRowCount + this.refRowCount + this.classifierRowCount, this.centre, this.dim, 'javascript');
    return this.float64Kernel;
  }

  /** Adds another shard's pass-2 totals; both must have been built on the same ClassStats objects. */
  merge(other: ProjectionAccumulator): void {
    if (other.own !== this.own || other.reference !== this.reference || other.classifierRowCount !== this.classifierRowCount) {
      throw new Error(`layer "${this.own.layer}": cannot merge pass-2 totals built on different class statistics or classifier`);
    }
    this.mergeTotals(other.totals());
  }

  /**
   * The same merge from totals alone (a shard file's). The caller vouches that they were reduced against
   * the same class statistics: a shard file names the merged means it used, and the merge checks it.
   */
  mergeTotals(other: ProjectionTotals): void {
    if (other.nc1Sums.length !== this.rank) {
      throw new Error(`layer "${this.own.layer}": pass-2 totals of rank ${other.nc1Sums.length} do not fit class statistics of rank ${this.rank}`);
    }
    this.samples += other.samples;
    for (let j = 0; j < this.rank; j++) this.nc1Sums[j] += other.nc1Sums[j];
    this.nccCorrect += other.nccCorrect;
    this.logitSamples += other.logitSamples;
    this.networkCorrect += other.networkCorrect;
    this.disagreements += other.disagreements;
    this.pointSample.mergeKept(other.points);
  }

  /** The running totals (views, not copies). */
  totals(): ProjectionTotals {
    const { samples, nc1Sums, nccCorrect, logitSamples, networkCorrect, disagreements } = this;
    return { samples, nc1Sums, nccCorrect, logitSamples, networkCorrect, disagreements, points: this.pointSample.kept() };
  }

  finish(): ComputedSplitMetrics {
    this.checkSameSamples();
    const { own } = this;
    const unavailable: Record<string, string> = {};
    for (const key of SPLIT_METRIC_KEYS) if (own.unavailable[key] !== undefined) unavailable[key] = own.unavailable[key];
    const N = this.samples;
    let nc1: number | null = null;
    if (this.ownProblem !== null) unavailable.nc1 = this.ownProblem;
    else if (N === 0) unavailable.nc1 = 'no samples';
    else {
      let sum = 0;
      for (let j = 0; j < this.rank; j++) sum += this.nc1Sums[j];
      nc1 = sum / N;
    }
    let nccAccuracy: number | null = null;
    if (this.referenceProblem !== null) unavailable.nccAccuracy = this.referenceProblem;
    else if (N === 0) unavailable.nccAccuracy = 'no samples';
    else nccAccuracy = this.nccCorrect / N;

    const metrics: ComputedSplitMetrics = {
      nc1,
      nc1Rank: own.rank,
      equinorm: own.nc2.equinorm,
      equiangularity: own.nc2.equiangularity,
      maxAngle: own.nc2.maxAngle,
      etfDistance: own.nc2.etfDistance,
      cdnv: own.cdnv,
      nccAccuracy,
      cdnvMatrix: own.cdnvMatrix,
      classVariability: own.variability,
      meanCosines: own.nc2.cosines,
      meanNorms: own.nc2.norms,
      projection: this.ownProblem === null ? this.projection() : null,
    };
    if (Object.keys(unavailable).length > 0) metrics.unavailable = unavailable;
    return metrics;
  }

  finishNetwork(): NetworkMetrics {
    this.checkSameSamples();
    const unavailable: Record<string, string> = {};
    const result: NetworkMetrics = { samples: this.logitSamples, accuracy: null, nc4: null, unavailable };
    if (this.logitSamples === 0) {
      const reason = 'no logits: pass them with each batch, or give the classifier';
      unavailable.accuracy = reason;
      unavailable.nc4 = reason;
      return result;
    }
    if (this.logitSamples !== this.samples) {
      const reason = `logits were given for ${this.logitSamples} of ${this.samples} samples`;
      unavailable.accuracy = reason;
      unavailable.nc4 = reason;
      return result;
    }
    result.accuracy = this.networkCorrect / this.logitSamples;
    if (this.referenceProblem !== null) unavailable.nc4 = this.referenceProblem;
    else result.nc4 = this.disagreements / this.logitSamples;
    return result;
  }

  private addSample(out: Float64Array, base: number, y: number, index: number, logits: FeatureRows | undefined, i: number): void {
    const K = this.numClasses;
    if (this.ownRowCount > 0) fillCentredProducts(out, base, this.zOwn, K);
    if (this.ownProblem === null) {
      const z = this.zOwn;
      const dirs = this.nc1Directions;
      const vectors = (this.own.eigen as { vectors: Float64Array }).vectors;
      for (let j = 0; j < this.rank; j++) {
        const row = j * K;
        let a = -vectors[y * K + j];
        for (let c = 0; c < K; c++) a += dirs[row + c] * z[c];
        this.batchNc1[j] += a * a;
      }
      const key = sampleKey(index);
      if (this.pointSample.wants(y, key)) {
        this.pointSample.offer(y, key, this.planeCoordinate(0), this.planeCoordinate(1));
      }
    }
    let nearest = -1;
    if (this.referenceProblem === null) {
      let zRef = this.zOwn;
      if (!this.sameReference) {
        zRef = this.zRef;
        fillCentredProducts(out, base + this.refRowStart, zRef, K);
      }
      const gaps = this.centreGaps;
      let best = Infinity;
      for (let c = 0; c < K; c++) {
        const score = gaps[c] - 2 * zRef[c];
        if (score < best) {
          best = score;
          nearest = c;
        }
      }
      if (nearest === y) this.nccCorrect++;
    }
    let predicted = -1;
    if (logits !== undefined) predicted = argmaxOfRow(logits, i * K, K);
    else if (this.classifierOffsets !== null) predicted = argmaxShifted(out, base + this.classifierRowStart, this.classifierOffsets, K);
    if (predicted >= 0) {
      this.logitSamples++;
      if (predicted === y) this.networkCorrect++;
      if (nearest >= 0 && predicted !== nearest) this.disagreements++;
    }
  }

  private planeCoordinate(j: number): number {
    const K = this.numClasses;
    if (j >= this.rank) return 0;
    const z = this.zOwn;
    let a = 0;
    for (let c = 0; c < K; c++) a += this.planeDirections[j * K + c] * z[c];
    return a;
  }

  private projection(): NonNullable<SplitLayerMetrics['projection']> {
    const K = this.numClasses;
    const vectors = (this.own.eigen as { vectors: Float64Array }).vectors;
    const means: [number, number][] = [];
    for (let c = 0; c < K; c++) {
      const x = this.planeScales[0] * vectors[c * K];
      const y = this.rank >= 2 ? this.planeScales[1] * vectors[c * K + 1] : 0;
      means.push([x, y]);
    }
    return { means, points: this.pointSample.points() };
  }

  private prepareSpectrum(): void {
    const K = this.numClasses;
    const { values, vectors } = this.own.eigen as { values: Float64Array; vectors: Float64Array };
    for (let j = 0; j < this.rank; j++) {
      const lambda = values[j];
      for (let c = 0; c < K; c++) this.nc1Directions[j * K + c] = vectors[c * K + j] / lambda;
    }
    for (let j = 0; j < Math.min(2, this.rank); j++) {
      const s = Math.sqrt(values[j]);
      this.planeScales[j] = s;
      for (let c = 0; c < K; c++) this.planeDirections[j * K + c] = vectors[c * K + j] / s;
    }
  }

  /** [own centred means m_0..m_{K-2}; reference's likewise; classifier rows], as the kernel reads them. */
  private assembleRows(classifier: LinearClassifier | null): Float64Array {
    const D = this.dim;
    const blocks: Float64Array[] = [];
    if (this.ownRowCount > 0) blocks.push((this.own.centredMeans as Float64Array).subarray(0, this.ownRowCount * D));
    if (this.refRowCount > 0) blocks.push((this.reference.centredMeans as Float64Array).subarray(0, this.refRowCount * D));
    if (classifier !== null) blocks.push(classifier.W);
    return concatArrays(blocks, (n) => new Float64Array(n));
  }

  private checkSameSamples(): void {
    if (this.samples !== this.own.sampleCount) {
      throw new Error(
        `layer "${this.own.layer}": pass 2 saw ${this.samples} samples but pass 1 saw ${this.own.sampleCount}; both passes must read the same samples`,
      );
    }
  }
}
