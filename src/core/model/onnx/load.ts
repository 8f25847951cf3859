import { readFile } from 'node:fs/promises';
import { onnx } from 'onnx-proto';
import { autoProbeNames } from './autoProbes';
import { findClassifier } from './classifier';
import { inlineExternalData } from './externalData';
import { buildGraphIndex } from './graphIndex';
import { readInputSpec } from './inputSpec';
import { listOnnxLayers } from './layers';
import { detectTokenModel } from './tokens';
import { findLogits } from './patterns';
import type { OnnxModel } from './types';
import { messageOf } from '../../messageOf';
import { describeFsError } from '../../dataset/fileAccess';

/** Decodes ONNX bytes, failing with the file's name when they are not a ModelProto with a graph. */
export function decodeOnnxModel(bytes: Uint8Array, path: string): onnx.ModelProto {
  let model: onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (error) {
    const why = messageOf(error);
    throw new Error(`${path} is not a valid ONNX model: it does not decode as an ONNX protobuf (truncated or another format: ${why})`);
  }
  if (!model.graph || (model.graph.node ?? []).length === 0) {
    throw new Error(`${path} is not a valid ONNX model: it holds no graph nodes`);
  }
  return model;
}

/** An ONNX checkpoint decoded, its external data (if any) inlined: what every reader of the file starts from. */
export async function readOnnxModel(path: string): Promise<onnx.ModelProto> {
  let bytes: Uint8Array;
  try {
    const buffer = await readFile(path);
    bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  } catch (error) {
    throw describeFsError(path, error);
  }
  const proto = decodeOnnxModel(bytes, path);
  await inlineExternalData(proto, path);
  return proto;
}

/** Reads an ONNX checkpoint's graph: input, layers with the auto probes marked, and the classifier. */
export async function loadOnnxGraph(path: string): Promise<OnnxModel> {
  const proto = await readOnnxModel(path);
  const index = buildGraphIndex(proto, path);
  const input = readInputSpec(index, path);
  const logits = findLogits(index);
  const search = findClassifier(index);
  const special = [logits.logits, ...(search.classifier ? [search.classifier.inputLayer] : [])];
  const layers = listOnnxLayers(index, autoProbeNames(index, special));
  // Without a classifier, K is the logits' per-sample size when declared (N x K, or N x K x 1 x 1 from a conv head).
  const perSample = index.shapes.get(logits.logits)?.slice(1) ?? [];
  const declaredK = perSample.length > 0 && perSample.every((d): d is number => typeof d === 'number')
    ? perSample.reduce((a, b) => a * b, 1)
    : null;
  const tokens = detectTokenModel(index);
  return {
    format: 'onnx',
    path,
    input,
    layers,
    classifier: search.classifier,
    ...(search.classifier ? {} : { classifierUnavailable: search.reason }),
    numOutputs: search.classifier?.numClasses ?? declaredK,
    proto,
    outputs: index.outputNames,
    logitsLayer: logits.logits,
    ...(tokens ? { tokens } : {}),
  };
}
