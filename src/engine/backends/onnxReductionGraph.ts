/**
 * The model with the metrics' per-batch reductions added as graph nodes, so that onnxruntime (on the CPU
 * or the GPU) computes them and only K x D (pass 1) or B x R (pass 2) numbers per probe cross into
 * JavaScript instead of the B x D features (docs/metrics-implementation.md, "Reductions inside the graph").
 *
 * Every added node works in float64: the probe's tensor is Cast to double first, so the sums and
 * products are the float64 arithmetic of the JavaScript path in another summation order (exact to
 * ~1e-15, not the ~1e-6 of float32 arithmetic, which cancels in collapsed layers). A float64 MatMul is
 * still far cheaper than copying the features out.
 *
 * Pass 1, per probe (H = the probe's rows, B x D):
 *   sums    = onehotT H                         (K x D: each class's sum over the batch)
 *   scatter = ReduceSumSquare(H - Gather(sums * invCounts, labels), axis 1)   (B: ||h_i - m_{b,y_i}||^2,
 *             centred on the batch's own class mean, never E||h||^2 - ||m||^2)
 * with the graph inputs onehotT (K x B), invCounts (K x 1: 1/n_b,c or 0) and labels (B, int64).
 * Pass 2, per probe: products = (H - centre) rowsT (B x R), with centre (D) and rowsT (D x R) fed as
 * inputs: the pass-2 accumulator's centre and rows (projection-accumulator.ts).
 * The user's model is left as is; a copy with the extra nodes, inputs and outputs is encoded.
 */
import { onnx } from 'onnx-proto';
import type { OnnxModel } from '../../core/model/onnx/types';

const T = onnx.TensorProto.DataType;
const PREFIX = 'collapse_lens_reduce';

export const PASS_ONE_INPUTS = { onehotT: `${PREFIX}/onehot_t`, invCounts: `${PREFIX}/inv_counts`, labels: `${PREFIX}/labels` } as const;

/** The names of one probe's added inputs and outputs. */
export interface ProbeReductionNames {
  probe: string;
  dim: number;
  sums: string;
  scatter: string;
  centre: string;
  rowsT: string;
  products: string;
}

export function reductionNames(probes: readonly { name: string; dim: number }[]): ProbeReductionNames[] {
  return probes.map((p, i) => ({
    probe: p.name,
    dim: p.dim,
    sums: `${PREFIX}/${i}/class_sums`,
    scatter: `${PREFIX}/${i}/scatter`,
    centre: `${PREFIX}/${i}/centre`,
    rowsT: `${PREFIX}/${i}/rows_t`,
    products: `${PREFIX}/${i}/products`,
  }));
}

type Dim = number | string;

function valueInfo(name: string, elemType: number, dims?: Dim[]): onnx.IValueInfoProto {
  const shape = dims ? { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } : undefined;
  return onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType, ...(shape ? { shape } : {}) } } });
}

function int64Tensor(name: string, values: number[]): onnx.ITensorProto {
  return onnx.TensorProto.create({ name, dataType: T.INT64, dims: [values.length], int64Data: values });
}

function node(opType: string, input: string[], output: string[], attribute: onnx.IAttributeProto[] = []): onnx.INodeProto {
  return onnx.NodeProto.create({ opType, input, output, name: output[0], attribute });
}

const intAttribute = (name: string, i: number): onnx.IAttributeProto => onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INT, i });
const intsAttribute = (name: string, ints: number[]): onnx.IAttributeProto => onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INTS, ints });

