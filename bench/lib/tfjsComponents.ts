/**
 * The TF.js row's parts measured alone, one pass over the images each: the bare predict loop, the engine's
 * runner fetching every probe the analysis fetches (what each of its two passes runs), the same runner
 * fetching only the logits (its overhead over a bare predict), and decoding the IDX file through the
 * engine's reader. Interleaved, fastest of `repeat`, as componentsSide does for ONNX.
 */
import * as tf from '@tensorflow/tfjs';
import { createRunner } from '../../src/engine/backends';
import { initTfjsBackend } from '../../src/engine/backends/tfjsBackend';
import { tfjsFileIOHandler } from '../../src/engine/backends/tfjsIOHandler';
import { loadModelGraph } from '../../src/engine/analyze/loadModel';
import { analysisFetch, decodeOnce as decodeOnce_, fastest, inBatches, probeFloatsPerImage, timed, type Timed } from './measure';
import { fixed, formatTable } from './table';
import { predictBatch, sampleShapeOf } from './bareTfjs';


export interface TfjsComponentTimes {
  bare: Timed;
  runnerAllProbes: Timed;
  runnerLogitsOnly: Timed;
  decode: Timed;
  /** Floats read back per image when every probe is fetched. */
  probeFloatsPerImage: number;
  probes: string[];
}

export async function tfjsComponentsSide(checkpoint: string, dataset: string, input: Float32Array, count: number, batchSize: number, repeat = 3): Promise<TfjsComponentTimes> {
  await initTfjsBackend();
  const graph = await loadModelGraph(checkpoint);
  const fetch = analysisFetch(graph);
  const model = await tf.loadLayersModel(tfjsFileIOHandler(checkpoint));
  const predict = predictBatch(model, checkpoint, sampleShapeOf(model, checkpoint, input.length / count));
  const allProbes = await createRunner(graph, { provider: 'cpu', threads: 0, fetch: fetch.all });
  const logitsOnly = await createRunner(graph, { provider: 'cpu', threads: 0, fetch: [fetch.logits] });

  const batches = inBatches(input, count, batchSize);
  const bare = () => batches((batch, rows) => void predict(batch, rows));
  const runner = (r: typeof allProbes) => () => batches(async (batch, rows) => void (await r.run(batch, rows)));
  const decodeOnce = () => decodeOnce_(dataset, graph, batchSize);

  const runs = { bare: [] as Timed[], runnerAllProbes: [] as Timed[], runnerLogitsOnly: [] as Timed[], decode: [] as Timed[] };
  try {
    await bare();
    await runner(allProbes)();
    await runner(logitsOnly)();
    await decodeOnce();
    for (let r = 0; r < repeat; r++) {
      runs.bare.push(await timed(bare));
      runs.runnerAllProbes.push(await timed(runner(allProbes)));
      runs.runnerLogitsOnly.push(await timed(runner(logitsOnly)));
      runs.decode.push(await timed(decodeOnce));
    }
  } finally {
    await allProbes.dispose();
    await logitsOnly.dispose();
    model.dispose();
  }
  return {
    bare: fastest(runs.bare),
    runnerAllProbes: fastest(runs.runnerAllProbes),
    runnerLogitsOnly: fastest(runs.runnerLogitsOnly),
    decode: fastest(runs.decode),
    probeFloatsPerImage: probeFloatsPerImage(graph, fetch.all),
    probes: fetch.all,
  };
}

export function printTfjsComponents(c: TfjsComponentTimes, images: number): void {
  const line = (part: string, t: Timed) => [part, fixed(t.seconds), fixed(t.cpuSeconds), fixed(t.seconds / c.bare.seconds)];
  console.log(
    `\nParts measured alone (${images} images, one pass, fastest of the interleaved runs):\n` +
      formatTable(
        ['part', 'seconds', 'CPU s', 'x bare predict'],
        [
          line('bare predict loop (output only, dataSync)', c.bare),
          line(`engine runner, every probe fetched (${c.probes.length} tensors, ${c.probeFloatsPerImage} floats/image)`, c.runnerAllProbes),
          line('engine runner, logits only', c.runnerLogitsOnly),
          line('decode + preprocess (engine IDX reader, streamBatches)', c.decode),
        ],
      ),
  );
}
