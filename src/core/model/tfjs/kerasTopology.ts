import { TfjsModelError } from './errors';
import { arrayAt, isRecord, recordAt, shapeAt, stringAt, type JsonRecord } from './json';
import { kerasModelConfig } from './sniff';

/** Where a flattened layer reads a tensor: the model's own input, or output `tensor` of a flat layer. */
export type FlatRef = { kind: 'input'; index: number } | { kind: 'layer'; node: string; tensor: number };

/** One call of one leaf layer, with nested models opened up. */
export interface FlatLayerNode {
  /** Unique name: enclosing nested models joined with '/', then the layer name; "@k" marks the k-th call (k > 0) of a shared layer. */
  name: string;
  /** Names of the enclosing nested model layers, outermost first (to find the runtime layer). */
  modelPath: string[];
  /** The layer's own name inside its model. */
  layerName: string;
  className: string;
  config: JsonRecord;
  inputs: FlatRef[];
}

export interface KerasModelInput {
  name: string;
  /** Including the batch dimension (null where free). */
  batchShape: (number | null)[] | null;
}

/** A Keras model with nested models flattened, leaf layer calls in topological order. */
export interface KerasFlatGraph {
  modelName: string;
  inputs: KerasModelInput[];
  nodes: FlatLayerNode[];
  outputs: FlatRef[];
}

const NESTED_MODEL_CLASSES = new Set(['Sequential', 'Model', 'Functional']);

interface LayerEntry {
  name: string;
  className: string;
  config: JsonRecord;
  /** One list of input references per call. */
  calls: RawRef[][];
}

interface RawRef {
  layer: string;
  node: number;
  tensor: number;
}

function rawRefFrom(value: unknown): RawRef | undefined {
  if (Array.isArray(value) && typeof value[0] === 'string') {
    const node = typeof value[1] === 'number' ? value[1] : 0;
    const tensor = typeof value[2] === 'number' ? value[2] : 0;
    return { layer: value[0], node, tensor };
  }
  // Keras 3 writes {class_name: "__keras_tensor__", config: {keras_history: [layer, node, tensor]}}.
  if (isRecord(value) && value['class_name'] === '__keras_tensor__') {
    const config = recordAt(value, 'config');
    return config ? rawRefFrom(config['keras_history']) : undefined;
  }
  return undefined;
}

/** Keras 3 call arguments may nest tensors in lists (Add([a, b])): collect them depth first. */
function collectKeras3Refs(value: unknown, out: RawRef[]): void {
  const ref = isRecord(value) ? rawRefFrom(value) : undefined;
  if (ref) out.push(ref);
  else if (Array.isArray(value)) for (const v of value) collectKeras3Refs(v, out);
}

function parseCalls(entry: JsonRecord): RawRef[][] {
  const inbound = arrayAt(entry, 'inbound_nodes') ?? [];
  return inbound.map((call) => {
    if (Array.isArray(call)) return call.map(rawRefFrom).filter((r): r is RawRef => r !== undefined);
    const refs: RawRef[] = [];
    if (isRecord(call)) collectKeras3Refs(call['args'], refs);
    return refs;
  });
}

/** `input_layers` / `output_layers`: a list of refs, or a single ref when the model has one. */
function parseRefList(config: JsonRecord, key: string): RawRef[] {
  const raw = config[key];
  if (!Array.isArray(raw)) return [];
  const single = rawRefFrom(raw);
  if (single) return [single];
  return raw.map(rawRefFrom).filter((r): r is RawRef => r !== undefined);
}

function parseLayerEntry(raw: unknown, where: string, file: string): LayerEntry {
  if (!isRecord(raw)) throw new TfjsModelError(file, `${where} is not an object`);
  const className = stringAt(raw, 'class_name');
  const config = recordAt(raw, 'config');
  if (className === undefined || config === undefined) throw new TfjsModelError(file, `${where} has no class_name/config`);
  const name = stringAt(raw, 'name') ?? stringAt(config, 'name');
  if (name === undefined) throw new TfjsModelError(file, `${where} (${className}) has no name`);
  return { name, className, config, calls: parseCalls(raw) };
}

function batchShapeOf(config: JsonRecord): (number | null)[] | null {
  const batch = shapeAt(config, 'batch_input_shape') ?? shapeAt(config, 'batch_shape');
  if (batch) return batch;
  const sample = shapeAt(config, 'input_shape');
  return sample ? [null, ...sample] : null;
}

