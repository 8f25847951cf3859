import { arrayAt, isRecord, recordAt, stringAt, type JsonRecord } from './json';

export type TfjsModelKind = 'tfjs-layers' | 'tfjs-graph' | 'other';

export interface TfjsSniffResult {
  kind: TfjsModelKind;
  /** Why it is not a TF.js model ("not a TF.js model: ..."); absent for the two TF.js kinds. */
  reason?: string;
}

const KERAS_MODEL_CLASSES = new Set(['Sequential', 'Model', 'Functional']);

function other(why: string): TfjsSniffResult {
  return { kind: 'other', reason: `not a TF.js model: ${why}` };
}

/**
 * The Keras model config inside a LayersModel topology: tfjs-layers writes it at the top of
 * `modelTopology`, the Python converter nests it under `model_config`.
 */
export function kerasModelConfig(topology: JsonRecord): JsonRecord | undefined {
  const nested = recordAt(topology, 'model_config');
  const candidate = nested ?? topology;
  const className = stringAt(candidate, 'class_name');
  return className !== undefined && KERAS_MODEL_CLASSES.has(className) && candidate['config'] !== undefined
    ? candidate
    : undefined;
}

/**
 * Tells the kinds of model.json apart by content alone (never by file name): a LayersModel has a Keras
 * model config (`class_name` Sequential/Model/Functional with a `config`), a GraphModel has a TensorFlow
 * GraphDef (`modelTopology.node`). The `format` field is a hint that must agree with the content.
 */
export function sniffTfjsModelJson(json: unknown): TfjsSniffResult {
  if (!isRecord(json)) return other('the JSON is not an object');
  const format = stringAt(json, 'format');
  const topology = json['modelTopology'];
  if (topology === undefined) {
    const hint = json['graph'] !== undefined || json['opsetImport'] !== undefined ? ' (it looks like an ONNX model in JSON form)' : '';
    return other(`it has no "modelTopology" field${hint}`);
  }
  if (!isRecord(topology)) return other('"modelTopology" is not an object');
  const isGraph = arrayAt(topology, 'node') !== undefined;
  const isLayers = kerasModelConfig(topology) !== undefined;
  if (format === 'graph-model') {
    return isGraph ? { kind: 'tfjs-graph' } : other('"format" is "graph-model" but "modelTopology" has no "node" list');
  }
  if (format === 'layers-model') {
    return isLayers
      ? { kind: 'tfjs-layers' }
      : other('"format" is "layers-model" but "modelTopology" has no Keras model config (class_name Sequential/Model/Functional with a config)');
  }
  if (isGraph) return { kind: 'tfjs-graph' };
  if (isLayers) return { kind: 'tfjs-layers' };
  const className = stringAt(recordAt(topology, 'model_config') ?? topology, 'class_name');
  if (className !== undefined && KERAS_MODEL_CLASSES.has(className)) return other(`"modelTopology" is a Keras ${className} without its "config"`);
  return other(
    className !== undefined
      ? `"modelTopology" has class_name "${className}", not a Keras model (Sequential, Model, Functional)`
      : '"modelTopology" has neither a Keras model config (class_name/config) nor a GraphDef node list',
  );
}
