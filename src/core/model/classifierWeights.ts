/**
 * A checkpoint's classifier (W, b) read from its stored weights alone: no inference session, no
 * dataset, no shape-filling run. ONNX: the graph is decoded and the final Gemm/MatMul's initializers
 * read by the same search the analysis uses (findClassifier); TF.js: the Dense head's kernel and bias
 * are read from their shards by the same graph reader (only those weights' bytes are read). So this
 * and the analysis always find the same classifier, or give the same reason there is none.
 */
import type { ClassifierInfo } from './types';
import type { WeightsFormat } from '../classifierReport';
import { sniffCheckpoint } from './sniff';
import { readOnnxModel } from './onnx/load';
import { buildGraphIndex } from './onnx/graphIndex';
import { findClassifier } from './onnx/classifier';
import { loadTfjsModelGraph } from './tfjs/loadGraph';


export type CheckpointClassifier =
  | { format: WeightsFormat; file: string; classifier: ClassifierInfo; reason?: undefined }
  | { format: WeightsFormat; file: string; classifier: null; reason: string };

async function onnxClassifier(file: string): Promise<CheckpointClassifier> {
  const proto = await readOnnxModel(file);
  const search = findClassifier(buildGraphIndex(proto, file));
  return search.classifier ? { format: 'onnx', file, classifier: search.classifier } : { format: 'onnx', file, classifier: null, reason: search.reason };
}

/**
 * The classifier of the checkpoint at `path` (an .onnx file, a TF.js model.json, or a folder holding
 * one), or null with the loader's reason. Rejects, naming the file, when it is no checkpoint or cannot
 * be read; a model that is fine but has no linear head is not an error.
 */
export async function readCheckpointClassifier(path: string): Promise<CheckpointClassifier> {
  const sniff = await sniffCheckpoint(path);
  switch (sniff.kind) {
    case 'onnx':
      return onnxClassifier(sniff.file);
    case 'tfjs-layers':
    case 'tfjs-graph': {
      const graph = loadTfjsModelGraph(sniff.file);
      return graph.classifier
        ? { format: sniff.kind, file: sniff.file, classifier: graph.classifier }
        : { format: sniff.kind, file: sniff.file, classifier: null, reason: graph.classifierUnavailable ?? 'no final Dense layer was found' };
    }
    case 'unknown':
      throw new Error(sniff.reason ?? `${path}: not an ONNX model or a TensorFlow.js model.json`);
  }
}