interface FlattenContext {
  file: string;
  nodes: FlatLayerNode[];
}

interface Scope {
  prefix: string;
  modelPath: string[];
}

function nestedConfigOf(entry: LayerEntry, file: string): JsonRecord {
  // A nested model's layer entry is itself a model: {class_name, config} (the entry is the model config).
  const model = kerasModelConfig({ class_name: entry.className, config: entry.config });
  if (!model) throw new TfjsModelError(file, `nested model "${entry.name}" has no readable config`);
  return model;
}

function callName(scope: Scope, layerName: string, call: number): string {
  return `${scope.prefix}${layerName}${call > 0 ? `@${call}` : ''}`;
}

function flattenSequential(model: JsonRecord, scope: Scope, inputs: FlatRef[], ctx: FlattenContext): FlatRef[] {
  const config = model['config'];
  const layerList = Array.isArray(config) ? config : isRecord(config) ? arrayAt(config, 'layers') ?? [] : [];
  let current: FlatRef[] = inputs;
  layerList.forEach((raw, i) => {
    const entry = parseLayerEntry(raw, `${scope.prefix || 'the model '}layers[${i}]`, ctx.file);
    if (entry.className === 'InputLayer') return;
    const first = applyEntry(entry, 0, current, scope, ctx)(0);
    current = first ? [first] : [];
  });
  return current;
}

/** The outputs of one layer call, by output index. */
type Outputs = (tensor: number) => FlatRef | undefined;

/** Applies one call of a layer: a leaf becomes a flat node, a nested model is opened up. */
function applyEntry(entry: LayerEntry, call: number, inputs: FlatRef[], scope: Scope, ctx: FlattenContext): Outputs {
  if (NESTED_MODEL_CLASSES.has(entry.className)) {
    const inner: Scope = { prefix: `${callName(scope, entry.name, call)}/`, modelPath: [...scope.modelPath, entry.name] };
    const outputs = flattenModel(nestedConfigOf(entry, ctx.file), inner, inputs, ctx);
    return (tensor) => outputs[tensor];
  }
  const name = callName(scope, entry.name, call);
  ctx.nodes.push({ name, modelPath: scope.modelPath, layerName: entry.name, className: entry.className, config: entry.config, inputs });
  return (tensor) => ({ kind: 'layer', node: name, tensor });
}

/**
 * Layer configs do not agree on node indices: Keras renumbers the calls inside the saved model from 0,
 * tfjs-layers keeps the runtime index, where a nested model already has a node of its own. Shift the
 * indices of each layer so the highest one referenced lands on its last call.
 */
function nodeIndexOffsets(entries: LayerEntry[], outputs: RawRef[]): Map<string, number> {
  const maxRef = new Map<string, number>();
  const note = (r: RawRef): void => {
    maxRef.set(r.layer, Math.max(maxRef.get(r.layer) ?? -1, r.node));
  };
  for (const e of entries) for (const call of e.calls) call.forEach(note);
  outputs.forEach(note);
  const offsets = new Map<string, number>();
  for (const e of entries) {
    const max = maxRef.get(e.name) ?? -1;
    offsets.set(e.name, e.calls.length > 0 && max >= e.calls.length ? max + 1 - e.calls.length : 0);
  }
  return offsets;
}

