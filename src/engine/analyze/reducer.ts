/**
 * The metric side of an analysis: every probe's pass-1 and pass-2 accumulators for one split at a
 * time, fed the runner's outputs batch by batch. The training split's class statistics are kept as the
 * reference for the held-out split (NCC, NC4). It holds no model and no dataset, so it runs on the
 * engine's main thread or in the reduction worker (reduceWorker.ts) alike.
 */
import type { SplitLayerMetrics } from '../../core/result';
import { ClassStatsAccumulator, ProjectionAccumulator, buildClassStats, classifierMetrics, type ClassStats, type ClassifierMetrics, type LinearClassifier, type PassOneTotals, type ProjectionTotals } from '../../core/metrics';
import { countCorrect } from '../../core/metrics/projection-helpers';
import { metricsKernel, type MetricsKernel } from '../../core/metrics/wasm/kernels';

export interface ReducerSetup {
  /** The probes in depth order, with their widths. */
  layers: { name: string; dim: number }[];
  numClasses: number;
  /** The network's last linear layer and the probe that feeds it (NC3, NC4). */
  classifier: LinearClassifier | null;
  classifierInput: string | null;
  /** The tensor with the network's logits (accuracy, NC4), when known. */
  logitsName: string | null;
}

/** One batch of runner outputs: per tensor name, count x dim values. */
export interface ReducerBatch {
  outputs: Map<string, Float32Array>;
  labels: Int32Array;
  indices: Int32Array;
  count: number;
}

export interface PassOneSummary {
  /** Samples seen per class (corrupt samples skipped on the way are not counted). */
  classCounts: number[];
  /** NC3 and the weight geometry, from the training split's class means at the classifier input. */
  classifierNumbers: ClassifierMetrics | null;
}

export interface PassTwoSummary {
  metrics: Map<string, SplitLayerMetrics>;
  /** The kernels that reduced this split, in the thread that reduced it. */
  kernel: MetricsKernel;
  /** The network's top-1 accuracy on the split, when the logits were fetched. */
  accuracy: number | null;
  nc4: number | null;
}

export type SplitName = 'train' | 'test';

/** What opening pass 2 on merged totals gives: NC3 and the weight geometry (training split, classifier's reducer). */
export interface PassTwoStart {
  classifierNumbers: ClassifierMetrics | null;
}

/** Pass 2's sums of one shard of the data: per layer, and the network's own top-1 count. */
export interface ShardPassTwoTotals {
  layers: Map<string, ProjectionTotals>;
  correct: number;
  seen: number;
  kernel: MetricsKernel;
}

/** A batch's in-graph reductions, per probe reduced in the graph (the other probes come as features). */
export interface ReducedBatch {
  classSums?: ReadonlyMap<string, { sums: Float64Array; scatter: Float64Array }>;
  products?: ReadonlyMap<string, Float64Array>;
}

/**
 * The kernels that reduced a split: the runtime's (metricsKernel), or the JavaScript fallback where a
 * layer's rows did not fit in WebAssembly memory, named, since that layer then ran slower.
 */
export function kernelUsed(pass2: ReadonlyMap<string, Pick<ProjectionAccumulator, 'kernelKind'>>): MetricsKernel {
  const runtime = metricsKernel();
  if (runtime.kind === 'javascript') return runtime;
  const slow = [...pass2].filter(([, acc]) => acc.kernelKind === 'javascript').map(([name]) => name);
  return slow.length === 0 ? runtime : { kind: 'javascript', reason: `the class means of ${slow.join(', ')} do not fit in WebAssembly memory` };
}

export class SplitReducer {
  private readonly trainStats = new Map<string, ClassStats>();
  private pass1: Map<string, ClassStatsAccumulator> | null = null;
  private pass2: Map<string, ProjectionAccumulator> | null = null;
  private split: SplitName = 'train';
  private correct = 0;
  private seen = 0;

  constructor(private readonly setup: ReducerSetup) {}

  beginPassOne(split: SplitName): void {
    this.split = split;
    this.pass2 = null;
    const K = this.setup.numClasses;
    this.pass1 = new Map(this.setup.layers.map((l) => [l.name, new ClassStatsAccumulator(l.name, K, l.dim)]));
  }

  /** Reduces one batch into the open pass; `progress` is called with each layer just before its turn. */
  add(batch: ReducerBatch, progress?: (layer: string) => void): void {
    this.addReduced(batch, {}, progress);
  }

  /**
   * Reduces one batch whose in-graph probes came reduced by the runtime (class sums in pass 1, products
   * in pass 2: engine/backends/onnxGraphRunner.ts); the other probes' features are in batch.outputs and
   * are reduced from there (all of them, for add()). Throws NonFiniteReduction when a reduction is not finite.
   */
  addReduced(batch: ReducerBatch, reduced: ReducedBatch, progress?: (layer: string) => void): void {
    const indices = { sampleIndices: batch.indices };
    if (this.pass1) {
      for (const [name, acc] of this.pass1) {
        progress?.(name);
        const sums = reduced.classSums?.get(name);
        if (sums) acc.addClassSums(sums.sums, sums.scatter, batch.labels, indices);
        else acc.add(this.output(batch, name), batch.labels, indices);
      }
      return;
    }
    if (!this.pass2) throw new Error('a batch arrived with no pass open');
    const { logitsName, classifierInput, numClasses } = this.setup;
    const logits = logitsName ? batch.outputs.get(logitsName) : undefined;
    if (logits) {
      this.correct += countCorrect(logits, batch.labels, numClasses);
      this.seen += batch.count;
    }
    for (const [name, acc] of this.pass2) {
      progress?.(name);
      const options = { ...indices, ...(name === classifierInput && logits ? { logits } : {}) };
      const products = reduced.products?.get(name);
      if (products) acc.addProducts(products, batch.labels, options);
      else acc.add(this.output(batch, name), batch.labels, options);
    }
  }

