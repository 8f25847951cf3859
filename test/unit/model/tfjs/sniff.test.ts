import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { sniffTfjsModelJson } from '../../../../src/core/model/tfjs';
import { GRAPH_MLP, LAYERS_MLP } from './helpers';

const read = (file: string): unknown => JSON.parse(fs.readFileSync(file, 'utf8'));

test('the committed LayersModel and GraphModel fixtures are told apart by content', () => {
  assert.deepEqual(sniffTfjsModelJson(read(LAYERS_MLP)), { kind: 'tfjs-layers' });
  assert.deepEqual(sniffTfjsModelJson(read(GRAPH_MLP)), { kind: 'tfjs-graph' });
});

test('the format field is not needed: content alone decides', () => {
  const layers = read(LAYERS_MLP) as Record<string, unknown>;
  const graph = read(GRAPH_MLP) as Record<string, unknown>;
  delete layers['format'];
  delete graph['format'];
  assert.equal(sniffTfjsModelJson(layers).kind, 'tfjs-layers');
  assert.equal(sniffTfjsModelJson(graph).kind, 'tfjs-graph');
});

test('a Python-converted LayersModel (topology under model_config) is a LayersModel', () => {
  const json = read(LAYERS_MLP) as Record<string, unknown>;
  json['modelTopology'] = { keras_version: '2.15.0', backend: 'tensorflow', model_config: json['modelTopology'] };
  assert.equal(sniffTfjsModelJson(json).kind, 'tfjs-layers');
});

test('other JSON files are refused with the reason', () => {
  const cases: [unknown, RegExp][] = [
    [[1, 2], /not an object/],
    [{ name: 'package', version: '1.0.0' }, /no "modelTopology"/],
    [{ irVersion: 8, graph: { node: [] } }, /ONNX/],
    [{ modelTopology: { class_name: 'Dense', config: {} } }, /class_name "Dense", not a Keras model/],
    [{ modelTopology: { foo: 1 } }, /neither a Keras model config .* nor a GraphDef node list/],
    [{ format: 'graph-model', modelTopology: { class_name: 'Sequential', config: { layers: [] } } }, /"graph-model" but .* no "node" list/],
    [{ format: 'layers-model', modelTopology: { node: [] } }, /"layers-model" but .* no Keras model config/],
  ];
  for (const [json, why] of cases) {
    const result = sniffTfjsModelJson(json);
    assert.equal(result.kind, 'other', JSON.stringify(json));
    assert.match(result.reason ?? '', /^not a TF\.js model: /);
    assert.match(result.reason ?? '', why);
  }
});
