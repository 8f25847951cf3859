import * as tf from '@tensorflow/tfjs';
import type { ModelRunner, RunnerOptions } from '../../core/model/types';
import type { TfjsModelGraph } from '../../core/model/tfjs';
import { initTfjsBackend, type TfjsBackendKind } from './tfjsBackend';
import type { JsonRecord } from '../../core/model/tfjs/json';
import { graphLoadHandler } from './tfjsIOHandler';
import { buildLayersProbeModel } from './tfjsLayersProbe';
import { splitTransposedBiasMatMuls } from './tfjsWasmMatMulFix';
import { concatFloat32 } from '../../core/concatArrays';

export interface TfjsRunnerOptions extends RunnerOptions {
  /** Folder of the tfjs-backend-wasm .wasm files (dist/wasm/ in the bundle); defaults to node_modules. */
  wasmDir?: string;
  /** Force a TF.js backend; default 'auto' (tfjs-node, then wasm, then cpu). */
  backend?: TfjsBackendKind | 'auto';
}

/** Runs one batch and returns the fetched tensors in `fetch` order (the caller disposes them). */
type Forward = (x: tf.Tensor) => tf.Tensor[];

interface LoadedModel {
  forward: Forward;
  dispose: () => void;
  /** A workaround the load applied, for the runtime note. */
  note?: string;
}

async function loadLayers(graph: Extract<TfjsModelGraph, { format: 'tfjs-layers' }>, fetch: string[]): Promise<LoadedModel> {
  const model = await tf.loadLayersModel(graphLoadHandler(graph));
  const probe = buildLayersProbeModel(model, graph, fetch);
  return {
    forward: (x) => {
      const out = probe.predictOnBatch(x);
      return Array.isArray(out) ? out : [out];
    },
    // tfjs counts a reference for every symbolic call of a layer, so after the probe's re-application
    // LayersModel.dispose() leaves some counts above zero and their weights alive. The runner owns
    // these variables (the loaded model's and the twin Dense's) and releases each one itself.
    dispose: () => {
      for (const variable of new Set([...model.weights, ...probe.weights])) variable.dispose();
    },
  };
}

async function loadGraphModel(graph: Extract<TfjsModelGraph, { format: 'tfjs-graph' }>, fetch: string[], backend: TfjsBackendKind): Promise<LoadedModel> {
  let split: string[] = [];
  const rewrite = backend === 'tfjs-wasm'
    ? (topology: JsonRecord): JsonRecord => {
        const fixed = splitTransposedBiasMatMuls(topology);
        split = fixed.split;
        return fixed.topology;
      }
    : undefined;
  const model = await tf.loadGraphModel(graphLoadHandler(graph, rewrite));
  return {
    ...(split.length > 0 ? { note: `wasm: ${split.length} transposed _FusedMatMul node(s) run unfused (tfjs-backend-wasm bias bug)` } : {}),
    forward: (x) => {
      const out = model.execute(x, fetch);
      return Array.isArray(out) ? out : [out];
    },
    dispose: () => model.dispose(),
  };
}

/** Per-sample input shape; a single free dimension is inferred from the sample size. */
function sampleShape(graph: TfjsModelGraph, sampleSize: number): number[] {
  const dims = graph.input.shape.slice(1).map((d) => (typeof d === 'number' ? d : null));
  const free = dims.filter((d) => d === null).length;
  const known = dims.reduce<number>((p, d) => p * (d ?? 1), 1);
  if (free === 0) return dims as number[];
  if (free === 1 && sampleSize % known === 0) return dims.map((d) => d ?? sampleSize / known);
  throw new Error(`${graph.path}: the input "${graph.input.name}" has shape [${graph.input.shape.join(', ')}]; cannot lay out ${sampleSize} values per sample`);
}

/**
 * A ModelRunner for TF.js checkpoints: one inference per batch serves every probe (a multi-output
 * probe model for a LayersModel; GraphModel.execute with the probed node names), every tensor disposed.
 */
export async function createTfjsRunner(graph: TfjsModelGraph, options: TfjsRunnerOptions): Promise<ModelRunner> {
  const backend = await initTfjsBackend({ wasmDir: options.wasmDir, backend: options.backend, preferGpu: options.provider === 'cuda' });
  const fetch = [...new Set(options.fetch)];
  const known = new Set(graph.layers.map((l) => l.name));
  const unknown = fetch.filter((name) => !known.has(name));
  if (unknown.length > 0) throw new Error(`${graph.path}: no layer named ${unknown.map((n) => `"${n}"`).join(', ')}`);
  const loaded = graph.format === 'tfjs-layers' ? await loadLayers(graph, fetch) : await loadGraphModel(graph, fetch, backend.kind);
  const note = [backend.note, loaded.note].filter((n): n is string => n !== undefined).join('; ');
  const expected = graph.input.shape.slice(1).reduce<number>((p, d) => p * (typeof d === 'number' ? d : 1), 1);
  let perSample: number[] | null = null;
  let disposed = false;

  const runChunk = (input: Float32Array, batchSize: number): Float32Array[] => {
    perSample ??= sampleShape(graph, input.length / batchSize);
    const x = tf.tensor(input, [batchSize, ...perSample], 'float32');
    let outputs: tf.Tensor[] = [];
    try {
      outputs = loaded.forward(x);
      const values: Float32Array[] = [];
      for (const t of outputs) {
        // Synchronous read: every backend the engine runs on (wasm, cpu, tfjs-node) holds the values in
        // this process, and the promise of data() only added a scheduling round trip per tensor.
        const data = t.dataSync();
        values.push(data instanceof Float32Array ? data : Float32Array.from(data as ArrayLike<number>));
      }
      return values;
    } finally {
      x.dispose();
      tf.dispose(outputs);
    }
  };

  return {
    provider: backend.kind,
    // The wasm backend's reads copy out of the module's memory; the cpu backend can hand back its own storage.
    ownsOutputs: backend.kind === 'tfjs-wasm',
    runtime: {
      name: '@tensorflow/tfjs',
      version: backend.tfjsVersion,
      threads: backend.threads,
      ...(note ? { note } : {}),
    },
    async run(input: Float32Array, batchSize: number): Promise<Map<string, Float32Array>> {
      if (disposed) throw new Error(`${graph.path}: the runner was disposed`);
      if (batchSize <= 0 || input.length % batchSize !== 0 || (expected > 0 && (input.length / batchSize) % expected !== 0)) {
        throw new Error(`${graph.path}: got ${input.length} values for a batch of ${batchSize}; the input "${graph.input.name}" takes [${graph.input.shape.join(', ')}]`);
      }
      // A model exported with a fixed batch size is run in chunks of that size.
      const chunk = graph.input.fixedBatch ?? batchSize;
      const sampleSize = input.length / batchSize;
      const parts: Float32Array[][] = [];
      for (let start = 0; start < batchSize; start += chunk) {
        const n = Math.min(chunk, batchSize - start);
        if (n !== chunk) throw new Error(`${graph.path}: the model takes batches of exactly ${chunk}; ${batchSize} is not a multiple`);
        parts.push(runChunk(input.subarray(start * sampleSize, (start + n) * sampleSize), n));
      }
      return new Map(fetch.map((name, i) => [name, concatFloat32(parts.map((p) => p[i]))]));
    },
    async dispose(): Promise<void> {
      if (disposed) return;
      disposed = true;
      loaded.dispose();
    },
  };
}
