/**
 * The metrics workers alone: both passes over synthetic batches with the CNN fixture's probe widths
 * (11 layers, 28,090 values per sample), reduced by one worker and by the layers spread over several
 * (COLLAPSE_LENS_REDUCE_SHARDS), interleaved in one process, for 10 and 100 classes. No model runs: this
 * is the ceiling the reductions put on an analysis whose runner is fast (CUDA, many cores), where one
 * worker reducing every layer is the bottleneck.
 *
 *   npm run bench:workers                      (node --import tsx bench/workers.ts)
 *   node --import tsx bench/workers.ts --repeat 5 --shards 1,2,4
 */
import { availableParallelism, loadavg } from 'node:os';
import { createReducer } from '../src/engine/analyze/reducerClient';
import type { ReducerBatch } from '../src/engine/analyze/reducer';
import { seededRandom } from '../src/core/dataset/sampling';
import { fixed, formatTable, median } from './lib/table';

const CNN_WIDTHS = [12544, 3136, 3136, 3136, 3136, 784, 1568, 288, 288, 64, 10];
const BATCH = 64;
const SAMPLES = 2048;

const option = (name: string): string | undefined => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
};
const repeat = Number(option('--repeat') ?? 3);
const cores = availableParallelism();
const shardCounts = (option('--shards') ?? [1, 2, Math.floor(cores / 2)].filter((n, i, all) => n >= 1 && all.indexOf(n) === i).join(',')).split(',').map(Number);

const layers = CNN_WIDTHS.map((dim, i) => ({ name: `layer${i}`, dim }));
const noise = (() => {
  const next = seededRandom(1);
  return Float32Array.from({ length: 1 << 16 }, () => next());
})();

/** A fresh batch (its buffers move to the workers); values repeat a noise block, labels cycle. */
function batchAt(start: number, K: number): ReducerBatch {
  const outputs = new Map<string, Float32Array>();
  for (const layer of layers) {
    const values = new Float32Array(BATCH * layer.dim);
    for (let i = 0; i < values.length; i += noise.length) values.set(noise.subarray(0, Math.min(noise.length, values.length - i)), i);
    outputs.set(layer.name, values);
  }
  return { outputs, labels: Int32Array.from({ length: BATCH }, (_, i) => (start + i) % K), indices: Int32Array.from({ length: BATCH }, (_, i) => start + i), count: BATCH };
}

/** Seconds for both passes over SAMPLES samples with `shards` metrics workers. */
async function bothPasses(shards: number, K: number): Promise<number> {
  process.env.COLLAPSE_LENS_REDUCE = 'worker';
  process.env.COLLAPSE_LENS_REDUCE_SHARDS = String(shards);
  const reducer = await createReducer({ layers, numClasses: K, classifier: null, classifierInput: null, logitsName: null });
  try {
    const started = performance.now();
    await reducer.beginPassOne('train');
    for (let s = 0; s < SAMPLES; s += BATCH) await reducer.add(batchAt(s, K), true);
    await reducer.endPassOne();
    for (let s = 0; s < SAMPLES; s += BATCH) await reducer.add(batchAt(s, K), true);
    await reducer.endPassTwo();
    return (performance.now() - started) / 1000;
  } finally {
    await reducer.dispose();
  }
}

async function main(): Promise<void> {
  console.log(`Collapse Lens metrics-workers benchmark: node ${process.version}, ${cores} cores, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  console.log(`${SAMPLES} samples, batch ${BATCH}, the CNN fixture's ${layers.length} probe widths (${CNN_WIDTHS.reduce((a, b) => a + b, 0)} values per sample), both passes, median of ${repeat}\n`);
  const rows: string[][] = [];
  for (const K of [10, 100]) {
    await bothPasses(1, K); // warm-up: JIT, the workers' wasm kernels
    const times = new Map<number, number[]>(shardCounts.map((n) => [n, []]));
    for (let r = 0; r < repeat; r++) for (const n of shardCounts) times.get(n)!.push(await bothPasses(n, K));
    const one = median(times.get(shardCounts[0]!)!);
    for (const n of shardCounts) {
      const seconds = median(times.get(n)!);
      rows.push([`K = ${K}, ${n} worker${n === 1 ? '' : 's'}`, fixed(seconds), fixed((2 * SAMPLES) / seconds, 0), fixed(one / seconds)]);
    }
  }
  console.log(formatTable(['reductions', 'median s', 'samples/s (both passes)', `speed-up vs ${shardCounts[0]} worker`], rows));
}

void main();
