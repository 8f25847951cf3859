/**
 * What both "parts measured alone" profiles (ONNX and TF.js) share: wall and CPU timing, the probes the
 * analysis fetches, batching a preloaded input, and one decode-only pass over a dataset.
 */
import { buildPreprocessor, openDataset, resolvePreprocessing, selectIndices, streamBatches } from '../../src/core/dataset';
import { resolveProbes } from '../../src/core/model/onnx';
import type { ModelGraph } from '../../src/core/model/types';

export interface Timed {
  seconds: number;
  cpuSeconds: number;
}

export async function timed(run: () => Promise<void>): Promise<Timed> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  await run();
  const used = process.cpuUsage(cpu);
  return { seconds: (performance.now() - started) / 1000, cpuSeconds: (used.user + used.system) / 1e6 };
}

export const fastest = (runs: Timed[]): Timed => ({ seconds: Math.min(...runs.map((r) => r.seconds)), cpuSeconds: Math.min(...runs.map((r) => r.cpuSeconds)) });

/** Every tensor the analysis fetches: the auto probes, the classifier input and the logits. */
export function analysisFetch(graph: ModelGraph): { all: string[]; logits: string } {
  const logits = graph.classifier?.logitsLayer ?? graph.logitsLayer;
  if (!logits) throw new Error(`${graph.path}: no logits tensor`);
  const probes = resolveProbes(graph, 'auto').map((p) => p.name);
  return { all: [...new Set([...probes, ...(graph.classifier ? [graph.classifier.inputLayer] : []), logits])], logits };
}

/** Floats per image the named tensors hold together (an unknown dimension counts as 0). */
export function probeFloatsPerImage(graph: ModelGraph, names: readonly string[]): number {
  const dimOf = (name: string) => (graph.layers.find((l) => l.name === name)?.shape ?? []).reduce<number>((a, d) => a * (d ?? 0), 1);
  return names.reduce((n, name) => n + dimOf(name), 0);
}

/** Calls `run` on consecutive batches of a preloaded input of `count` samples. */
export function inBatches(input: Float32Array, count: number, batchSize: number): (run: (batch: Float32Array, rows: number) => Promise<void> | void) => Promise<void> {
  const size = input.length / count;
  return async (run) => {
    for (let start = 0; start < count; start += batchSize) {
      const rows = Math.min(batchSize, count - start);
      await run(input.subarray(start * size, (start + rows) * size), rows);
    }
  };
}

/** One pass of the engine's reader and preprocessing over the dataset, nothing else. */
export async function decodeOnce(dataset: string, graph: ModelGraph, batchSize: number): Promise<void> {
  const source = await openDataset({ path: dataset });
  try {
    const indices = selectIndices(await source.labels(), graph.numOutputs ?? 10, null, 0);
    const preprocess = buildPreprocessor(source, graph.input, resolvePreprocessing(null, null, null));
    for await (const batch of streamBatches(source, indices, batchSize, preprocess, { prefetch: 2 })) void batch;
  } finally {
    await source.close();
  }
}
