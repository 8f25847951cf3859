/**
 * The reductions spread over several metrics workers, a group of layers each. With a fast runner (the
 * CUDA provider, or onnxruntime on many cores) one worker reducing every layer becomes the bottleneck:
 * pass 2 costs B x D x K multiply-adds per layer and batch, on one thread. Each layer's accumulators are
 * independent of the others', so groups of layers reduce in parallel and give the same numbers, to the
 * last bit, as one reducer holding them all.
 */
import type { Reducer } from './reducerClient';
import type { PassOneTotals } from '../../core/metrics';
import type { PassOneSummary, PassTwoStart, PassTwoSummary, ReducerBatch, ReducerSetup, ShardPassTwoTotals, SplitName } from './reducer';

/**
 * The layers split into `groups` setups of about equal work (pass 2's cost grows with the width: the
 * widest layer goes to the lightest group, and so on), each group in depth order. The network-level
 * numbers (accuracy, NC3, NC4) are one group's, `owner`: the classifier input's, else the logits', else
 * the first.
 */
export function partitionLayers(setup: ReducerSetup, groups: number): { setups: ReducerSetup[]; owner: number } {
  const bins = Array.from({ length: Math.max(1, Math.min(groups, setup.layers.length)) }, () => ({ load: 0, layers: [] as ReducerSetup['layers'] }));
  for (const layer of [...setup.layers].sort((a, b) => b.dim - a.dim)) {
    const lightest = bins.reduce((min, bin) => (bin.load < min.load ? bin : min));
    lightest.layers.push(layer);
    lightest.load += layer.dim;
  }
  const depth = new Map(setup.layers.map((layer, i) => [layer.name, i]));
  for (const bin of bins) bin.layers.sort((a, b) => depth.get(a.name)! - depth.get(b.name)!);
  const holding = (name: string | null) => (name === null ? -1 : bins.findIndex((bin) => bin.layers.some((l) => l.name === name)));
  const withInput = holding(setup.classifierInput);
  const owner = Math.max(0, withInput >= 0 ? withInput : holding(setup.logitsName));
  const setups = bins.map((bin, i) => ({
    layers: bin.layers,
    numClasses: setup.numClasses,
    classifier: i === owner ? setup.classifier : null,
    classifierInput: i === owner ? setup.classifierInput : null,
    logitsName: i === owner ? setup.logitsName : null,
  }));
  return { setups, owner };
}

export interface ReducerShard {
  setup: ReducerSetup;
  reducer: Reducer;
}

export class ShardedReducer implements Reducer {
  readonly where = 'worker' as const;

  /** `owner`: the shard that counts accuracy and computes NC3 and NC4 (partitionLayers says which). */
  constructor(
    private readonly setup: ReducerSetup,
    private readonly shards: ReducerShard[],
    private readonly owner: number,
  ) {}

  async beginPassOne(split: SplitName): Promise<void> {
    await Promise.all(this.shards.map((s) => s.reducer.beginPassOne(split)));
  }

  /** Each shard gets its layers' outputs; resolves when every shard can take another batch. */
  async add(batch: ReducerBatch, owned: boolean, progress?: (layer: string) => void): Promise<void> {
    const parts = this.shards.map(({ setup }) => {
      const outputs = new Map<string, Float32Array>();
      for (const layer of setup.layers) {
        const values = batch.outputs.get(layer.name);
        if (values) outputs.set(layer.name, values);
      }
      // The owner reads the logits even when another shard reduces them as a layer: its own copy, so
      // that each buffer has a single shard to move to.
      const logits = setup.logitsName === null ? undefined : batch.outputs.get(setup.logitsName);
      if (logits && setup.logitsName !== null && !outputs.has(setup.logitsName)) outputs.set(setup.logitsName, logits.slice());
      return outputs;
    });
    // A buffer that two shards read (a runner returning views of one buffer) cannot move to either: the
    // shards that share one get copies instead.
    const readers = new Map<ArrayBufferLike, number>();
    for (const outputs of parts) for (const buffer of new Set([...outputs.values()].map((v) => v.buffer))) readers.set(buffer, (readers.get(buffer) ?? 0) + 1);
    await Promise.all(
      this.shards.map((shard, i) => {
        const outputs = parts[i]!;
        const movable = owned && [...outputs.values()].every((v) => readers.get(v.buffer) === 1);
        return shard.reducer.add({ outputs, labels: batch.labels, indices: batch.indices, count: batch.count }, movable, progress);
      }),
    );
  }

  async endPassOne(): Promise<PassOneSummary> {
    const summaries = await Promise.all(this.shards.map((s) => s.reducer.endPassOne()));
    // Every shard counted the same labels; NC3 and the weight geometry are the owner's.
    return { classCounts: summaries[0]!.classCounts, classifierNumbers: summaries[this.owner]!.classifierNumbers };
  }

  async endPassTwo(): Promise<PassTwoSummary> {
    const summaries = await Promise.all(this.shards.map((s) => s.reducer.endPassTwo()));
    const metrics: PassTwoSummary['metrics'] = new Map();
    for (const layer of this.setup.layers) {
      const found = summaries.find((s) => s.metrics.has(layer.name))?.metrics.get(layer.name);
      if (!found) throw new Error(`layer "${layer.name}": no metrics worker reduced it`);
      metrics.set(layer.name, found);
    }
    const { accuracy, nc4 } = summaries[this.owner]!;
    // One worker on the fallback slows the whole split: report it.
    const kernel = summaries.find((s) => s.kernel.kind === 'javascript')?.kernel ?? summaries[0]!.kernel;
    return { metrics, kernel, accuracy, nc4 };
  }

  /** Every group's layers' totals, in depth order. */
  async endPassOneTotals(): Promise<Map<string, PassOneTotals>> {
    const parts = await Promise.all(this.shards.map((s) => s.reducer.endPassOneTotals()));
    return this.inDepthOrder(parts);
  }

  /** Each group gets its own layers' totals; NC3 and the weight geometry are the owner's. */
  async beginPassTwo(split: SplitName, own: readonly PassOneTotals[], train: readonly PassOneTotals[]): Promise<PassTwoStart> {
    const starts = await Promise.all(
      this.shards.map(({ setup, reducer }) => {
        const mine = new Set(setup.layers.map((l) => l.name));
        return reducer.beginPassTwo(split, own.filter((t) => mine.has(t.layer)), train.filter((t) => mine.has(t.layer)));
      }),
    );
    return starts[this.owner]!;
  }

  async endPassTwoTotals(): Promise<ShardPassTwoTotals> {
    const parts = await Promise.all(this.shards.map((s) => s.reducer.endPassTwoTotals()));
    const { correct, seen } = parts[this.owner]!;
    const kernel = parts.find((p) => p.kernel.kind === 'javascript')?.kernel ?? parts[0]!.kernel;
    return { layers: this.inDepthOrder(parts.map((p) => p.layers)), correct, seen, kernel };
  }

  async dispose(): Promise<void> {
    await Promise.all(this.shards.map((s) => s.reducer.dispose()));
  }

  private inDepthOrder<T>(parts: Map<string, T>[]): Map<string, T> {
    const out = new Map<string, T>();
    for (const layer of this.setup.layers) {
      const found = parts.find((p) => p.has(layer.name))?.get(layer.name);
      if (found === undefined) throw new Error(`layer "${layer.name}": no metrics worker reduced it`);
      out.set(layer.name, found);
    }
    return out;
  }
}
