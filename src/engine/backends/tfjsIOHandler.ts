import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { isRecord, type JsonRecord } from '../../core/model/tfjs/json';
import { loadTfjsModelGraph, readAllShards, type TfjsModelGraph } from '../../core/model/tfjs';

type Artifacts = tf.io.ModelArtifacts;

/** The model.json fields tfjs reads besides the topology and weights, passed through untouched. */
function passThrough(json: Record<string, unknown>): Partial<Artifacts> {
  const out: Partial<Artifacts> = {};
  if (typeof json['format'] === 'string') out.format = json['format'];
  if (typeof json['generatedBy'] === 'string') out.generatedBy = json['generatedBy'];
  if (typeof json['convertedBy'] === 'string' || json['convertedBy'] === null) out.convertedBy = json['convertedBy'];
  if (isRecord(json['signature'])) out.signature = json['signature'];
  if (isRecord(json['modelInitializer'])) out.modelInitializer = json['modelInitializer'];
  if (isRecord(json['initializerSignature'])) out.initializerSignature = json['initializerSignature'];
  if (isRecord(json['userDefinedMetadata'])) out.userDefinedMetadata = json['userDefinedMetadata'] as Artifacts['userDefinedMetadata'];
  // The training config only matters to model.fit; tfjs validates it when it compiles the model.
  if (isRecord(json['trainingConfig'])) out.trainingConfig = json['trainingConfig'] as unknown as Artifacts['trainingConfig'];
  return out;
}

/**
 * A tf.io handler that loads from an already checked graph description: the topology from model.json,
 * the weights read from the shards the core resolved (inside the model's folder, sizes checked).
 */
export function graphLoadHandler(graph: TfjsModelGraph, rewriteTopology?: (topology: JsonRecord) => JsonRecord): tf.io.IOHandler {
  return { load: async () => artifactsOf(graph, rewriteTopology) };
}

function artifactsOf(graph: TfjsModelGraph, rewriteTopology?: (topology: JsonRecord) => JsonRecord): Artifacts {
  const topology = isRecord(graph.modelJson['modelTopology']) ? graph.modelJson['modelTopology'] : {};
  return {
    ...passThrough(graph.modelJson),
    modelTopology: rewriteTopology ? rewriteTopology(topology) : topology,
    // The core's spec type mirrors tfjs's WeightsManifestEntry field for field.
    weightSpecs: graph.weightGroups.flatMap((g) => g.weights) as tf.io.WeightsManifestEntry[],
    // One buffer per shard: tfjs reads weights that straddle shard boundaries itself.
    weightData: readAllShards(graph.weightGroups),
  };
}

/** Saves a model as model.json + one weights file in `folder` (used by the fixture script and tests). */
function saveTo(folder: string, weightsFileName: string) {
  return async (artifacts: Artifacts): Promise<tf.io.SaveResult> => {
    if (artifacts.modelTopology instanceof ArrayBuffer) throw new Error('cannot save a binary (protobuf) topology as model.json');
    fs.mkdirSync(folder, { recursive: true });
    const weightSpecs = artifacts.weightSpecs ?? [];
    const weightData = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
    const modelJson: Record<string, unknown> = {
      format: artifacts.format,
      generatedBy: artifacts.generatedBy,
      convertedBy: artifacts.convertedBy ?? null,
      modelTopology: artifacts.modelTopology,
      weightsManifest: [{ paths: [weightsFileName], weights: weightSpecs }],
    };
    if (artifacts.trainingConfig) modelJson['trainingConfig'] = artifacts.trainingConfig;
    if (artifacts.signature) modelJson['signature'] = artifacts.signature;
    if (artifacts.userDefinedMetadata) modelJson['userDefinedMetadata'] = artifacts.userDefinedMetadata;
    fs.writeFileSync(path.join(folder, weightsFileName), new Uint8Array(weightData));
    fs.writeFileSync(path.join(folder, 'model.json'), JSON.stringify(modelJson));
    return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON({ ...artifacts, weightData }) };
  };
}

/**
 * A file IOHandler for a model.json path: `load` goes through the core's checks (manifest paths stay in
 * the folder, shard sizes match the specs), `save` writes model.json + `weights.bin` next to it.
 */
export function tfjsFileIOHandler(modelJsonPath: string, weightsFileName = 'weights.bin'): tf.io.IOHandler {
  return {
    load: async () => artifactsOf(loadTfjsModelGraph(modelJsonPath)),
    save: saveTo(path.dirname(path.resolve(modelJsonPath)), weightsFileName),
  };
}
