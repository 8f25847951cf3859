/**
 * One pass of each way onnxruntime can serve the metrics, on issue 16's ResNet-18, in CPU and wall seconds:
 * the bare model (logits only), every probe fetched into JavaScript (the JavaScript path's onnxruntime
 * side, before any reduction), and the in-graph reduction heads of pass 1 and pass 2 in float64 (what
 * the engine runs) and in float32 (what float32 heads would cost; not used by the engine).
 *
 *   node --import tsx bench/inGraphParts.ts [--images 640] [--batch 64] [--repeat 2]
 *
 * Each variant runs `repeat` times, interleaved with the others; the fastest run is kept (the machine
 * is shared). The pass-2 centre and rows are stand-ins (zeros, ones): the cost does not depend on them.
 */
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import { loadModelGraph } from '../src/engine/analyze/loadModel';
import { isOnnxModel, type OnnxModel } from '../src/core/model/onnx/types';
import { encodeWithOutputs } from '../src/engine/backends/onnxFetchModel';
import { encodeWithReductions, PASS_ONE_INPUTS, reductionNames, type ProbeReductionNames, type ReductionDtype, type ReductionPass } from '../src/engine/backends/onnxReductionGraph';
import { openOnnxSession } from '../src/engine/backends/onnxSession';
import { resnet18Model } from './lib/resnet18';
import { loadFashionTest, sampledImages } from './lib/fashionMnist';
import { analysisFetch, fastest, inBatches, timed, type Timed } from './lib/measure';

const { values } = parseArgs({ options: { images: { type: 'string' }, batch: { type: 'string' }, repeat: { type: 'string' } } });
const IMAGES = Number(values.images ?? 640);
const BATCH = Number(values.batch ?? 64);
const REPEAT = Number(values.repeat ?? 2);
const K = 10;
const ROWS = 2 * K - 1;

type Feeds = (input: Float32Array, rows: number, labels: Int32Array) => Record<string, ort.Tensor>;

interface Variant {
  name: string;
  session: ort.InferenceSession;
  fetch: string[];
  feeds: Feeds;
}

function tensor(dtype: ReductionDtype, data: number[] | Float64Array, dims: number[]): ort.Tensor {
  return dtype === 'float64' ? new ort.Tensor('float64', Float64Array.from(data), dims) : new ort.Tensor('float32', Float32Array.from(data), dims);
}

function reductionFeeds(model: OnnxModel, probes: ProbeReductionNames[], pass: ReductionPass, dtype: ReductionDtype, sampleShape: number[]): Feeds {
  const fixed: Record<string, ort.Tensor> = {};
  if (pass === 'pass2') {
    for (const p of probes) {
      fixed[p.centre] = tensor(dtype, new Float64Array(p.dim), [p.dim]);
      fixed[p.rowsT] = tensor(dtype, new Float64Array(p.dim * ROWS).fill(1), [p.dim, ROWS]);
    }
  }
  return (input, rows, labels) => {
    const feeds: Record<string, ort.Tensor> = { ...fixed, [model.input.name]: new ort.Tensor('float32', input, [rows, ...sampleShape]) };
    if (pass === 'pass1') {
      const onehotT = new Float64Array(K * rows);
      const n = new Float64Array(K);
      labels.forEach((y, i) => {
        onehotT[y * rows + i] = 1;
        n[y]++;
      });
      feeds[PASS_ONE_INPUTS.onehotT] = tensor(dtype, onehotT, [K, rows]);
      feeds[PASS_ONE_INPUTS.invCounts] = tensor(dtype, n.map((v) => (v > 0 ? 1 / v : 0)), [K, 1]);
      feeds[PASS_ONE_INPUTS.labels] = new ort.Tensor('int64', BigInt64Array.from(labels, (y) => BigInt(y)), [rows]);
    }
    return feeds;
  };
}

async function main(): Promise<void> {
  const path = resnet18Model();
  const graph = await loadModelGraph(path);
  if (!isOnnxModel(graph)) throw new Error(`${path}: not ONNX`);
  const { all, logits } = analysisFetch(graph);
  const probeNames = all.filter((n) => n !== logits);
  const dims = probeNames.map((name) => ({ name, dim: (graph.layers.find((l) => l.name === name)?.shape ?? []).reduce<number>((a, d) => a * (d ?? 0), 1) }));
  const probes = reductionNames(dims);
  const sampleShape = graph.input.shape.slice(1) as number[];
  const images = sampledImages(loadFashionTest(), IMAGES / 10);
  const open = (bytes: Uint8Array) => openOnnxSession(bytes, 'cpu', 0, path).then((o) => o.session);
  const plain: Feeds = (input, rows) => ({ [graph.input.name]: new ort.Tensor('float32', input, [rows, ...sampleShape]) });
  const variants: Variant[] = [
    { name: 'bare model, logits only', session: await open(encodeWithOutputs(graph, [logits])), fetch: [logits], feeds: plain },
    { name: 'every probe fetched (JavaScript path, before its reductions)', session: await open(encodeWithOutputs(graph, all)), fetch: all, feeds: plain },
  ];
  for (const dtype of ['float64', 'float32'] as const) {
    for (const pass of ['pass1', 'pass2'] as const) {
      const outputs = probes.flatMap((p) => (pass === 'pass1' ? [p.sums, p.scatter] : [p.products]));
      variants.push({
        name: `in-graph ${pass} heads, ${dtype}`,
        session: await open(encodeWithReductions(graph, probes, pass, [logits], dtype)),
        fetch: [logits, ...outputs],
        feeds: reductionFeeds(graph, probes, pass, dtype, sampleShape),
      });
    }
  }
  const runs = new Map<string, Timed[]>(variants.map((v) => [v.name, []]));
  const batches = inBatches(images.input, images.count, BATCH);
  for (let r = 0; r < REPEAT; r++) {
    for (const v of variants) {
      let start = 0;
      runs.get(v.name)?.push(
        await timed(() =>
          batches(async (batch, rows) => {
            const out = await v.session.run(v.feeds(batch, rows, images.labels.subarray(start, start + rows)), v.fetch);
            for (const t of Object.values(out)) t.dispose();
            start += rows;
          }),
        ),
      );
    }
  }
  const bare = fastest(runs.get(variants[0]!.name) ?? []);
  console.log(`ResNet-18, ${images.count} images, batch ${BATCH}, ${probes.length} probes, fastest of ${REPEAT}; one pass each`);
  console.log('| variant | wall s | CPU s | CPU / bare |');
  console.log('|---|---:|---:|---:|');
  for (const v of variants) {
    const t = fastest(runs.get(v.name) ?? []);
    console.log(`| ${v.name} | ${t.seconds.toFixed(2)} | ${t.cpuSeconds.toFixed(2)} | ${(t.cpuSeconds / bare.cpuSeconds).toFixed(2)} |`);
  }
  for (const v of variants) await v.session.release();
}

void main();
