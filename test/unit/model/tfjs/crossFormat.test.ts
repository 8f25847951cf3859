import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { loadTfjsModelGraph } from '../../../../src/core/model/tfjs';
import { createTfjsRunner } from '../../../../src/engine/backends/tfjsRunner';
import { GRAPH_MLP, LAYERS_MLP, relativeError, seededUniform } from './helpers';
import { ONNX_NAME_OF_PROBE, onnxTwinOfMlp } from './onnxTwin';

const N = 8;

test('TF.js (LayersModel and GraphModel) and onnxruntime give the same per-probe features to 1e-4', async () => {
  const x = seededUniform(N * 784, 2024);
  const session = await ort.InferenceSession.create(onnxTwinOfMlp(LAYERS_MLP), { executionProviders: ['cpu'] });
  const onnxOut = await session.run({ x: new ort.Tensor('float32', x, [N, 28, 28, 1]) });
  const fromOnnx = (name: string): Float32Array => onnxOut[name].data as Float32Array;

  const probes = Object.keys(ONNX_NAME_OF_PROBE);
  const layers = await createTfjsRunner(loadTfjsModelGraph(LAYERS_MLP), { provider: 'cpu', threads: 1, fetch: probes });
  const graphProbes: Record<string, string> = { fc1: 'fc1/Relu', fc2: 'fc2/Relu', logits: 'classifier/BiasAdd', probs: 'classifier/Softmax' };
  const graph = await createTfjsRunner(loadTfjsModelGraph(GRAPH_MLP), { provider: 'cpu', threads: 1, fetch: Object.values(graphProbes) });
  try {
    const fromLayers = await layers.run(x, N);
    for (const probe of probes) {
      const onnxName = ONNX_NAME_OF_PROBE[probe];
      const err = relativeError(fromLayers.get(probe) as Float32Array, fromOnnx(onnxName));
      assert.ok(err < 1e-4, `LayersModel ${probe} vs ONNX ${onnxName}: relative error ${err}`);
    }
    const fromGraph = await graph.run(x, N);
    for (const [onnxName, node] of Object.entries(graphProbes)) {
      const err = relativeError(fromGraph.get(node) as Float32Array, fromOnnx(onnxName));
      assert.ok(err < 1e-4, `GraphModel ${node} vs ONNX ${onnxName}: relative error ${err}`);
    }
  } finally {
    await layers.dispose();
    await graph.dispose();
    await session.release();
  }
});
