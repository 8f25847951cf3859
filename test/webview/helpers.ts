/**
 * Shared test helpers: the sample result and a small hand-made result whose numbers are chosen so the
 * expected outputs can be worked out by hand.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AnalysisResult, LayerResult, SplitLayerMetrics } from '../../src/core/result';

export function sampleResult(): AnalysisResult {
  return JSON.parse(readFileSync(join(__dirname, 'fixtures/sample-result.json'), 'utf8')) as AnalysisResult;
}

export function metrics(overrides: Partial<SplitLayerMetrics> = {}): SplitLayerMetrics {
  return {
    nc1: null,
    nc1Rank: null,
    equinorm: null,
    equiangularity: null,
    maxAngle: null,
    etfDistance: null,
    cdnv: null,
    nccAccuracy: null,
    cdnvMatrix: null,
    classVariability: null,
    meanCosines: null,
    meanNorms: null,
    ...overrides,
  };
}

export function layer(name: string, depth: number, train: Partial<SplitLayerMetrics>, test?: Partial<SplitLayerMetrics>): LayerResult {
  return {
    name,
    op: 'Relu',
    shape: [4],
    dim: 4,
    depth,
    metrics: test ? { train: metrics(train), test: metrics(test) } : { train: metrics(train) },
  };
}

/** Three classes, three layers, a test split; layer "b" has a null train NC1 (not computed). */
export function tinyResult(): AnalysisResult {
  return {
    schema: 'collapse-lens/result@1',
    createdAt: '2025-01-01T00:00:00.000Z',
    tool: { name: 'collapse-lens', version: '0.1.0' },
    checkpoint: { path: '/models/tiny.onnx', format: 'onnx', sha256: 'x' },
    provider: 'cpu',
    classes: { count: 3, names: ['cat', 'dog', 'bird'] },
    dataset: { train: { source: 'a', format: 'npz' }, test: { source: 'b', format: 'npz' }, preprocessing: {} },
    splits: { train: { samples: 30, accuracy: 0.9 }, test: { samples: 15, accuracy: 0.8 } },
    layers: [
      layer('a', 0, { nc1: 4, nccAccuracy: 0.5, cdnv: 2, etfDistance: 0.9 }, { nc1: 5, nccAccuracy: 0.4 }),
      layer('b', 1, { nc1: null, nccAccuracy: 0.8, cdnv: 1, unavailable: { nc1: 'Sigma_B has rank 0' } }, { nc1: 2, nccAccuracy: 0.7 }),
      layer('c', 2, { nc1: 0.5, nccAccuracy: 0.995, cdnv: 0.1, etfDistance: 0.2 }, { nc1: 1, nccAccuracy: 0.75 }),
    ],
    classifier: null,
    classifierUnavailable: 'no linear layer before the logits',
    effectiveDepth: { epsilon: 0.01, layer: 'c', depth: 2 },
    conventions: ['NC1 is divided by K.'],
    timing: { totalSeconds: 3.5 },
  };
}
