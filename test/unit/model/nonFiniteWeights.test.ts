/**
 * NaN weights are named as NaN weights when the model is loaded, not reported later as "class means
 * coincide" (every feature NaN). Infinite weights are refused where they can only be damage.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { onnx } from 'onnx-proto';
import { assertFiniteWeights, loadModelGraph } from '../../../src/engine/analyze/loadModel';
import { analyzeCheckpoint } from '../../../src/engine/analyze/pipeline';
import { fixtureRequest, silentHooks } from '../pipeline/helpers/analyze';
import { modelPath } from '../pipeline/helpers/paths';
import { rejection } from '../helpers/rejection';
import { GRAPH_MLP, LAYERS_MLP, copyFixture } from './tfjs/helpers';
import { buildModel, floatTensor, node, tempFolder, valueInfo, writeModel } from './onnx/builders';
import { mlp } from './onnx/models';

/** Byte offset of fc2/bias in the MLP fixtures' one shard: after fc1/kernel (784 x 128), fc1/bias (128), fc2/kernel (128 x 64). */
const FC2_BIAS = (784 * 128 + 128 + 128 * 64) * 4;

function poisonShard(modelJson: string, value: number, index: number): void {
  const shard = path.join(path.dirname(modelJson), 'weights.bin');
  const bytes = fs.readFileSync(shard);
  bytes.writeFloatLE(value, FC2_BIAS + 4 * index);
  fs.writeFileSync(shard, bytes);
}

const refusal = (modelFile: string): Promise<string> => rejection(async () => assertFiniteWeights(await loadModelGraph(modelFile)));

test('a TF.js layers model with a NaN in a weight shard is refused at load, naming the weight', async () => {
  const modelJson = copyFixture(LAYERS_MLP);
  try {
    poisonShard(modelJson, NaN, 5);
    const message = await refusal(modelJson);
    assert.match(message, /model\.json: NaN weights in "fc2\/bias" \(1 NaN of 64 values, first at flat index 5\)/);
    assert.doesNotMatch(message, /coincide/);
    // The whole analysis stops there, before any sample is read.
    await assert.rejects(analyzeCheckpoint(fixtureRequest('mlp', { checkpoint: modelJson }), silentHooks), /NaN weights in "fc2\/bias"/);
  } finally {
    fs.rmSync(path.dirname(modelJson), { recursive: true, force: true });
  }
});

test('an infinite weight is refused in a layers model (all learned) but allowed in a graph model (could be a -inf mask constant)', async () => {
  const layers = copyFixture(LAYERS_MLP);
  const graph = copyFixture(GRAPH_MLP);
  try {
    poisonShard(layers, -Infinity, 0);
    assert.match(await refusal(layers), /infinite weights in "fc2\/bias" \(1 infinite of 64 values, first at flat index 0\)/);
    poisonShard(graph, -Infinity, 0);
    await loadModelGraph(graph).then(assertFiniteWeights);
    poisonShard(graph, NaN, 1);
    assert.match(await refusal(graph), /NaN and infinite weights in "fc2\/bias" \(1 NaN and 1 infinite of 64 values/);
  } finally {
    fs.rmSync(path.dirname(layers), { recursive: true, force: true });
    fs.rmSync(path.dirname(graph), { recursive: true, force: true });
  }
});

test('an ONNX model with a NaN initializer is refused at load naming it; an infinite constant outside a parameter input is not', async () => {
  const folder = await tempFolder();
  try {
    const proto = onnx.ModelProto.decode(mlp('gemm-transB1'));
    const w2 = proto.graph!.initializer!.find((t) => t.name === 'W2')!;
    const values = new Float32Array(new Uint8Array(w2.rawData!).buffer);
    values[4] = NaN;
    w2.rawData = new Uint8Array(values.buffer);
    const nan = await writeModel(folder.dir, 'nan.onnx', onnx.ModelProto.encode(proto).finish());
    assert.match(await refusal(nan), /nan\.onnx: NaN weights in "W2" \(1 NaN of 6 values, first at flat index 4\)/);

    // -inf in a mask added to the input (not a parameter): a legitimate model.
    const masked = buildModel({
      inputs: [valueInfo('x', ['N', 4])],
      outputs: [valueInfo('out', ['N', 2])],
      initializers: [floatTensor('mask', [4], [0, 0, 0, -Infinity]), floatTensor('W', [2, 4], [1, 0, 0, 0, 0, 1, 0, 0]), floatTensor('b', [2], [0, 0])],
      nodes: [node('Add', ['x', 'mask'], ['xm']), node('Max', ['xm', 'x'], ['h']), node('Gemm', ['h', 'W', 'b'], ['out'], [{ name: 'transB', type: onnx.AttributeProto.AttributeType.INT, i: 1 }])],
    });
    await loadModelGraph(await writeModel(folder.dir, 'mask.onnx', masked)).then(assertFiniteWeights);
    // The same -inf in the classifier's weights is damage.
    const broken = onnx.ModelProto.decode(masked);
    broken.graph!.initializer!.find((t) => t.name === 'W')!.rawData = new Uint8Array(Float32Array.from([1, 0, 0, 0, 0, Infinity, 0, 0]).buffer);
    assert.match(await refusal(await writeModel(folder.dir, 'inf.onnx', onnx.ModelProto.encode(broken).finish())), /infinite weights in "W" \(1 infinite of 8 values, first at flat index 5\)/);
  } finally {
    await folder.remove();
  }
});

test('the ONNX fixture MLP with one NaN weight stops analyze before pass 1', async () => {
  const folder = await tempFolder();
  try {
    const proto = onnx.ModelProto.decode(fs.readFileSync(modelPath('mlp')));
    const first = proto.graph!.initializer!.find((t) => t.dataType === onnx.TensorProto.DataType.FLOAT && t.rawData && t.rawData.byteLength >= 8)!;
    const raw = new Uint8Array(first.rawData!);
    new DataView(raw.buffer).setFloat32(4, NaN, true);
    first.rawData = raw;
    const checkpoint = await writeModel(folder.dir, 'mlp-nan.onnx', onnx.ModelProto.encode(proto).finish());
    await assert.rejects(analyzeCheckpoint(fixtureRequest('mlp', { checkpoint }), silentHooks), new RegExp(`mlp-nan\\.onnx: NaN weights in "${first.name!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}" \\(1 NaN of \\d+ values, first at flat index 1\\)`));
  } finally {
    await folder.remove();
  }
});
