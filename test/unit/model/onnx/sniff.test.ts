import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sniffCheckpoint } from '../../../../src/core/model/sniff';
import { tempFolder } from './builders';
import { mlp } from './models';

async function sniffContent(file: string, content: Uint8Array | string): Promise<Awaited<ReturnType<typeof sniffCheckpoint>>> {
  const folder = await tempFolder();
  try {
    const path = join(folder.dir, file);
    await writeFile(path, content);
    const result = await sniffCheckpoint(path);
    assert.equal(result.file, path);
    return result;
  } finally {
    await folder.remove();
  }
}

const layersModel = { format: 'layers-model', modelTopology: { class_name: 'Sequential', config: {} }, weightsManifest: [] };
const graphModel = { format: 'graph-model', modelTopology: { node: [{ name: 'x', op: 'Placeholder' }] }, weightsManifest: [] };

test('ONNX is recognised by content, whatever the file is called', async () => {
  assert.deepEqual(await sniffContent('weights.bin', mlp('gemm-transB1')).then((r) => r.kind), 'onnx');
});

test('a truncated ONNX file is unknown, and the reason says truncated', async () => {
  const bytes = mlp('gemm-transB1');
  const result = await sniffContent('cut.onnx', bytes.subarray(0, bytes.length - 7));
  assert.equal(result.kind, 'unknown');
  assert.match(result.reason ?? '', /cut.onnx is truncated/);
});

test('TF.js Layers and Graph models, by format or by topology', async () => {
  assert.equal((await sniffContent('model.json', JSON.stringify(layersModel))).kind, 'tfjs-layers');
  assert.equal((await sniffContent('model.json', JSON.stringify(graphModel))).kind, 'tfjs-graph');
  const { format: _l, ...layersNoFormat } = layersModel;
  const { format: _g, ...graphNoFormat } = graphModel;
  assert.equal((await sniffContent('model.json', JSON.stringify(layersNoFormat))).kind, 'tfjs-layers');
  assert.equal((await sniffContent('model.json', '\uFEFF ' + JSON.stringify(graphNoFormat))).kind, 'tfjs-graph');
});

test('JSON that is not a TF.js model says what is missing', async () => {
  const noTopology = await sniffContent('model.json', '{"weightsManifest": []}');
  assert.equal(noTopology.kind, 'unknown');
  assert.match(noTopology.reason ?? '', /model.json: not a TF.js model: it has no "modelTopology" field/);
  const noConfig = await sniffContent('model.json', JSON.stringify({ modelTopology: { class_name: 'Sequential' } }));
  assert.match(noConfig.reason ?? '', /a Keras Sequential without its "config"/);
  assert.match((await sniffContent('model.json', '{ broken')).reason ?? '', /is not valid JSON/);
});

test('other formats are unknown with a helpful reason', async () => {
  assert.match((await sniffContent('net.pt', new Uint8Array([0x50, 0x4b, 3, 4, 0, 0]))).reason ?? '', /ZIP archive .*PyTorch/);
  assert.match((await sniffContent('net.h5', new Uint8Array([0x89, 0x48, 0x44, 0x46, 13, 10, 26, 10]))).reason ?? '', /HDF5/);
  assert.match((await sniffContent('net.onnx', 'hello world')).reason ?? '', /not an ONNX model/);
  assert.match((await sniffContent('empty.onnx', '')).reason ?? '', /is empty/);
});

test('a folder: its model.json, else its only .onnx file', async () => {
  const folder = await tempFolder();
  try {
    await mkdir(join(folder.dir, 'tfjs'));
    await writeFile(join(folder.dir, 'tfjs', 'model.json'), JSON.stringify(layersModel));
    assert.deepEqual(await sniffCheckpoint(join(folder.dir, 'tfjs')), { kind: 'tfjs-layers', file: join(folder.dir, 'tfjs', 'model.json') });
    await mkdir(join(folder.dir, 'onnx'));
    await writeFile(join(folder.dir, 'onnx', 'net.onnx'), mlp('gemm-transB1'));
    assert.equal((await sniffCheckpoint(join(folder.dir, 'onnx'))).kind, 'onnx');
    await writeFile(join(folder.dir, 'onnx', 'other.onnx'), mlp('gemm-transB1'));
    assert.match((await sniffCheckpoint(join(folder.dir, 'onnx'))).reason ?? '', /holds 2 .onnx files/);
  } finally {
    await folder.remove();
  }
  await assert.rejects(sniffCheckpoint('/nonexistent/model.onnx'), /\/nonexistent\/model\.onnx: no such file or directory/);
});
