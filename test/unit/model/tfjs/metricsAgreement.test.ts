/**
 * The whole engine pipeline on the TF.js LayersModel fixture and on its ONNX twin (same weights,
 * written independently by onnxTwin.ts): every metric of the result must agree. Per-probe features
 * already agree to 1e-4 (crossFormat.test.ts); this catches what sits between the runner and the
 * result, e.g. the preprocessing reading each format's input shape differently, the classifier being
 * found differently, or the logits probe feeding NC4 and the accuracy from a different tensor.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeCheckpoint } from '../../../../src/engine/analyze/pipeline';
import type { AnalyzeRequest } from '../../../../src/protocol/engine';
import { validateResult } from '../../../../src/core/resultValidation';
import type { AnalysisResult, SplitLayerMetrics } from '../../../../src/core/result';
import { FASHION, LAYERS_MLP, tempDir } from './helpers';
import { ONNX_NAME_OF_PROBE, onnxTwinOfMlp } from './onnxTwin';

/** TF.js probe -> ONNX tensor; the classifier's logits are probed explicitly so every layer is compared. */
const PROBES = ['flatten', 'fc1', 'fc2', 'classifier/logits'];
const RELATIVE = 1e-4;
/**
 * Float32 features summed in different orders (XNNPACK vs MLAS) leave ~1e-7 relative noise; a metric
 * that is zero in exact arithmetic (cdnvMatrix's diagonal, angles of orthogonal means) can land on
 * either side of 0 at that scale, so below this absolute difference two values count as equal. The
 * metrics compared on an absolute footing are cosines and ratios of order 1, and onnxruntime's side also
 * moves with the CPU (AVX2 vs AVX-512: up to ~1e-7 of a quantity's scale, see compareFixture.ts), so the
 * floor sits about 50x above that noise and still far below any value a wrong formula would give.
 */
const ABSOLUTE_FLOOR = 1e-5;

const LAYER_METRICS = ['nc1', 'nc1Rank', 'equinorm', 'equiangularity', 'maxAngle', 'etfDistance', 'cdnv', 'nccAccuracy', 'cdnvMatrix', 'classVariability', 'meanCosines', 'meanNorms'] as const;

/** One request for both formats; 'cpu' picks onnxruntime's CPU provider, TF.js takes its best CPU backend (wasm here). */
function request(checkpoint: string, layers: string[]): AnalyzeRequest {
  return {
    checkpoint,
    // As the CLI's --train/--test build them: the fixture folder holds both IDX splits.
    train: { path: FASHION, split: 'train' },
    test: { path: FASHION, split: 'test' },
    layers,
    perClass: 50,
    batchSize: 64,
    provider: 'cpu',
    threads: 1,
    seed: 0,
    epsilon: 0.01,
    // Both formats on the JavaScript reduction path (TF.js always is): the flatten probe's numbers are
    // compared bit for bit below, and the in-graph path sums in another order (same numbers to ~1e-15).
    reductions: 'js',
  };
}

/** Largest relative and absolute differences seen per metric, for the diagnostic line. */
class Worst {
  readonly byMetric = new Map<string, { relative: number; absolute: number }>();
  /** Compares two numbers or nested arrays of numbers/nulls; nulls must sit at the same places. */
  check(metric: string, where: string, a: unknown, b: unknown): void {
    if (Array.isArray(a) || Array.isArray(b)) {
      assert.ok(Array.isArray(a) && Array.isArray(b), `${where}: one side is an array, the other ${JSON.stringify(Array.isArray(a) ? b : a)}`);
      assert.equal(a.length, b.length, `${where}: lengths differ`);
      a.forEach((v, i) => this.check(metric, `${where}[${i}]`, v, b[i]));
      return;
    }
    if (a === null || b === null) {
      assert.equal(a, b, `${where}: null on one side only (${String(a)} vs ${String(b)})`);
      return;
    }
    assert.ok(typeof a === 'number' && typeof b === 'number' && Number.isFinite(a) && Number.isFinite(b), `${where}: not two finite numbers (${String(a)}, ${String(b)})`);
    const diff = Math.abs(a - b);
    const scale = Math.max(Math.abs(a), Math.abs(b));
    const relative = scale > 0 ? diff / scale : 0;
    const seen = this.byMetric.get(metric) ?? { relative: 0, absolute: 0 };
    this.byMetric.set(metric, { relative: Math.max(seen.relative, relative), absolute: Math.max(seen.absolute, diff) });
    assert.ok(diff <= RELATIVE * scale + ABSOLUTE_FLOOR, `${where}: TF.js ${a} vs ONNX ${b} (relative difference ${relative.toExponential(2)})`);
  }
}

function metricsOf(result: AnalysisResult, layer: string, split: 'train' | 'test'): SplitLayerMetrics {
  const found = result.layers.find((l) => l.name === layer);
  assert.ok(found, `${result.checkpoint.path}: no layer "${layer}" in the result (has ${result.layers.map((l) => l.name).join(', ')})`);
  const metrics = found.metrics[split];
  assert.ok(metrics, `${layer}: no ${split} metrics`);
  return metrics;
}