  /** After endPassOne: each layer's pass-2 centre and rows, for a runtime that computes the products. */
  productRows(): Map<string, ReturnType<ProjectionAccumulator['productRows']>> {
    if (!this.pass2) throw new Error('pass 2 is not open');
    return new Map([...this.pass2].map(([name, acc]) => [name, acc.productRows()]));
  }

  endPassOne(): PassOneSummary {
    if (!this.pass1) throw new Error('pass 1 was not open');
    const own = new Map([...this.pass1].map(([name, acc]) => [name, acc.finish()]));
    this.pass1 = null;
    if (this.split === 'train') for (const [name, stats] of own) this.trainStats.set(name, stats);
    this.openPassTwo(own);
    const counts = own.values().next().value?.counts;
    const classifierNumbers = this.split === 'train' ? this.classifierNumbers() : null;
    return { classCounts: counts ? Array.from(counts) : new Array<number>(this.setup.numClasses).fill(0), classifierNumbers };
  }

  /**
   * Ends pass 1 of one shard of the data (analyze --shard): its raw totals, which only mean something
   * once merged with the other shards', so no statistics are finished and no pass 2 is opened.
   */
  endPassOneTotals(): Map<string, PassOneTotals> {
    if (!this.pass1) throw new Error('pass 1 was not open');
    const totals = new Map([...this.pass1].map(([name, acc]) => [name, acc.totals()]));
    this.pass1 = null;
    return totals;
  }

  /**
   * Opens pass 2 on class totals merged from every shard's pass 1: the split's own, and the training
   * split's (the held-out split's reference). Only this reducer's layers are built; on the training split
   * its own statistics are its reference, the same objects, as in a whole run. Returns NC3 and the weight
   * geometry on the training split.
   */
  beginPassTwo(split: SplitName, own: readonly PassOneTotals[], train: readonly PassOneTotals[]): PassTwoStart {
    this.split = split;
    this.pass1 = null;
    const mine = new Set(this.setup.layers.map((l) => l.name));
    const build = (totals: readonly PassOneTotals[]) => new Map(totals.filter((t) => mine.has(t.layer)).map((t) => [t.layer, buildClassStats(t)]));
    const trainStats = build(train);
    for (const [name, stats] of trainStats) this.trainStats.set(name, stats);
    this.openPassTwo(split === 'train' ? trainStats : build(own));
    return { classifierNumbers: split === 'train' ? this.classifierNumbers() : null };
  }

  /** NC3 and the weight geometry, from the training split's class means at the classifier input. */
  classifierNumbers(): ClassifierMetrics | null {
    const { classifier, classifierInput } = this.setup;
    return classifier && classifierInput ? classifierMetrics(classifier.W, classifier.b, this.reference(classifierInput), { biasless: classifier.biasless === true }) : null;
  }

  /** Ends pass 2 of one shard of the data: its sums, merged with the other shards' by `collapse-lens merge`. */
  endPassTwoTotals(): ShardPassTwoTotals {
    if (!this.pass2) throw new Error('pass 2 was not open');
    const pass2 = this.pass2;
    this.pass2 = null;
    return { layers: new Map([...pass2].map(([name, acc]) => [name, acc.totals()])), correct: this.correct, seen: this.seen, kernel: kernelUsed(pass2) };
  }

  private reference(name: string): ClassStats {
    const stats = this.trainStats.get(name);
    if (!stats) throw new Error(`layer "${name}": the training split's pass 1 must come before the held-out split's pass 2`);
    return stats;
  }

  private openPassTwo(own: ReadonlyMap<string, ClassStats>): void {
    const { classifier, classifierInput } = this.setup;
    this.pass2 = new Map(
      this.setup.layers.map((l) => {
        const stats = own.get(l.name);
        if (!stats) throw new Error(`layer "${l.name}": no pass-1 statistics for it`);
        return [l.name, new ProjectionAccumulator(stats, this.reference(l.name), { classifier: l.name === classifierInput ? classifier : null })];
      }),
    );
    this.correct = 0;
    this.seen = 0;
  }

  endPassTwo(): PassTwoSummary {
    if (!this.pass2) throw new Error('pass 2 was not open');
    const pass2 = this.pass2;
    this.pass2 = null;
    const metrics = new Map<string, SplitLayerMetrics>([...pass2].map(([name, acc]) => [name, acc.finish()]));
    const input = this.setup.classifierInput;
    const nc4 = input ? ((pass2.get(input) as ProjectionAccumulator).finishNetwork().nc4 ?? null) : null;
    return { metrics, kernel: kernelUsed(pass2), accuracy: this.seen > 0 ? this.correct / this.seen : null, nc4 };
  }

  private output(batch: ReducerBatch, name: string): Float32Array {
    const values = batch.outputs.get(name);
    if (!values) throw new Error(`layer "${name}": the runner returned no values for it`);
    return values;
  }
}
