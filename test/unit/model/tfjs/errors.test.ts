import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadTfjsModelGraph, TfjsModelError } from '../../../../src/core/model/tfjs';
import { copyFixture, editJson, GRAPH_MLP, LAYERS_MLP, tempDir } from './helpers';

/** Runs `check` on a fresh copy of a fixture folder, removed afterwards. */
function withCopy(fixture: string, check: (modelJson: string) => void): void {
  const copy = copyFixture(fixture);
  try {
    check(copy);
  } finally {
    fs.rmSync(path.dirname(copy), { recursive: true, force: true });
  }
}

function setPaths(modelJson: string, paths: string[]): void {
  editJson(modelJson, (json) => {
    (json['weightsManifest'] as { paths: string[] }[])[0].paths = paths;
  });
}

function assertModelError(fn: () => unknown, file: string, message: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof TfjsModelError, String(err));
    assert.equal(err.file, file);
    assert.ok(err.message.startsWith(`${file}: `), err.message);
    assert.match(err.message, message);
    return true;
  });
}

test('a weights path outside the model folder is refused, naming the path', () => {
  for (const fixture of [LAYERS_MLP, GRAPH_MLP]) {
    withCopy(fixture, (modelJson) => {
      const folder = path.dirname(modelJson);
      setPaths(modelJson, ['../weights.bin']);
      assertModelError(() => loadTfjsModelGraph(modelJson), modelJson, /weight file path "\.\.\/weights\.bin" points outside the model's folder/);
      setPaths(modelJson, ['sub/../../weights.bin']);
      assertModelError(() => loadTfjsModelGraph(modelJson), modelJson, /"sub\/\.\.\/\.\.\/weights\.bin" points outside/);
      setPaths(modelJson, [path.join(folder, 'weights.bin')]);
      assertModelError(() => loadTfjsModelGraph(modelJson), modelJson, /weight file path ".*weights\.bin" is absolute/);
      setPaths(modelJson, ['C:\\models\\weights.bin']);
      assertModelError(() => loadTfjsModelGraph(modelJson), modelJson, /is absolute/);
      setPaths(modelJson, ['https://example.com/weights.bin']);
      assertModelError(() => loadTfjsModelGraph(modelJson), modelJson, /"https:\/\/example\.com\/weights\.bin" is a URL/);
    });
  }
});

test('a symlink that leads out of the model folder is refused, naming the link', () => {
  withCopy(LAYERS_MLP, (modelJson) => {
    const outside = tempDir();
    try {
      const target = path.join(outside, 'weights.bin');
      fs.copyFileSync(path.join(path.dirname(modelJson), 'weights.bin'), target);
      const link = path.join(path.dirname(modelJson), 'linked.bin');
      fs.symlinkSync(target, link);
      setPaths(modelJson, ['linked.bin']);
      assertModelError(() => loadTfjsModelGraph(modelJson), link, /"linked\.bin" is a link that leads outside the model's folder/);
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
});

test('a symlink that stays inside the folder is fine', () => {
  withCopy(LAYERS_MLP, (modelJson) => {
    const folder = path.dirname(modelJson);
    fs.mkdirSync(path.join(folder, 'shards'));
    fs.renameSync(path.join(folder, 'weights.bin'), path.join(folder, 'shards', 'w.bin'));
    fs.symlinkSync(path.join(folder, 'shards', 'w.bin'), path.join(folder, 'weights.bin'));
    assert.equal(loadTfjsModelGraph(modelJson).layers.length, 5);
  });
});

test('a missing shard is an error naming the file', () => {
  withCopy(GRAPH_MLP, (modelJson) => {
    const shard = path.join(path.dirname(modelJson), 'weights.bin');
    fs.rmSync(shard);
    assertModelError(() => loadTfjsModelGraph(modelJson), shard, /weight shard "weights\.bin" listed in model\.json is missing/);
  });
});

test('a shard of the wrong size is an error naming the file and both sizes', () => {
  withCopy(LAYERS_MLP, (modelJson) => {
    const shard = path.join(path.dirname(modelJson), 'weights.bin');
    // 784*128 + 128 + 128*64 + 64 + 64*10 + 10 float32 values.
    const expected = 4 * (784 * 128 + 128 + 128 * 64 + 64 + 64 * 10 + 10);
    assert.equal(fs.statSync(shard).size, expected);
    fs.truncateSync(shard, expected - 4);
    assertModelError(() => loadTfjsModelGraph(modelJson), shard, new RegExp(`wrong size: weightsManifest\\[0\\] needs ${expected} bytes .* holds ${expected - 4} bytes`));
  });
});

test('with several shards, the odd one out is named', () => {
  withCopy(LAYERS_MLP, (modelJson) => {
    const folder = path.dirname(modelJson);
    const bytes = fs.readFileSync(path.join(folder, 'weights.bin'));
    const third = Math.ceil(bytes.length / 3);
    ['a.bin', 'b.bin', 'c.bin'].forEach((name, i) => fs.writeFileSync(path.join(folder, name), bytes.subarray(i * third, (i + 1) * third)));
    setPaths(modelJson, ['a.bin', 'b.bin', 'c.bin']);
    assert.equal(loadTfjsModelGraph(modelJson).classifier?.numClasses, 10, 'three shards together read fine');
    fs.writeFileSync(path.join(folder, 'b.bin'), bytes.subarray(third, 2 * third - 8));
    assertModelError(() => loadTfjsModelGraph(modelJson), path.join(folder, 'b.bin'), /wrong size/);
  });
});

test('quantized weights count their stored bytes (uint8: 1 per value, float16: 2)', () => {
  withCopy(GRAPH_MLP, (modelJson) => {
    const folder = path.dirname(modelJson);
    editJson(modelJson, (json) => {
      const [group] = json['weightsManifest'] as { weights: Record<string, unknown>[] }[];
      group.weights[0]['quantization'] = { dtype: 'uint8', scale: 0.01, min: -1 };
    });
    // Quantized, fc1/kernel needs 784*128 bytes instead of 4x that: the float32 file is now too long.
    assertModelError(() => loadTfjsModelGraph(modelJson), path.join(folder, 'weights.bin'), /wrong size/);
    const full = fs.readFileSync(path.join(folder, 'weights.bin'));
    const rest = full.subarray(4 * 784 * 128);
    fs.writeFileSync(path.join(folder, 'weights.bin'), Buffer.concat([Buffer.alloc(784 * 128, 100), rest]));
    assert.equal(loadTfjsModelGraph(modelJson).layers.length, 9);
  });
});

test('a model.json of another kind, or not JSON, is refused with the reason', () => {
  const dir = tempDir();
  try {
    const onnxLike = path.join(dir, 'model.json');
    fs.writeFileSync(onnxLike, JSON.stringify({ irVersion: 8, graph: { node: [] } }));
    assertModelError(() => loadTfjsModelGraph(onnxLike), onnxLike, /not a TF\.js model: it has no "modelTopology" field \(it looks like an ONNX model in JSON form\)/);
    const broken = path.join(dir, 'broken.json');
    fs.writeFileSync(broken, '{"modelTopology": ');
    assertModelError(() => loadTfjsModelGraph(broken), broken, /is not valid JSON/);
    const absent = path.join(dir, 'absent.json');
    assertModelError(() => loadTfjsModelGraph(absent), absent, /no such file or directory/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a model with two inputs is refused naming them', () => {
  withCopy(GRAPH_MLP, (modelJson) => {
    editJson(modelJson, (json) => {
      const topology = json['modelTopology'] as { node: Record<string, unknown>[] };
      topology.node.push({ name: 'y', op: 'Placeholder', attr: { dtype: { type: 'DT_FLOAT' } } });
    });
    assertModelError(() => loadTfjsModelGraph(modelJson), modelJson, /the graph has 2 inputs \(x, y\); collapse-lens feeds exactly one/);
  });
});
