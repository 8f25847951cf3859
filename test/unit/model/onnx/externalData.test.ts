import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, readFile, realpath, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadOnnxGraph } from '../../../../src/core/model/onnx';
import { checkpointFiles, checkpointSha256 } from '../../../../src/core/model/checkpointContent';
import { B1, B2, W1, W2, buildModel, externalFloatTensor, floatTensor, intAttr, node, tempFolder, valueInfo, writeModel } from './builders';

/** The MLP with W1 and W2 stored in `location` (W1's 48 bytes, then W2's 24), biases inline. */
function externalMlp(location: string): Uint8Array {
  return buildModel({
    inputs: [valueInfo('x', ['N', 4])],
    outputs: [valueInfo('out', ['N', 2])],
    initializers: [
      externalFloatTensor('W1', [3, 4], location, 0, 48),
      floatTensor('B1', [3], B1),
      externalFloatTensor('W2', [2, 3], location, 48, 24),
      floatTensor('B2', [2], B2),
    ],
    nodes: [
      node('Gemm', ['x', 'W1', 'B1'], ['h'], [intAttr('transB', 1)]),
      node('Relu', ['h'], ['r']),
      node('Gemm', ['r', 'W2', 'B2'], ['out'], [intAttr('transB', 1)]),
    ],
  });
}

const weightBytes = (): Uint8Array => new Uint8Array(Float32Array.from([...W1, ...W2]).buffer);

test('external data beside the model is read into the model (classifier from the .bin)', async () => {
  const folder = await tempFolder();
  try {
    await mkdir(join(folder.dir, 'data'));
    await writeFile(join(folder.dir, 'data', 'weights.bin'), weightBytes());
    const model = await loadOnnxGraph(await writeModel(folder.dir, 'model.onnx', externalMlp('data/weights.bin')));
    assert.deepEqual(Array.from(model.classifier?.W ?? []), W2);
    const w1 = model.proto.graph?.initializer?.find((t) => t.name === 'W1');
    assert.equal(w1?.dataLocation, 0, 'inlined: no longer external');
    assert.deepEqual(Array.from(new Float32Array(Uint8Array.from(w1?.rawData ?? []).buffer)), W1);
  } finally {
    await folder.remove();
  }
});

for (const [what, location] of [['a parent-folder path', '../weights.bin'], ['an absolute path', '/etc/passwd']]) {
  test(`external data at ${what} is refused`, async () => {
    const folder = await tempFolder();
    try {
      await mkdir(join(folder.dir, 'model'));
      await writeFile(join(folder.dir, 'weights.bin'), weightBytes());
      const path = await writeModel(join(folder.dir, 'model'), 'model.onnx', externalMlp(location));
      await assert.rejects(loadOnnxGraph(path), (e: Error) => {
        assert.ok(e.message.startsWith(`${path}: refusing external data "${location}" of tensor "W1"`), e.message);
        return true;
      });
    } finally {
      await folder.remove();
    }
  });
}

test('external data through a symlink that leaves the folder is refused', async () => {
  const folder = await tempFolder();
  try {
    await mkdir(join(folder.dir, 'model'));
    await writeFile(join(folder.dir, 'weights.bin'), weightBytes());
    await symlink(join(folder.dir, 'weights.bin'), join(folder.dir, 'model', 'weights.bin'));
    const path = await writeModel(join(folder.dir, 'model'), 'model.onnx', externalMlp('weights.bin'));
    await assert.rejects(loadOnnxGraph(path), /refusing external data "weights.bin" .* outside the model's folder/);
  } finally {
    await folder.remove();
  }
});

test('a missing or short external data file is reported with the tensor', async () => {
  const folder = await tempFolder();
  try {
    const path = await writeModel(folder.dir, 'model.onnx', externalMlp('weights.bin'));
    await assert.rejects(loadOnnxGraph(path), /external data file "weights.bin" of tensor "W1" was not found beside the model/);
    await writeFile(join(folder.dir, 'weights.bin'), weightBytes().subarray(0, 60));
    await assert.rejects(loadOnnxGraph(path), /"weights.bin" is too short for tensor "W2" \(60 bytes, needs 72\)/);
  } finally {
    await folder.remove();
  }
});

test('the checkpoint hash covers the external data: new weights in the same .bin change it, the .onnx unchanged', async () => {
  const folder = await tempFolder();
  try {
    await mkdir(join(folder.dir, 'data'));
    const bin = join(folder.dir, 'data', 'weights.bin');
    await writeFile(bin, weightBytes());
    const path = await writeModel(folder.dir, 'model.onnx', externalMlp('data/weights.bin'));
    assert.deepEqual(await checkpointFiles(path), [path, await realpath(bin)]);
    const before = await checkpointSha256(path);
    const retrained = weightBytes();
    retrained[0] ^= 1;
    await writeFile(bin, retrained);
    const after = await checkpointSha256(path);
    assert.notEqual(after, before, 'retrained weights in the external file must give another checkpoint hash');
    const expected = createHash('sha256').update(await readFile(path)).update(retrained).digest('hex');
    assert.equal(after, expected, 'the hash is sha256 of the .onnx bytes followed by the external file');
  } finally {
    await folder.remove();
  }
});
