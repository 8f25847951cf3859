/**
 * Where the metric accumulators run. In a worker thread when the probes are wide: the model
 * (onnxruntime-node and tfjs-wasm both run synchronously on the main thread) and the reductions of the
 * previous batch then proceed at the same time, on two cores. On the main thread for narrow probes
 * (the worker would cost more than it saves), when the worker cannot start (its script missing, a
 * runtime without TypeScript for the sources), or when COLLAPSE_LENS_REDUCE=main-thread asks for it
 * (profiling, debugging). The numbers are the same either way; only the timing differs.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { PassOneTotals } from '../../core/metrics';
import { SplitReducer, type PassOneSummary, type PassTwoStart, type PassTwoSummary, type ReducerBatch, type ReducerSetup, type ShardPassTwoTotals, type SplitName } from './reducer';
import { MAX_BATCHES_IN_FLIGHT, type ReduceReply, type ReduceRequest, type ReduceWorkerData } from './reduceMessages';
import { partitionLayers, ShardedReducer } from './shardedReducer';

export interface Reducer {
  readonly where: 'worker' | 'main-thread';
  beginPassOne(split: SplitName): Promise<void>;
  /**
   * Hands over one batch; resolves once the reducer can take another (at most MAX_BATCHES_IN_FLIGHT
   * wait in the worker, so memory stays a few batches whatever N is). `owned`: the output arrays belong
   * to the caller, who will not touch them again, so their memory moves to the worker without a copy.
   * A failure of this batch surfaces at the latest in the next call.
   */
  add(batch: ReducerBatch, owned: boolean, progress?: (layer: string) => void): Promise<void>;
  endPassOne(): Promise<PassOneSummary>;
  endPassTwo(): Promise<PassTwoSummary>;
  /** A shard of the data (analyze --shard): the SplitReducer methods of the same names. */
  endPassOneTotals(): Promise<Map<string, PassOneTotals>>;
  beginPassTwo(split: SplitName, own: readonly PassOneTotals[], train: readonly PassOneTotals[]): Promise<PassTwoStart>;
  endPassTwoTotals(): Promise<ShardPassTwoTotals>;
  dispose(): Promise<void>;
}

/** How long a starting worker may take to say it is ready before the main thread reduces instead. */
const START_TIMEOUT_MS = 10_000;

class MainThreadReducer implements Reducer {
  readonly where = 'main-thread' as const;
  private readonly reducer: SplitReducer;
  constructor(setup: ReducerSetup) {
    this.reducer = new SplitReducer(setup);
  }
  async beginPassOne(split: SplitName): Promise<void> {
    this.reducer.beginPassOne(split);
  }
  async add(batch: ReducerBatch, _owned: boolean, progress?: (layer: string) => void): Promise<void> {
    this.reducer.add(batch, progress);
  }
  async endPassOne(): Promise<PassOneSummary> {
    return this.reducer.endPassOne();
  }
  async endPassTwo(): Promise<PassTwoSummary> {
    return this.reducer.endPassTwo();
  }
  async endPassOneTotals(): Promise<Map<string, PassOneTotals>> {
    return this.reducer.endPassOneTotals();
  }
  async beginPassTwo(split: SplitName, own: readonly PassOneTotals[], train: readonly PassOneTotals[]): Promise<PassTwoStart> {
    return this.reducer.beginPassTwo(split, own, train);
  }
  async endPassTwoTotals(): Promise<ShardPassTwoTotals> {
    return this.reducer.endPassTwoTotals();
  }
  async dispose(): Promise<void> {}
}

interface Pending {
  resolve(reply: ReduceReply): void;
  reject(error: Error): void;
  /** For an 'add': told each layer as the worker reaches it. */
  progress?: (layer: string) => void;
}

/**
 * A started worker kept between analyses of one process (the benchmark's runs, a future engine serving
 * several jobs): its start (~50 ms bundled) and its JIT warm-up are paid once. Parked unref'd, so it
 * never keeps the process alive.
 */
let spareWorker: Worker | null = null;
const forgetSpare = (): void => {
  spareWorker = null;
};

function parkWorker(worker: Worker): void {
  if (spareWorker !== null) {
    void worker.terminate();
    return;
  }
  spareWorker = worker;
  worker.unref();
  worker.once('exit', forgetSpare);
}

function takeSpareWorker(): Worker | null {
  const worker = spareWorker;
  spareWorker = null;
  // Taken back into use: its exit is the new reducer's to report (and a listener per parking piled up).
  worker?.off('exit', forgetSpare);
  worker?.ref();
  return worker;
}