function flattenFunctional(model: JsonRecord, scope: Scope, inputs: FlatRef[], ctx: FlattenContext): FlatRef[] {
  const config = recordAt(model, 'config');
  const where = scope.prefix === '' ? 'the model' : `nested model "${scope.prefix.slice(0, -1)}"`;
  if (!config) throw new TfjsModelError(ctx.file, `${where} has no config`);
  const entries = (arrayAt(config, 'layers') ?? []).map((raw, i) => parseLayerEntry(raw, `${where} layers[${i}]`, ctx.file));
  const byName = new Map(entries.map((e) => [e.name, e]));
  const inputRefs = parseRefList(config, 'input_layers');
  const outputRefs = parseRefList(config, 'output_layers');
  const offsets = nodeIndexOffsets(entries, outputRefs);

  // Produced outputs per (layer, call); input layers map to the refs handed in.
  const produced = new Map<string, Outputs>();
  inputRefs.forEach((ref, i) => {
    const given = inputs[i];
    if (!given) throw new TfjsModelError(ctx.file, `${where} has input "${ref.layer}" but is called with ${inputs.length} input(s)`);
    produced.set(`${ref.layer}#0`, (tensor) => (tensor === 0 ? given : undefined));
  });
  const resolve = (r: RawRef): FlatRef | undefined => {
    const call = Math.max(0, r.node - (offsets.get(r.layer) ?? 0));
    return produced.get(`${r.layer}#${call}`)?.(r.tensor);
  };

  const pending: { entry: LayerEntry; call: number }[] = [];
  for (const e of entries) {
    if (e.className === 'InputLayer') continue;
    e.calls.forEach((_, call) => pending.push({ entry: e, call }));
  }
  while (pending.length > 0) {
    const readyAt = pending.findIndex(({ entry, call }) => entry.calls[call].every((r) => resolve(r) !== undefined));
    if (readyAt < 0) {
      const { entry, call } = pending[0];
      const missing = entry.calls[call].find((r) => resolve(r) === undefined);
      const known = missing && byName.has(missing.layer) ? 'a cycle or an unresolved call of' : 'unknown layer';
      throw new TfjsModelError(ctx.file, `${where}: layer "${entry.name}" reads ${known} "${missing?.layer ?? '?'}"`);
    }
    const [{ entry, call }] = pending.splice(readyAt, 1);
    const callInputs = entry.calls[call].map((r) => resolve(r) as FlatRef);
    produced.set(`${entry.name}#${call}`, applyEntry(entry, call, callInputs, scope, ctx));
  }
  return outputRefs.map((r) => {
    const ref = resolve(r);
    if (!ref) throw new TfjsModelError(ctx.file, `${where}: output layer "${r.layer}" is never computed`);
    return ref;
  });
}

function flattenModel(model: JsonRecord, scope: Scope, inputs: FlatRef[], ctx: FlattenContext): FlatRef[] {
  return stringAt(model, 'class_name') === 'Sequential'
    ? flattenSequential(model, scope, inputs, ctx)
    : flattenFunctional(model, scope, inputs, ctx);
}

function topLevelInputs(model: JsonRecord, file: string): KerasModelInput[] {
  const config = model['config'];
  if (stringAt(model, 'class_name') === 'Sequential') {
    const layers = Array.isArray(config) ? config : isRecord(config) ? arrayAt(config, 'layers') ?? [] : [];
    const first = layers[0];
    if (!isRecord(first)) throw new TfjsModelError(file, 'the Sequential model has no layers');
    const firstConfig = recordAt(first, 'config') ?? {};
    const firstName = stringAt(first, 'name') ?? stringAt(firstConfig, 'name') ?? 'input';
    // Keras and tfjs name a Sequential model's implicit input "<first layer>_input".
    const name = stringAt(first, 'class_name') === 'InputLayer' ? firstName : `${firstName}_input`;
    return [{ name, batchShape: batchShapeOf(firstConfig) }];
  }
  if (!isRecord(config)) throw new TfjsModelError(file, 'the model has no config');
  const layers = arrayAt(config, 'layers') ?? [];
  return parseRefList(config, 'input_layers').map((ref) => {
    const layer = layers.find((l) => isRecord(l) && (stringAt(l, 'name') ?? stringAt(recordAt(l, 'config') ?? {}, 'name')) === ref.layer);
    const layerConfig = isRecord(layer) ? recordAt(layer, 'config') ?? {} : {};
    return { name: ref.layer, batchShape: batchShapeOf(layerConfig) };
  });
}

/** Reads a LayersModel topology into leaf layer calls with nested models flattened. */
export function flattenKerasTopology(topology: JsonRecord, file: string): KerasFlatGraph {
  const model = kerasModelConfig(topology);
  if (!model) throw new TfjsModelError(file, 'modelTopology holds no Keras model config');
  const inputs = topLevelInputs(model, file);
  const ctx: FlattenContext = { file, nodes: [] };
  const outputs = flattenModel(model, { prefix: '', modelPath: [] }, inputs.map((_, index) => ({ kind: 'input', index })), ctx);
  const config = model['config'];
  const modelName = (isRecord(config) ? stringAt(config, 'name') : undefined) ?? 'model';
  return { modelName, inputs, nodes: ctx.nodes, outputs };
}
