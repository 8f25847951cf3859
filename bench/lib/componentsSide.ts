/**
 * The analysis's parts measured alone, for the profile: decoding the dataset through the engine's
 * readers; inference three ways, to split the cost of probing into "the graph with extra outputs" and
 * "copying them out"; and the CPU onnxruntime's spinning thread pool burns while the engine reduces.
 * Runs interleave and the fastest of `repeat` is kept, the estimate least disturbed by other work on a
 * shared machine.
 */
import * as ort from 'onnxruntime-node';
import { isOnnxModel } from '../../src/core/model/onnx';
import { createRunner } from '../../src/engine/backends';
import { encodeWithOutputs } from '../../src/engine/backends/onnxFetchModel';
import { loadModelGraph } from '../../src/engine/analyze/loadModel';
import { analysisFetch, decodeOnce as decodeOnce_, fastest, inBatches, probeFloatsPerImage, timed, type Timed } from './measure';


export interface ComponentTimes {
  /** openDataset + streamBatches over every sample, preprocessed to the model's input. */
  decode: Timed;
  /** The engine's runner fetching every probe and the logits (what each pass runs). */
  runnerAllProbes: Timed;
  /** onnxruntime on the same probe-augmented graph, fetching only the logits: the graph's own cost. */
  probeGraphLogitsOnly: Timed;
  /** The engine's runner fetching only the logits (graph unchanged): the runner's overhead. */
  runnerLogitsOnly: Timed;
  /** Floats copied out of onnxruntime per image when every probe is fetched. */
  probeFloatsPerImage: number;
  /**
   * Every probe fetched, then ~REDUCE_STAND_IN_MS of single-threaded JavaScript per batch standing in for
   * the accumulators, with onnxruntime's default thread pool (idle threads spin) and with spinning off:
   * the CPU a spinning pool burns while the engine reduces.
   */
  withReduction: { spinning: Timed; notSpinning: Timed };
}

const REDUCE_STAND_IN_MS = 10;
const scratch = new Float64Array(1 << 16);

/** Busy arithmetic for `ms` milliseconds on this thread. */
function standInForAccumulators(ms: number): void {
  const until = performance.now() + ms;
  let k = 0;
  while (performance.now() < until) for (let i = 0; i < 4096; i++) scratch[(k++ * 7) & 0xffff]! += 1.5;
}

export async function componentsSide(checkpoint: string, dataset: string, input: Float32Array, count: number, batchSize: number, repeat = 3): Promise<ComponentTimes> {
  const graph = await loadModelGraph(checkpoint);
  if (!isOnnxModel(graph)) throw new Error(`${checkpoint}: the components profile is written for ONNX models`);
  const fetch = analysisFetch(graph);
  const sampleShape = graph.input.shape.slice(1).map(Number);

  const batches = inBatches(input, count, batchSize);
  const allProbes = await createRunner(graph, { provider: 'cpu', threads: 0, fetch: fetch.all });
  const logitsOnly = await createRunner(graph, { provider: 'cpu', threads: 0, fetch: [fetch.logits] });
  const probeBytes = encodeWithOutputs(graph, fetch.all);
  const probeGraph = await ort.InferenceSession.create(probeBytes, { executionProviders: ['cpu'] });
  const quietGraph = await ort.InferenceSession.create(probeBytes, { executionProviders: ['cpu'], extra: { session: { intra_op: { allow_spinning: '0' } } } });
  const runAndReduce = (session: ort.InferenceSession) => async (batch: Float32Array, rows: number) => {
    const out = await session.run({ [graph.input.name]: new ort.Tensor('float32', batch, [rows, ...sampleShape]) }, fetch.all);
    standInForAccumulators(REDUCE_STAND_IN_MS);
    for (const t of Object.values(out)) t.dispose();
  };
  const runProbeGraph = async (batch: Float32Array, rows: number) => {
    const out = await probeGraph.run({ [graph.input.name]: new ort.Tensor('float32', batch, [rows, ...sampleShape]) }, [fetch.logits]);
    for (const t of Object.values(out)) t.dispose();
  };
  const decodeOnce = () => decodeOnce_(dataset, graph, batchSize);

  const runs = { decode: [] as Timed[], runnerAllProbes: [] as Timed[], probeGraphLogitsOnly: [] as Timed[], runnerLogitsOnly: [] as Timed[], spinning: [] as Timed[], notSpinning: [] as Timed[] };
  try {
    // Warm-up of every path, then interleaved timed runs.
    await decodeOnce();
    await batches(async (b, rows) => void (await allProbes.run(b, rows)));
    await batches(runProbeGraph);
    await batches(async (b, rows) => void (await logitsOnly.run(b, rows)));
    for (let r = 0; r < repeat; r++) {
      runs.decode.push(await timed(decodeOnce));
      runs.runnerAllProbes.push(await timed(() => batches(async (b, rows) => void (await allProbes.run(b, rows)))));
      runs.probeGraphLogitsOnly.push(await timed(() => batches(runProbeGraph)));
      runs.runnerLogitsOnly.push(await timed(() => batches(async (b, rows) => void (await logitsOnly.run(b, rows)))));
    }
    runs.spinning.push(await timed(() => batches(runAndReduce(probeGraph))));
    runs.notSpinning.push(await timed(() => batches(runAndReduce(quietGraph))));
  } finally {
    await allProbes.dispose();
    await logitsOnly.dispose();
    await probeGraph.release();
    await quietGraph.release();
  }
  return {
    decode: fastest(runs.decode),
    runnerAllProbes: fastest(runs.runnerAllProbes),
    probeGraphLogitsOnly: fastest(runs.probeGraphLogitsOnly),
    runnerLogitsOnly: fastest(runs.runnerLogitsOnly),
    probeFloatsPerImage: probeFloatsPerImage(graph, fetch.all),
    withReduction: { spinning: fastest(runs.spinning), notSpinning: fastest(runs.notSpinning) },
  };
}