class WorkerReducer implements Reducer {
  readonly where = 'worker' as const;
  private readonly waiting: Pending[] = [];
  private readonly adds: Promise<unknown>[] = [];
  private failure: Error | null = null;
  private readonly onMessage = (reply: ReduceReply): void => {
    // The worker takes requests in order, so a layer notice belongs to the oldest one still waiting.
    if (reply.kind === 'layer') {
      this.waiting[0]?.progress?.(reply.layer);
      return;
    }
    const pending = this.waiting.shift();
    if (reply.kind === 'failed') {
      const error = new Error(reply.message);
      this.failure ??= error;
      pending?.reject(error);
    } else pending?.resolve(reply);
  };
  private readonly onError = (error: Error): void => this.stop(new Error(`the metrics worker failed: ${error.message}`));
  private readonly onExit = (code: number): void => this.stop(new Error(`the metrics worker stopped (exit code ${code}; out of memory?)`));

  private constructor(private readonly worker: Worker) {
    worker.on('message', this.onMessage);
    worker.on('error', this.onError);
    worker.on('exit', this.onExit);
  }

  /** A reducer on `worker` for the analysis `setup` describes; null when the worker does not answer. */
  static async open(worker: Worker, setup: ReducerSetup): Promise<WorkerReducer | null> {
    const reducer = new WorkerReducer(worker);
    try {
      await reducer.request({ kind: 'configure', setup });
      return reducer;
    } catch {
      await reducer.dispose();
      return null;
    }
  }

  async beginPassOne(split: SplitName): Promise<void> {
    await this.request({ kind: 'begin-pass-one', split });
  }

  async add(batch: ReducerBatch, owned: boolean, progress?: (layer: string) => void): Promise<void> {
    const transfer = owned ? [...new Set([...batch.outputs.values()].map((values) => values.buffer))] : [];
    const reply = this.request({ kind: 'add', ...batch }, transfer as ArrayBuffer[], progress);
    // Rejections are read through `failure`; this keeps an unread one from being reported as unhandled.
    reply.catch(() => undefined);
    this.adds.push(reply);
    while (this.adds.length > MAX_BATCHES_IN_FLIGHT) await this.adds.shift();
    if (this.failure) throw this.failure;
  }

  async endPassOne(): Promise<PassOneSummary> {
    const reply = await this.request({ kind: 'end-pass-one' });
    if (reply.kind !== 'pass-one') throw new Error(`the metrics worker answered ${reply.kind} to end-pass-one`);
    this.adds.length = 0;
    return reply.summary;
  }

  async endPassTwo(): Promise<PassTwoSummary> {
    const reply = await this.request({ kind: 'end-pass-two' });
    if (reply.kind !== 'pass-two') throw new Error(`the metrics worker answered ${reply.kind} to end-pass-two`);
    this.adds.length = 0;
    return reply.summary;
  }

  async endPassOneTotals(): Promise<Map<string, PassOneTotals>> {
    const reply = await this.request({ kind: 'end-pass-one-totals' });
    if (reply.kind !== 'pass-one-totals') throw new Error(`the metrics worker answered ${reply.kind} to end-pass-one-totals`);
    this.adds.length = 0;
    return reply.totals;
  }

  async beginPassTwo(split: SplitName, own: readonly PassOneTotals[], train: readonly PassOneTotals[]): Promise<PassTwoStart> {
    const reply = await this.request({ kind: 'begin-pass-two', split, own: [...own], train: [...train] });
    if (reply.kind !== 'pass-two-start') throw new Error(`the metrics worker answered ${reply.kind} to begin-pass-two`);
    return reply.start;
  }

  async endPassTwoTotals(): Promise<ShardPassTwoTotals> {
    const reply = await this.request({ kind: 'end-pass-two-totals' });
    if (reply.kind !== 'pass-two-totals') throw new Error(`the metrics worker answered ${reply.kind} to end-pass-two-totals`);
    this.adds.length = 0;
    return reply.totals;
  }

  /** Parks a worker that finished cleanly for the next analysis; stops one that failed or is mid-request. */
  async dispose(): Promise<void> {
    const healthy = this.failure === null && this.waiting.length === 0;
    this.stop(new Error('the analysis closed its metrics worker'));
    this.worker.off('message', this.onMessage);
    this.worker.off('error', this.onError);
    this.worker.off('exit', this.onExit);
    if (healthy) parkWorker(this.worker);
    else await this.worker.terminate();
  }

  private request(request: ReduceRequest, transfer: ArrayBuffer[] = [], progress?: (layer: string) => void): Promise<ReduceReply> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<ReduceReply>((resolve, reject) => {
      this.waiting.push({ resolve, reject, ...(progress ? { progress } : {}) });
      this.worker.postMessage(request, transfer);
    });
  }

  private stop(error: Error): void {
    this.failure ??= error;
    for (const pending of this.waiting.splice(0)) pending.reject(this.failure);
  }
}

/**
 * How to start the worker: dist/reduceWorker.js beside the bundled engine; from the TypeScript sources
 * (tests, benchmarks under tsx) a one-line script that registers tsx first, since a worker does not
 * inherit the parent's module hooks in Node 20.
 */
