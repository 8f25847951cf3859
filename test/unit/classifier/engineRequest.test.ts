/**
 * The extension asks the engine process for the classifier's geometry (never reading a model on the
 * extension host): EngineClient.classifier over the typed 'classifier' request, one entry per checkpoint.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EngineClient } from '../../../src/extension/engineClient';
import { tempDir } from '../dataset/helpers/writers';
import { writeEngineLauncher } from '../pipeline/helpers/engineLauncher';
import { MODELS_DIR, REPO_ROOT } from '../pipeline/helpers/paths';
import { convHead } from '../model/onnx/models';

test("EngineClient.classifier: each checkpoint's geometry from the engine process, with the reason where there is none", async () => {
  const { dir, cleanup } = tempDir('engine-classifier');
  const client = new EngineClient({ enginePath: writeEngineLauncher(dir), log: () => undefined });
  try {
    const conv = join(dir, 'conv.onnx');
    writeFileSync(conv, convHead());
    const tfjs = join(REPO_ROOT, 'test', 'fixtures', 'tfjs', 'graph-mlp', 'model.json');
    const entries = await client.classifier([join(MODELS_DIR, 'cnn.onnx'), tfjs, conv, join(dir, 'gone.onnx')]);
    assert.equal(entries.length, 4);
    const [cnn, graph, none, gone] = entries;
    const reference = JSON.parse(readFileSync(join(MODELS_DIR, 'cnn.classifier.json'), 'utf8')) as { etfDistance: number; rowNorms: number[] };
    assert.ok(cnn.classifier);
    assert.ok(Math.abs(cnn.classifier.etfDistance! - reference.etfDistance) <= 1e-9 * reference.etfDistance);
    assert.equal(cnn.classifier.rowNorms.length, reference.rowNorms.length);
    assert.equal(graph.format, 'tfjs-graph');
    assert.ok(graph.classifier);
    assert.equal(none.classifier, null);
    assert.match(none.classifierUnavailable ?? '', /Conv node, not a linear map/);
    assert.match(gone.error ?? '', /gone\.onnx: no such file or directory/);
  } finally {
    client.dispose();
    cleanup();
  }
});
