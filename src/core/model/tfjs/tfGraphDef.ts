import { TfjsModelError } from './errors';
import { arrayAt, isRecord, recordAt, stringAt, type JsonRecord } from './json';

/** One GraphDef node of a GraphModel's modelTopology. */
export interface TfNode {
  name: string;
  op: string;
  /** Data inputs as (node, output index); control inputs ("^name") dropped. */
  inputs: { node: string; output: number }[];
  attr: JsonRecord;
  /** Position in the JSON (for stable ordering). */
  position: number;
}

export function parseTensorRef(ref: string): { node: string; output: number } {
  const m = /^(.*):(\d+)$/.exec(ref);
  return m ? { node: m[1], output: Number(m[2]) } : { node: ref, output: 0 };
}

export function parseTfNodes(topology: JsonRecord, file: string): TfNode[] {
  const raw = arrayAt(topology, 'node') ?? [];
  const seen = new Set<string>();
  return raw.map((n, position) => {
    if (!isRecord(n)) throw new TfjsModelError(file, `modelTopology.node[${position}] is not an object`);
    const name = stringAt(n, 'name');
    const op = stringAt(n, 'op');
    if (name === undefined || op === undefined) throw new TfjsModelError(file, `modelTopology.node[${position}] has no name or op`);
    if (seen.has(name)) throw new TfjsModelError(file, `node name "${name}" appears twice`);
    seen.add(name);
    const inputs = (arrayAt(n, 'input') ?? [])
      .filter((i): i is string => typeof i === 'string' && !i.startsWith('^'))
      .map(parseTensorRef);
    return { name, op, inputs, attr: recordAt(n, 'attr') ?? {}, position };
  });
}

/** Kahn's order, ties broken by position in the JSON (converters usually write it topologically already). */
export function topologicalOrder(nodes: TfNode[], file: string): TfNode[] {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const waiting = new Map<string, number>();
  const consumers = new Map<string, TfNode[]>();
  for (const n of nodes) {
    const deps = new Set(n.inputs.map((i) => i.node));
    for (const d of deps) {
      if (!byName.has(d)) throw new TfjsModelError(file, `node "${n.name}" reads "${d}", which is not in the graph`);
      consumers.set(d, [...(consumers.get(d) ?? []), n]);
    }
    waiting.set(n.name, deps.size);
  }
  const ready = nodes.filter((n) => waiting.get(n.name) === 0);
  const order: TfNode[] = [];
  while (ready.length > 0) {
    ready.sort((a, b) => a.position - b.position);
    const n = ready.shift() as TfNode;
    order.push(n);
    for (const c of consumers.get(n.name) ?? []) {
      const left = (waiting.get(c.name) ?? 0) - 1;
      waiting.set(c.name, left);
      if (left === 0) ready.push(c);
    }
  }
  if (order.length !== nodes.length) {
    const stuck = nodes.find((n) => (waiting.get(n.name) ?? 0) > 0);
    throw new TfjsModelError(file, `the graph has a cycle through node "${stuck?.name ?? '?'}" (control flow graphs are not supported)`);
  }
  return order;
}

export function boolAttr(node: TfNode, key: string): boolean {
  const v = recordAt(node.attr, key);
  return v?.['b'] === true;
}

/** A string list attribute (fused_ops), stored base64 in GraphDef JSON. */
export function stringListAttr(node: TfNode, key: string): string[] {
  const list = recordAt(recordAt(node.attr, key) ?? {}, 'list');
  const s = list ? arrayAt(list, 's') : undefined;
  return (s ?? []).filter((v): v is string => typeof v === 'string').map((v) => Buffer.from(v, 'base64').toString('utf8'));
}

function dimsOf(shapeProto: JsonRecord | undefined): (number | null)[] | null {
  if (!shapeProto || shapeProto['unknownRank'] === true) return null;
  const dims = arrayAt(shapeProto, 'dim') ?? [];
  return dims.map((d) => {
    const size = isRecord(d) ? d['size'] : undefined;
    const n = typeof size === 'string' ? Number(size) : typeof size === 'number' ? size : Number.NaN;
    return Number.isFinite(n) && n >= 0 ? n : null;
  });
}

/** Placeholder's declared shape (with batch), or null. */
export function placeholderShape(node: TfNode): (number | null)[] | null {
  return dimsOf(recordAt(recordAt(node.attr, 'shape') ?? {}, 'shape'));
}

/** The `_output_shapes` attribute some converters keep: the first output's full shape. */
export function recordedOutputShape(node: TfNode): (number | null)[] | null {
  const list = recordAt(recordAt(node.attr, '_output_shapes') ?? {}, 'list');
  const shapes = list ? arrayAt(list, 'shape') : undefined;
  const first = shapes?.[0];
  return isRecord(first) ? dimsOf(first) : null;
}

/** A Const node's shape from its inline tensor description, when the manifest does not give it. */
export function constShape(node: TfNode): (number | null)[] | null {
  const tensor = recordAt(recordAt(node.attr, 'value') ?? {}, 'tensor');
  return dimsOf(tensor ? recordAt(tensor, 'tensorShape') : undefined);
}