function workerEntry(): { script: string; eval: boolean } | null {
  const bundled = join(__dirname, 'reduceWorker.js');
  if (existsSync(bundled)) return { script: bundled, eval: false };
  const source = join(__dirname, 'reduceWorker.ts');
  if (existsSync(source)) return { script: `require('tsx/cjs'); require(${JSON.stringify(source)});`, eval: true };
  return null;
}

/** Starts a worker and waits for its first sign of life; null when it cannot run here. */
async function startWorker(): Promise<Worker | null> {
  const entry = workerEntry();
  if (entry === null) return null;
  const data: ReduceWorkerData = { collapseLensReducer: true };
  let worker: Worker;
  try {
    worker = new Worker(entry.script, { eval: entry.eval, workerData: data });
  } catch {
    return null;
  }
  // 'online' comes before the script has loaded; the worker's own 'ready' says it loaded and listens.
  const started = await new Promise<boolean>((resolve) => {
    const settle = (ok: boolean) => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onFailure);
      worker.off('exit', onFailure);
      resolve(ok);
    };
    const timer = setTimeout(() => settle(false), START_TIMEOUT_MS);
    const onMessage = (reply: ReduceReply) => settle(reply.kind === 'ready');
    const onFailure = () => settle(false);
    worker.on('message', onMessage);
    worker.once('error', onFailure);
    worker.once('exit', onFailure);
  });
  if (!started) {
    await worker.terminate().catch(() => undefined);
    return null;
  }
  return worker;
}

/**
 * Probe values per sample from which the worker pays: below, the reductions take less time than the
 * worker's start (~50 ms bundled) and one message per batch save (bench:onnx: the TF.js MLP's 986
 * values per sample ran slower with the worker, the CNN's 28,090 a third faster).
 */
export const WORKER_MIN_VALUES_PER_SAMPLE = 8192;

/** Probe values per sample, all layers together. */
const totalWidth = (setup: Pick<ReducerSetup, 'layers'>): number => setup.layers.reduce((sum, layer) => sum + layer.dim, 0);

/** Where the reductions should run for these probes; COLLAPSE_LENS_REDUCE=worker|main-thread overrides. */
export function reductionPlace(setup: Pick<ReducerSetup, 'layers'>, env: NodeJS.ProcessEnv = process.env): Reducer['where'] {
  const forced = env.COLLAPSE_LENS_REDUCE;
  if (forced === 'worker' || forced === 'main-thread') return forced;
  return totalWidth(setup) >= WORKER_MIN_VALUES_PER_SAMPLE ? 'worker' : 'main-thread';
}

/** More metrics workers than this gain little: the runner and the dataset reader need cores too. */
export const MAX_REDUCER_SHARDS = 8;

/**
 * How many metrics workers share the layers: half the cores (the other half for the runner: onnxruntime's
 * intra-op pool, the image decoders), at most one per layer and one per WORKER_MIN_VALUES_PER_SAMPLE of
 * width, at most MAX_REDUCER_SHARDS; so one on this project's 2-core machines. COLLAPSE_LENS_REDUCE_SHARDS
 * sets it (tests, benchmarks).
 */
export function reducerShards(setup: Pick<ReducerSetup, 'layers'>, env: NodeJS.ProcessEnv = process.env, cores = availableParallelism()): number {
  const forced = Number(env.COLLAPSE_LENS_REDUCE_SHARDS);
  if (env.COLLAPSE_LENS_REDUCE_SHARDS !== undefined && Number.isInteger(forced) && forced >= 1) return Math.min(forced, setup.layers.length);
  return Math.max(1, Math.min(MAX_REDUCER_SHARDS, Math.floor(cores / 2), setup.layers.length, Math.floor(totalWidth(setup) / WORKER_MIN_VALUES_PER_SAMPLE)));
}

/** One worker per group of layers; null when a worker cannot start (the caller falls back to one). */
async function openSharded(setup: ReducerSetup, shards: number): Promise<Reducer | null> {
  const { setups, owner } = partitionLayers(setup, shards);
  const workers = await Promise.all(setups.map(async (_, i) => (i === 0 ? takeSpareWorker() : null) ?? startWorker()));
  const reducers = await Promise.all(workers.map((worker, i) => (worker ? WorkerReducer.open(worker, setups[i]!) : Promise.resolve(null))));
  if (reducers.every((r) => r !== null)) return new ShardedReducer(setup, setups.map((s, i) => ({ setup: s, reducer: reducers[i]! })), owner);
  await Promise.all(reducers.map((r) => r?.dispose()));
  return null;
}

export async function createReducer(setup: ReducerSetup): Promise<Reducer> {
  if (reductionPlace(setup) === 'worker') {
    const shards = reducerShards(setup);
    const sharded = shards > 1 ? await openSharded(setup, shards) : null;
    if (sharded) return sharded;
    const worker = takeSpareWorker() ?? (await startWorker());
    const reducer = worker ? await WorkerReducer.open(worker, setup) : null;
    if (reducer) return reducer;
  }
  return new MainThreadReducer(setup);
}
