/**
 * The checkpoint hash (result JSON `checkpoint.sha256`, and the key of stored runs) must change when the
 * weights change, wherever the weights live; and stay the file's own sha256 for a self-contained .onnx.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { checkpointFiles, checkpointSha256 } from '../../../src/core/model/checkpointContent';
import { modelPath } from '../pipeline/helpers/paths';
import { copyFixture, LAYERS_MLP } from './tfjs/helpers';
const sha256 = (...parts: Uint8Array[]): string => parts.reduce((h, p) => h.update(p), createHash('sha256')).digest('hex');

test('a self-contained .onnx is its own file, hashed as before', async () => {
  const path = modelPath('mlp');
  assert.deepEqual(await checkpointFiles(path), [path]);
  assert.equal(await checkpointSha256(path), sha256(await readFile(path)));
});

test('a TF.js model.json is hashed with its weight shards: retraining in place gives another hash', async () => {
  const modelJson = copyFixture(LAYERS_MLP);
  const dir = dirname(modelJson);
  try {
    const shard = join(dir, 'weights.bin');
    assert.deepEqual(await checkpointFiles(modelJson), [modelJson, shard]);
    const before = await checkpointSha256(modelJson);
    assert.equal(before, sha256(await readFile(modelJson), await readFile(shard)));
    const weights = await readFile(shard);
    weights[weights.length - 1] ^= 0x40;
    await writeFile(shard, weights);
    assert.notEqual(await checkpointSha256(modelJson), before, 'new weights under the same model.json must not look like the stored run');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a model.json whose shard is missing is hashed alone (the analysis reports the missing shard)', async () => {
  const modelJson = copyFixture(LAYERS_MLP);
  const dir = dirname(modelJson);
  try {
    await unlink(join(dir, 'weights.bin'));
    assert.deepEqual(await checkpointFiles(modelJson), [modelJson]);
    assert.equal(await checkpointSha256(modelJson), sha256(await readFile(modelJson)));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