/** The default domain's opset: ReduceSumSquare takes its axes as an input from opset 18 on. */
function defaultOpset(model: OnnxModel): number {
  const entry = (model.proto.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx');
  return Number(entry?.version ?? 13);
}

/**
 * Nodes giving the probe's rows, B x D: `${base}/rows`. Flatten (not a Reshape to [-1, D]) keeps the
 * tensor's first dimension as the rows, so a tensor whose first dimension is not the batch fails in the
 * MatMul with the one-hot (pass 1) and in the products' count (pass 2) instead of mixing samples, as
 * the JavaScript path refuses it.
 */
function rowsNodes(p: ProbeReductionNames, base: string, elemType: number): onnx.INodeProto[] {
  return [node('Cast', [p.probe], [`${base}/cast`], [intAttribute('to', elemType)]), node('Flatten', [`${base}/cast`], [`${base}/rows`], [intAttribute('axis', 1)])];
}

export type ReductionPass = 'pass1' | 'pass2';
/**
 * The nodes' arithmetic. The engine uses float64 only; float32 exists for bench/inGraphParts.ts, which
 * measures what float32 nodes would save (their numbers are not exact enough for the metrics as they are).
 */
export type ReductionDtype = 'float64' | 'float32';

/**
 * The model with `pass`'s reductions of `probes` added, declaring as outputs those reductions plus
 * `rawOutputs` (tensors fetched as they are: the logits, probes left to JavaScript, and every probe so
 * that a batch with a non-finite value can be fetched again to name the sample).
 */
export function encodeWithReductions(model: OnnxModel, probes: readonly ProbeReductionNames[], pass: ReductionPass, rawOutputs: string[], dtype: ReductionDtype = 'float64'): Uint8Array {
  const F = dtype === 'float64' ? T.DOUBLE : T.FLOAT;
  const graph = model.proto.graph;
  if (!graph) throw new Error(`${model.path}: the model has no graph`);
  const nodes: onnx.INodeProto[] = [];
  const initializers: onnx.ITensorProto[] = [];
  const inputs: onnx.IValueInfoProto[] = [];
  const outputs: onnx.IValueInfoProto[] = [];
  const opset = defaultOpset(model);
  if (pass === 'pass1') {
    inputs.push(valueInfo(PASS_ONE_INPUTS.onehotT, F, ['classes', 'batch']));
    inputs.push(valueInfo(PASS_ONE_INPUTS.invCounts, F, ['classes', 1]));
    inputs.push(valueInfo(PASS_ONE_INPUTS.labels, T.INT64, ['batch']));
  }
  for (const [i, p] of probes.entries()) {
    const base = `${PREFIX}/${i}`;
    nodes.push(...rowsNodes(p, base, F));
    const rows = `${base}/rows`;
    if (pass === 'pass1') {
      nodes.push(node('MatMul', [PASS_ONE_INPUTS.onehotT, rows], [p.sums]));
      nodes.push(node('Mul', [p.sums, PASS_ONE_INPUTS.invCounts], [`${base}/batch_means`]));
      nodes.push(node('Gather', [`${base}/batch_means`, PASS_ONE_INPUTS.labels], [`${base}/own_means`], [intAttribute('axis', 0)]));
      nodes.push(node('Sub', [rows, `${base}/own_means`], [`${base}/residuals`]));
      if (opset >= 18) {
        initializers.push(int64Tensor(`${base}/axis1`, [1]));
        nodes.push(node('ReduceSumSquare', [`${base}/residuals`, `${base}/axis1`], [p.scatter], [intAttribute('keepdims', 0)]));
      } else {
        nodes.push(node('ReduceSumSquare', [`${base}/residuals`], [p.scatter], [intsAttribute('axes', [1]), intAttribute('keepdims', 0)]));
      }
      outputs.push(valueInfo(p.sums, F), valueInfo(p.scatter, F));
    } else {
      inputs.push(valueInfo(p.centre, F, [p.dim]), valueInfo(p.rowsT, F, [p.dim, `rows_${i}`]));
      nodes.push(node('Sub', [rows, p.centre], [`${base}/offsets`]));
      nodes.push(node('MatMul', [`${base}/offsets`, p.rowsT], [p.products]));
      outputs.push(valueInfo(p.products, F));
    }
  }
  const declared = new Set((graph.output ?? []).map((o) => o.name));
  const raw = [...new Set(rawOutputs)].filter((n) => !declared.has(n)).map((name) => onnx.ValueInfoProto.create({ name }));
  const copy = onnx.ModelProto.create({
    ...model.proto,
    graph: onnx.GraphProto.create({
      ...graph,
      node: [...(graph.node ?? []), ...nodes],
      initializer: [...(graph.initializer ?? []), ...initializers],
      input: [...(graph.input ?? []), ...inputs],
      output: [...(graph.output ?? []), ...raw, ...outputs],
    }),
  });
  return onnx.ModelProto.encode(copy).finish();
}
