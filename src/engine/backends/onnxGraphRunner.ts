/**
 * Runs an ONNX model with the metrics' per-batch reductions inside its graph (onnxReductionGraph.ts):
 * pass 1 fetches each in-graph probe's K x D class sums and B scatters, pass 2 its B x R products, and
 * only the logits and the probes left to JavaScript (gap, cls, mean reductions) come back as tensors.
 * Two sessions: pass 1's, and pass 2's (opened at the first pass 2, its centre and rows fed as inputs so
 * one session serves every split). The features of a batch can still be fetched (`fetchRaw`), to name the
 * sample behind a non-finite reduction.
 */
import * as ort from 'onnxruntime-node';
import type { ModelRunner, RunnerOptions } from '../../core/model/types';
import type { OnnxModel } from '../../core/model/onnx/types';
import { encodeWithReductions, PASS_ONE_INPUTS, reductionNames, type ProbeReductionNames } from './onnxReductionGraph';
import { intraOpThreads } from './intraOpThreads';
import { onnxRuntimeVersion, openOnnxSession } from './onnxSession';
import { tensorAsFloat32 } from './onnxTensors';
import { fixedSampleShape } from './onnxRunner';
import { messageOf } from '../errors';

/** A batch's pass-1 reductions of one probe: K x D class sums, and one scatter per sample. */
export interface ClassSums {
  sums: Float64Array;
  scatter: Float64Array;
}

export interface InGraphBatch<R> {
  /** Tensors fetched as they are (count x dim float32): the logits and the probes left to JavaScript. */
  raw: Map<string, Float32Array>;
  /** Per in-graph probe, its reductions. */
  reduced: Map<string, R>;
}

/** Pass 2's centre and rows of one probe (ProjectionAccumulator.productRows()). */
export interface ProductRows {
  centre: Float64Array;
  rows: Float64Array;
  rowCount: number;
}

/** Why the in-graph path cannot run this model, or null when it can. */
export function inGraphRefusal(model: OnnxModel): string | null {
  if (model.input.fixedBatch !== null) return `the model's input has a fixed batch of ${model.input.fixedBatch}`;
  return null;
}

export class OnnxGraphRunner {
  readonly ownsOutputs = true;
  private passTwoSession: ort.InferenceSession | null = null;
  private passTwoFeeds: Record<string, ort.Tensor> = {};

  private constructor(
    private readonly model: OnnxModel,
    private readonly options: RunnerOptions,
    private readonly probes: ProbeReductionNames[],
    /** Fetched as tensors in every batch (logits, JavaScript-path probes). */
    private readonly rawNames: string[],
    private readonly passOneSession: ort.InferenceSession,
    private readonly sampleShape: number[],
    readonly numClasses: number,
    readonly provider: string,
    readonly runtime: ModelRunner['runtime'],
  ) {}

  /**
   * `inGraph`: the flattened probes reduced in the graph (name, per-sample width); `options.fetch`: the
   * tensors to fetch as they are in every batch (the logits may be both). Every probe stays a declared
   * output, for fetchRaw.
   */
  static async open(model: OnnxModel, inGraph: { name: string; dim: number }[], numClasses: number, options: RunnerOptions): Promise<OnnxGraphRunner> {
    const refusal = inGraphRefusal(model);
    if (refusal !== null) throw new Error(`${model.path}: reductions cannot run inside this graph: ${refusal}`);
    const probes = reductionNames(inGraph);
    const rawNames = [...new Set(options.fetch)];
    const bytes = encodeWithReductions(model, probes, 'pass1', [...rawNames, ...inGraph.map((p) => p.name)]);
    const opened = await openOnnxSession(bytes, options.provider, options.threads, model.path);
    const runtime: ModelRunner['runtime'] = {
      name: 'onnxruntime-node',
      version: onnxRuntimeVersion(),
      threads: intraOpThreads(options.threads),
      ...(opened.note ? { note: opened.note } : {}),
    };
    return new OnnxGraphRunner(model, options, probes, rawNames, opened.session, fixedSampleShape(model), numClasses, opened.provider, runtime);
  }

  /** Pass 1 of one batch: class sums and scatters of the in-graph probes, the other tensors raw. */
  async passOne(input: Float32Array, count: number, labels: Int32Array): Promise<InGraphBatch<ClassSums>> {
    const outputs = await this.run(this.passOneSession, this.passOneFeeds(input, count, labels), [...this.rawNames, ...this.probes.flatMap((p) => [p.sums, p.scatter])]);
    const reduced = new Map(this.probes.map((p) => [p.probe, { sums: float64Of(outputs, p.sums), scatter: float64Of(outputs, p.scatter) }]));
    return { raw: this.rawOf(outputs, this.rawNames, count), reduced };
  }

