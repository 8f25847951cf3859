/**
 * The one short name of a layer, used wherever a layer is named in little room: the depth charts' ticks,
 * the trajectory legends, the layer table, the layer detail's heading and the Layers view. PyTorch's
 * ONNX export names every tensor "/<module path>/<Op>[_<i>]_output_<n>" ("/block/relu_out/Relu_output_0"):
 * the module path says which layer it is, the rest is the exporter's boilerplate. Cutting such names in
 * the middle ("/block1…utput_0") kept the boilerplate and dropped the meaning, so the boilerplate is
 * dropped instead. Names that are not the exporter's pattern (TF.js layers, "logits", tensors named by
 * hand) are shown as they are. The full tensor name always stays in the tooltips and accessible labels.
 */

/** "/<module path>/<Op>[_<index>]_output_<n>", the module path optional (a functional op at the root). */
const EXPORTED = /^\/(?:(.+)\/)?([A-Za-z][A-Za-z0-9]*)(?:_(\d+))?_output_(\d+)$/;

interface ExportedParts {
  modulePath: string | undefined;
  /** The op with its index when the exporter numbered it ("Relu_1"). */
  op: string;
  numbered: boolean;
  output: string;
}

function exportedParts(tensorName: string): ExportedParts | null {
  const m = EXPORTED.exec(tensorName);
  if (!m) return null;
  const [, modulePath, op, index, output] = m;
  return { modulePath, op: index === undefined ? op! : `${op}_${index}`, numbered: index !== undefined, output: output! };
}

const withOutput = (base: string, output: string): string => (output === '0' ? base : `${base} (output ${output})`);

/**
 * A layer's short name, on its own: the module path ("/relu_fc/Relu_output_0" -> "relu_fc"), the op where
 * the module path says nothing more ("/Flatten_output_0" -> "Flatten", "/block/Relu_1_output_0" ->
 * "block/Relu_1": a numbered op is one of several in its module), and which output when not the first.
 */
export function shortLayerName(tensorName: string): string {
  const parts = exportedParts(tensorName);
  if (!parts) return tensorName;
  const base = parts.modulePath === undefined ? parts.op : parts.numbered ? `${parts.modulePath}/${parts.op}` : parts.modulePath;
  return withOutput(base, parts.output);
}

/** The short name with its op kept: what tells apart two tensors of one module ("block/Add", "block/Relu"). */
function shortNameWithOp(tensorName: string): string {
  const parts = exportedParts(tensorName);
  if (!parts) return tensorName;
  return withOutput(parts.modulePath === undefined ? parts.op : `${parts.modulePath}/${parts.op}`, parts.output);
}

/**
 * The short names of a model's layers, in a map from the full name. Two layers never read the same:
 * where two short names collide (two ops of one module) they keep their op, and where even that
 * collides they keep their full name.
 */
export function shortLayerNames(tensorNames: readonly string[]): Map<string, string> {
  const unique = [...new Set(tensorNames)];
  const pass = (names: readonly string[], rule: (n: string) => string): Map<string, string> => {
    const short = new Map(names.map((n) => [n, rule(n)]));
    const counts = new Map<string, number>();
    for (const s of short.values()) counts.set(s, (counts.get(s) ?? 0) + 1);
    return new Map([...short].filter(([, s]) => counts.get(s) === 1));
  };
  const result = new Map<string, string>();
  const first = pass(unique, shortLayerName);
  const left = unique.filter((n) => !first.has(n));
  const second = pass(left, shortNameWithOp);
  // A short name of the second pass could equal one of the first: only those still unique overall stay.
  const taken = new Set(first.values());
  for (const n of unique) {
    const s = first.get(n) ?? (second.has(n) && !taken.has(second.get(n)!) ? second.get(n)! : n);
    result.set(n, s);
  }
  return result;
}

/** A namer for one model's layers: the short name of each of `tensorNames`, or the name itself for any other. */
export function layerNamer(tensorNames: readonly string[]): (tensorName: string) => string {
  const names = shortLayerNames(tensorNames);
  return (tensorName) => names.get(tensorName) ?? shortLayerName(tensorName);
}

/**
 * A layer's size in words: "D = 128" for a flat layer (not "128 = 128"), "64×7×7, D = 3,136" for a
 * feature map, whose shape says what D is made of.
 */
export function layerSizeText(shape: readonly number[], dim: number): string {
  const d = `D = ${dim.toLocaleString('en-US')}`;
  const flat = shape.length === 0 || (shape.length === 1 && shape[0] === dim);
  return flat ? d : `${shape.join('×')}, ${d}`;
}