test('TF.js LayersModel and its ONNX twin give the same metrics through analyzeCheckpoint (1e-4 relative)', async (t) => {
  const dir = tempDir();
  const onnxPath = path.join(dir, 'fashion-mlp-twin.onnx');
  fs.writeFileSync(onnxPath, onnxTwinOfMlp(LAYERS_MLP));
  const hooks = { onProgress: () => {} };
  try {
    const tfjs = await analyzeCheckpoint(request(LAYERS_MLP, PROBES), hooks);
    const onnx = await analyzeCheckpoint(request(onnxPath, PROBES.map((p) => ONNX_NAME_OF_PROBE[p]!)), hooks);

    assert.equal(tfjs.checkpoint.format, 'tfjs-layers');
    assert.equal(onnx.checkpoint.format, 'onnx');
    assert.equal(tfjs.provider, 'tfjs-wasm');
    assert.equal(onnx.provider, 'cpu');

    // Same pixels in: both models declare [N, 28, 28, 1], so the preprocessing must plan the same NHWC
    // copy of the 28x28 IDX images with the same scale, and draw the same balanced subsample.
    for (const [name, r] of [['TF.js', tfjs], ['ONNX', onnx]] as const) {
      validateResult(JSON.parse(JSON.stringify(r)), `${name} result`); // as written to disk, it passes every reader's check
      assert.deepEqual(r.dataset.preprocessing.inputShape, [28, 28, 1], `${name}: model input read as ${JSON.stringify(r.dataset.preprocessing.inputShape)}`);
      assert.equal(r.dataset.preprocessing.layout, 'nhwc', `${name}: layout`);
      assert.equal(r.classes.count, 10, `${name}: classes`);
      assert.equal(r.splits.train.samples, 500, `${name}: 50 per class x 10 classes`);
    }
    const { origin: _tfjsOrigin, ...tfjsPre } = tfjs.dataset.preprocessing;
    const { origin: _onnxOrigin, ...onnxPre } = onnx.dataset.preprocessing;
    assert.deepEqual(tfjsPre, onnxPre, 'preprocessing differs between the formats');
    assert.deepEqual(tfjs.splits.train.classCounts, onnx.splits.train.classCounts);
    assert.deepEqual(tfjs.splits.test?.classCounts, onnx.splits.test?.classCounts);

    // Same probes in the same order, and the classifier found at the same place in both.
    assert.deepEqual(tfjs.layers.map((l) => ONNX_NAME_OF_PROBE[l.name]), onnx.layers.map((l) => l.name));
    assert.deepEqual(tfjs.layers.map((l) => l.dim), [784, 128, 64, 10]);
    assert.deepEqual(tfjs.layers.map((l) => l.dim), onnx.layers.map((l) => l.dim));
    assert.ok(tfjs.classifier && onnx.classifier, `classifier missing: TF.js ${tfjs.classifierUnavailable ?? 'ok'}, ONNX ${onnx.classifierUnavailable ?? 'ok'}`);
    assert.equal(ONNX_NAME_OF_PROBE[tfjs.classifier.input], onnx.classifier.input);

    // The flatten probe is the preprocessed input itself: if both runtimes got the same float32 pixels,
    // its metrics are computed from identical features and agree bit for bit, 2-D projection included.
    for (const split of ['train', 'test'] as const) {
      assert.deepEqual(metricsOf(tfjs, 'flatten', split), metricsOf(onnx, 'flat', split), `${split}: the pixels reaching the two models differ`);
    }

    const worst = new Worst();
    for (const split of ['train', 'test'] as const) {
      for (const probe of PROBES) {
        const a = metricsOf(tfjs, probe, split);
        const b = metricsOf(onnx, ONNX_NAME_OF_PROBE[probe]!, split);
        assert.deepEqual(Object.keys(a.unavailable ?? {}).sort(), Object.keys(b.unavailable ?? {}).sort(), `${probe} ${split}: different metrics unavailable`);
        for (const metric of LAYER_METRICS) worst.check(metric, `${probe} ${split} ${metric}`, a[metric], b[metric]);
        assert.equal(a.nc1Rank, b.nc1Rank, `${probe} ${split}: rank of Sigma_B`);
      }
      worst.check('accuracy', `${split} accuracy`, tfjs.splits[split]?.accuracy, onnx.splits[split]?.accuracy);
      worst.check('nc4', `nc4 ${split}`, tfjs.classifier.nc4[split], onnx.classifier.nc4[split]);
    }
    worst.check('nc3', 'nc3', tfjs.classifier.nc3, onnx.classifier.nc3);
    for (const key of ['equinorm', 'equiangularity', 'maxAngle', 'etfDistance'] as const) {
      worst.check(`weights.${key}`, `classifier weights ${key}`, tfjs.classifier.weights[key], onnx.classifier.weights[key]);
    }
    worst.check('effectiveDepth', 'effective depth', tfjs.effectiveDepth.depth, onnx.effectiveDepth.depth);

    // The accuracies are real (a trained MLP on Fashion-MNIST), so an all-null or all-zero pair cannot pass.
    assert.ok((tfjs.splits.test?.accuracy ?? 0) > 0.6, `test accuracy ${tfjs.splits.test?.accuracy}`);
    t.diagnostic(`largest difference per metric (relative/absolute): ${[...worst.byMetric].map(([m, v]) => `${m} ${v.relative.toExponential(1)}/${v.absolute.toExponential(1)}`).join(', ')}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
