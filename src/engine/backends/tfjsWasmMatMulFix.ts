/**
 * tfjs-backend-wasm 4.22.0 computes _FusedMatMul wrongly when a transpose flag is set AND a bias is
 * fused: every row after the first gets the wrong bias (measured here against the cpu backend; the
 * untransposed path, which tfjs-layers' Dense uses, is right). tensorflowjs_converter writes exactly
 * that node for PyTorch-style weights (transpose_b). On wasm such nodes are split back into MatMul +
 * BiasAdd (+ activation) with the same output name, so probes and results do not change.
 */
import { isRecord, type JsonRecord } from '../../core/model/tfjs/json';

const ACTIVATION_OPS: Record<string, string> = {
  relu: 'Relu',
  relu6: 'Relu6',
  elu: 'Elu',
  sigmoid: 'Sigmoid',
  leakyrelu: 'LeakyRelu',
  prelu: 'Prelu',
  tanh: 'Tanh',
};

function decodedFusedOps(attr: JsonRecord): string[] {
  const fused = attr['fused_ops'];
  const list = isRecord(fused) && isRecord(fused['list']) ? fused['list']['s'] : undefined;
  return Array.isArray(list) ? list.filter((s): s is string => typeof s === 'string').map((s) => Buffer.from(s, 'base64').toString('utf8')) : [];
}

const flag = (attr: JsonRecord, key: string): boolean => {
  const v = attr[key];
  return isRecord(v) && v['b'] === true;
};

function unfuse(node: JsonRecord): JsonRecord[] | null {
  const name = node['name'];
  const inputs = node['input'];
  const attr = isRecord(node['attr']) ? node['attr'] : {};
  if (node['op'] !== '_FusedMatMul' || typeof name !== 'string' || !Array.isArray(inputs)) return null;
  if (!flag(attr, 'transpose_a') && !flag(attr, 'transpose_b')) return null;
  const [first, activation] = decodedFusedOps(attr).map((op) => op.toLowerCase());
  if (first !== 'biasadd') return null;
  const activationOp = activation === undefined ? null : ACTIVATION_OPS[activation];
  if (activation !== undefined && !activationOp) return null;
  const [a, b, bias, alpha] = inputs as unknown[];
  const control = inputs.filter((i) => typeof i === 'string' && i.startsWith('^'));
  const T = attr['T'] ?? { type: 'DT_FLOAT' };
  const matmul = `${name}/__unfused_matmul`;
  const out: JsonRecord[] = [
    { name: matmul, op: 'MatMul', input: [a, b, ...control], attr: { T, transpose_a: { b: flag(attr, 'transpose_a') }, transpose_b: { b: flag(attr, 'transpose_b') } } },
  ];
  if (!activationOp) {
    out.push({ name, op: 'BiasAdd', input: [matmul, bias], attr: { T } });
    return out;
  }
  const biased = `${name}/__unfused_bias`;
  out.push({ name: biased, op: 'BiasAdd', input: [matmul, bias], attr: { T } });
  const actAttr: JsonRecord = { T };
  if (activationOp === 'LeakyRelu') actAttr['alpha'] = { f: isRecord(attr['leakyrelu_alpha']) ? attr['leakyrelu_alpha']['f'] ?? 0.2 : 0.2 };
  out.push({ name, op: activationOp, input: activationOp === 'Prelu' ? [biased, alpha] : [biased], attr: actAttr });
  return out;
}

/** A copy of the GraphDef topology with the affected nodes split; `split` names them. */
export function splitTransposedBiasMatMuls(topology: JsonRecord): { topology: JsonRecord; split: string[] } {
  const nodes = topology['node'];
  if (!Array.isArray(nodes)) return { topology, split: [] };
  const split: string[] = [];
  const rewritten = nodes.flatMap((node: unknown) => {
    if (!isRecord(node)) return [node];
    const replacement = unfuse(node);
    if (!replacement) return [node];
    split.push(String(node['name']));
    return replacement;
  });
  return { topology: split.length > 0 ? { ...topology, node: rewritten } : topology, split };
}
