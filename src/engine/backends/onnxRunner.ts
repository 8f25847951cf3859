/**
 * Runs an ONNX model with onnxruntime-node and returns the probed tensors of each batch: one inference
 * per batch serves every probe, because all of them are declared as extra graph outputs of one session.
 */
import * as ort from 'onnxruntime-node';
import type { ModelRunner, RunnerOptions } from '../../core/model/types';
import { closeLayerNames } from '../../core/model/onnx/probes';
import type { OnnxModel } from '../../core/model/onnx/types';
import { encodeWithOutputs } from './onnxFetchModel';
import { intraOpThreads } from './intraOpThreads';
import { onnxRuntimeVersion, openOnnxSession } from './onnxSession';
import { tensorAsFloat32 } from './onnxTensors';
import { concatFloat32 } from '../../core/concatArrays';
import { messageOf } from '../errors';

/** The sample shape (input shape without the batch) when every dimension is fixed. */
export function fixedSampleShape(model: OnnxModel): number[] {
  const rest = model.input.shape.slice(1);
  if (!rest.every((d): d is number => typeof d === 'number' && d > 0)) {
    throw new Error(
      `${model.path}: the model input "${model.input.name}" has shape [${model.input.shape.join(', ')}]; ` +
        'every dimension but the batch must be fixed to know how to feed a sample',
    );
  }
  return rest;
}

function checkFetchNames(model: OnnxModel, fetch: string[]): string[] {
  const names = [...new Set(fetch)];
  if (names.length === 0) throw new Error(`${model.path}: no tensors to fetch were given`);
  const known = new Set(model.layers.map((l) => l.name));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) {
    const hints = unknown.map((n) => {
      const close = closeLayerNames(n, [...known]);
      return `"${n}"${close.length ? ` (did you mean ${close.map((c) => `"${c}"`).join(', ')}?)` : ''}`;
    });
    throw new Error(`${model.path}: cannot fetch ${hints.join(', ')}: not a float tensor computed from the model input`);
  }
  return names;
}

class OnnxRunner implements ModelRunner {
  private readonly sampleSize: number;
  // onnxruntime-node copies every output into a fresh ArrayBuffer; disposing the tensor only drops it.
  readonly ownsOutputs = true;

  constructor(
    private readonly model: OnnxModel,
    private readonly session: ort.InferenceSession,
    private readonly names: string[],
    private readonly sampleShape: number[],
    readonly provider: string,
    readonly runtime: ModelRunner['runtime'],
  ) {
    this.sampleSize = sampleShape.reduce((a, b) => a * b, 1);
  }

  /** Runs `rows` samples in a feed of `feedBatch` rows; returns each fetch flattened to rows x dim. */
  private async runChunk(feed: Float32Array, feedBatch: number, rows: number): Promise<Map<string, Float32Array>> {
    const input = new ort.Tensor('float32', feed, [feedBatch, ...this.sampleShape]);
    let outputs: ort.InferenceSession.ReturnType;
    try {
      outputs = await this.session.run({ [this.model.input.name]: input }, this.names);
    } catch (error) {
      throw new Error(`${this.model.path}: inference failed: ${messageOf(error)}`);
    } finally {
      input.dispose();
    }
    const result = new Map<string, Float32Array>();
    try {
      for (const name of this.names) {
        const tensor = outputs[name] as ort.Tensor;
        if (tensor.dims[0] !== feedBatch && feedBatch !== 1) {
          throw new Error(`${this.model.path}: tensor "${name}" has shape [${tensor.dims.join(', ')}], whose first dimension is not the batch (${feedBatch})`);
        }
        const values = tensorAsFloat32(tensor, name, this.model.path);
        const dim = values.length / feedBatch;
        result.set(name, rows === feedBatch ? values : values.slice(0, rows * dim));
      }
    } finally {
      for (const value of Object.values(outputs)) value.dispose();
    }
    return result;
  }

  async run(input: Float32Array, batchSize: number): Promise<Map<string, Float32Array>> {
    const size = this.sampleSize;
    if (!Number.isInteger(batchSize) || batchSize < 1 || input.length !== batchSize * size) {
      throw new Error(`${this.model.path}: a batch of ${batchSize} samples of shape [${this.sampleShape.join(', ')}] needs ${batchSize * size} values, got ${input.length}`);
    }
    const fixed = this.model.input.fixedBatch;
    if (fixed === null) return this.runChunk(input, batchSize, batchSize);
    // A model exported with a fixed batch (often 1) gets the batch in pieces of that size; the last one padded.
    const parts: Map<string, Float32Array>[] = [];
    for (let start = 0; start < batchSize; start += fixed) {
      const rows = Math.min(fixed, batchSize - start);
      const piece = input.subarray(start * size, (start + rows) * size);
      const feed = rows === fixed ? piece : new Float32Array(fixed * size);
      if (rows !== fixed) feed.set(piece);
      parts.push(await this.runChunk(feed, fixed, rows));
    }
    return new Map(this.names.map((name) => [name, concatFloat32(parts.map((p) => p.get(name) ?? new Float32Array(0)))]));
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}

/**
 * A runner fetching `options.fetch` (names from model.layers). provider 'auto' tries CUDA and falls
 * back to the CPU (runtime.note says so); 'cuda' fails when the CUDA provider cannot be loaded.
 */
export async function createOnnxRunner(model: OnnxModel, options: RunnerOptions): Promise<ModelRunner> {
  const names = checkFetchNames(model, options.fetch);
  const sampleShape = fixedSampleShape(model);
  const opened = await openOnnxSession(encodeWithOutputs(model, names), options.provider, options.threads, model.path);
  const runtime: ModelRunner['runtime'] = {
    name: 'onnxruntime-node',
    version: onnxRuntimeVersion(),
    threads: intraOpThreads(options.threads),
    ...(opened.note ? { note: opened.note } : {}),
  };
  return new OnnxRunner(model, opened.session, names, sampleShape, opened.provider, runtime);
}
