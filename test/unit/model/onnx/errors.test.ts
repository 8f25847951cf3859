import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadOnnxGraph } from '../../../../src/core/model/onnx';
import { buildModel, node, tempFolder, valueInfo, writeModel } from './builders';
import { mlp, twoInputs } from './models';

async function withFile<T>(file: string, bytes: Uint8Array | string, body: (path: string) => Promise<T>): Promise<T> {
  const folder = await tempFolder();
  try {
    return await body(await writeModel(folder.dir, file, typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes));
  } finally {
    await folder.remove();
  }
}

test('two graph inputs: the error names both', async () => {
  await withFile('two.onnx', twoInputs(), async (path) => {
    await assert.rejects(loadOnnxGraph(path), (e: Error) => {
      assert.ok(e.message.startsWith(path), e.message);
      assert.match(e.message, /exactly one input, but this one has 2 \("image", "mask"\)/);
      return true;
    });
  });
});

test('a truncated model: the error names the file and says it is not a valid ONNX model', async () => {
  const bytes = mlp('gemm-transB1');
  await withFile('cut.onnx', bytes.subarray(0, Math.floor(bytes.length * 0.6)), async (path) => {
    await assert.rejects(loadOnnxGraph(path), (e: Error) => {
      assert.match(e.message, new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is not a valid ONNX model`));
      return true;
    });
  });
});

test('a JSON file and a text file are not ONNX models', async () => {
  for (const [file, text] of [['model.json', '{"modelTopology": {}}'], ['notes.onnx', 'just some text\n']]) {
    await withFile(file, text, async (path) => {
      await assert.rejects(loadOnnxGraph(path), (e: Error) => e.message.includes(`${path} is not a valid ONNX model`));
    });
  }
});

test('a missing file says so', async () => {
  await assert.rejects(loadOnnxGraph('/nonexistent/model.onnx'), /\/nonexistent\/model.onnx: no such file or directory/);
});

test('an integer model input is refused with its type', async () => {
  const bytes = buildModel({
    inputs: [valueInfo('ids', ['N', 4], 7)],
    outputs: [valueInfo('out', ['N', 4], 1)],
    nodes: [node('Cast', ['ids'], ['out'], [{ name: 'to', type: 2, i: 1 }])],
  });
  await withFile('ids.onnx', bytes, async (path) => {
    await assert.rejects(loadOnnxGraph(path), /the model input "ids" is int64; Collapse Lens feeds float32 inputs/);
  });
});

test('a node reading a tensor nobody produces is reported', async () => {
  const bytes = buildModel({
    inputs: [valueInfo('x', ['N', 4])],
    outputs: [valueInfo('out', ['N', 4])],
    nodes: [node('Add', ['x', 'ghost'], ['out'])],
  });
  await withFile('ghost.onnx', bytes, async (path) => {
    await assert.rejects(loadOnnxGraph(path), /reads tensor "ghost", which no node, input or initializer provides/);
  });
});
