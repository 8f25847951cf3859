/**
 * The same 1,000 Fashion-MNIST test images given as IDX, as an .npz and as a PNG
 * image folder must give the same analysis: every reader hands the model the same bytes, so the metrics
 * may differ only by float64 summation order (the folder lists its samples class by class).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AnalysisResult } from '../../../src/core/result';
import { analyzeCheckpoint } from '../../../src/engine/analyze/pipeline';
import { fashionMnistMissing, writeFashionVariants } from '../dataset/helpers/fashionMnist';
import { tempDir } from '../dataset/helpers/writers';
import { fixtureRequest, silentHooks } from './helpers/analyze';
import { CNN_DEFAULT_PROBES } from './helpers/defaultProbes';
import { assertDeepClose } from './helpers/deepClose';

const COUNT = 1000;
const missing = fashionMnistMissing();

/** What must agree: the per-layer metrics, the classifier, the accuracy, the effective depth. */
function comparable(result: AnalysisResult): unknown {
  return { layers: result.layers, classifier: result.classifier, splits: result.splits, effectiveDepth: result.effectiveDepth, classes: result.classes.count };
}

test('cnn on the same 1,000 Fashion-MNIST images as IDX, .npz and PNG folder: identical metrics (1e-12)', { skip: missing }, async () => {
  const { dir, cleanup } = tempDir('pipeline-equivalence');
  try {
    const data = writeFashionVariants(dir, COUNT);
    const run = async (path: string) => {
      const request = fixtureRequest('cnn', { train: { path } });
      delete request.test;
      return analyzeCheckpoint(request, silentHooks);
    };
    const idx = await run(data.idxImages);
    assert.equal(idx.dataset.train.format, 'idx');
    assert.equal(idx.splits.train.samples, COUNT);
    assert.equal(idx.splits.test, undefined);
    assert.equal(idx.layers.length, CNN_DEFAULT_PROBES.length);
    for (const [path, format] of [
      [data.npzStored, 'npz'],
      [data.pngFolder, 'image-folder'],
    ] as const) {
      const other = await run(path);
      assert.equal(other.dataset.train.format, format, path);
      // The 2-D view's sample points are chosen by dataset index, which the folder's class-by-class
      // order changes; everything computed from all samples must agree.
      const skip = format === 'image-folder' ? ['$.layers.*.metrics.train.projection.points'] : [];
      const compared = assertDeepClose(comparable(other), comparable(idx), 1e-12, skip);
      assert.ok(compared > CNN_DEFAULT_PROBES.length * 200, `${format}: only ${compared} numbers compared`);
    }
  } finally {
    cleanup();
  }
});