  /** Sets the centre and rows of each in-graph probe for the pass 2 that follows (one split's). */
  async beginPassTwo(rows: ReadonlyMap<string, ProductRows>): Promise<void> {
    if (this.passTwoSession === null) {
      const bytes = encodeWithReductions(this.model, this.probes, 'pass2', this.rawNames);
      this.passTwoSession = (await openOnnxSession(bytes, this.provider === 'cuda' ? 'cuda' : 'cpu', this.options.threads, this.model.path)).session;
    }
    for (const tensor of Object.values(this.passTwoFeeds)) tensor.dispose();
    this.passTwoFeeds = {};
    for (const p of this.probes) {
      const given = rows.get(p.probe);
      if (!given) throw new Error(`layer "${p.probe}": no pass-2 rows were given for the in-graph reductions`);
      const { centre, rows: r, rowCount } = given;
      const D = p.dim;
      // MatMul wants the rows as columns (D x R): transposed once per split.
      const rowsT = new Float64Array(D * rowCount);
      for (let row = 0; row < rowCount; row++) for (let k = 0; k < D; k++) rowsT[k * rowCount + row] = r[row * D + k];
      this.passTwoFeeds[p.centre] = new ort.Tensor('float64', Float64Array.from(centre.subarray(0, D)), [D]);
      this.passTwoFeeds[p.rowsT] = new ort.Tensor('float64', rowsT, [D, rowCount]);
    }
  }

  /** Pass 2 of one batch: the B x R products of the in-graph probes, the other tensors raw. */
  async passTwo(input: Float32Array, count: number): Promise<InGraphBatch<Float64Array>> {
    if (this.passTwoSession === null) throw new Error('pass 2 of the in-graph reductions was not begun');
    const feeds = { ...this.passTwoFeeds, [this.model.input.name]: this.inputTensor(input, count) };
    const outputs = await this.run(this.passTwoSession, feeds, [...this.rawNames, ...this.probes.map((p) => p.products)]);
    const reduced = new Map(this.probes.map((p) => [p.probe, float64Of(outputs, p.products)]));
    return { raw: this.rawOf(outputs, this.rawNames, count), reduced };
  }

  /** The features of the in-graph probes for one batch, as the JavaScript path would have them. */
  async fetchRaw(input: Float32Array, count: number, labels: Int32Array): Promise<Map<string, Float32Array>> {
    const names = this.probes.map((p) => p.probe);
    return this.rawOf(await this.run(this.passOneSession, this.passOneFeeds(input, count, labels), names), names, count);
  }

  async dispose(): Promise<void> {
    for (const tensor of Object.values(this.passTwoFeeds)) tensor.dispose();
    await this.passOneSession.release();
    await this.passTwoSession?.release();
  }

  private inputTensor(input: Float32Array, count: number): ort.Tensor {
    const size = this.sampleShape.reduce((a, b) => a * b, 1);
    if (input.length !== count * size) {
      throw new Error(`${this.model.path}: a batch of ${count} samples of shape [${this.sampleShape.join(', ')}] needs ${count * size} values, got ${input.length}`);
    }
    return new ort.Tensor('float32', input, [count, ...this.sampleShape]);
  }

  private passOneFeeds(input: Float32Array, count: number, labels: Int32Array): Record<string, ort.Tensor> {
    const K = this.numClasses;
    const onehotT = new Float64Array(K * count);
    const n = new Float64Array(K);
    const labels64 = new BigInt64Array(count);
    for (let i = 0; i < count; i++) {
      const y = labels[i];
      // A label outside 0..K-1 is refused by the accumulator, naming the sample; here it only must not crash Gather.
      const c = y >= 0 && y < K ? y : 0;
      onehotT[c * count + i] = y === c ? 1 : 0;
      n[c] += y === c ? 1 : 0;
      labels64[i] = BigInt(c);
    }
    const inv = n.map((v) => (v > 0 ? 1 / v : 0));
    return {
      [this.model.input.name]: this.inputTensor(input, count),
      [PASS_ONE_INPUTS.onehotT]: new ort.Tensor('float64', onehotT, [K, count]),
      [PASS_ONE_INPUTS.invCounts]: new ort.Tensor('float64', inv, [K, 1]),
      [PASS_ONE_INPUTS.labels]: new ort.Tensor('int64', labels64, [count]),
    };
  }

  private async run(session: ort.InferenceSession, feeds: Record<string, ort.Tensor>, names: string[]): Promise<ort.InferenceSession.ReturnType> {
    try {
      return await session.run(feeds, names);
    } catch (error) {
      throw new Error(`${this.model.path}: inference failed: ${messageOf(error)}`);
    }
  }

  private rawOf(outputs: ort.InferenceSession.ReturnType, names: string[], count: number): Map<string, Float32Array> {
    const result = new Map<string, Float32Array>();
    for (const name of names) {
      const tensor = outputs[name] as ort.Tensor;
      if (tensor.dims[0] !== count) {
        throw new Error(`${this.model.path}: tensor "${name}" has shape [${tensor.dims.join(', ')}], whose first dimension is not the batch (${count})`);
      }
      result.set(name, tensorAsFloat32(tensor, name, this.model.path));
    }
    return result;
  }
}

function float64Of(outputs: ort.InferenceSession.ReturnType, name: string): Float64Array {
  const data: unknown = (outputs[name] as ort.Tensor | undefined)?.data;
  if (!(data instanceof Float64Array)) throw new Error(`in-graph reduction "${name}" did not come back as float64`);
  return data;
}
