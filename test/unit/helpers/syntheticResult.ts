import { RESULT_SCHEMA, type AnalysisResult, type SplitLayerMetrics } from '../../../src/core/result';

/** A structurally complete result with chosen per-layer NC1 / NCC values, for tests of readers. */
export function syntheticResult(opts: { layers: { name: string; nc1: number | null; ncc: number | null }[]; checkpoint?: string; trainSource?: string; perClass?: number; samples?: number }): AnalysisResult {
  const split = (nc1: number | null, ncc: number | null): SplitLayerMetrics => ({
    nc1, nc1Rank: 9, equinorm: 0.1, equiangularity: 0.05, maxAngle: 0.04, etfDistance: 0.2, cdnv: nc1 === null ? null : nc1 / 10, nccAccuracy: ncc,
    cdnvMatrix: null, classVariability: null, meanCosines: null, meanNorms: null,
  });
  return {
    schema: RESULT_SCHEMA,
    createdAt: '2026-11-23T00:00:00Z',
    tool: { name: 'collapse-lens', version: '0.1.0' },
    checkpoint: { path: opts.checkpoint ?? 'model.onnx', format: 'onnx', sha256: 'abc' },
    provider: 'cpu',
    classes: { count: 10, names: Array.from({ length: 10 }, (_, i) => `c${i}`) },
    dataset: { train: { source: opts.trainSource ?? 'data', format: 'idx' }, preprocessing: { scale: 1 / 255, perClass: opts.perClass ?? 200 } },
    splits: { train: { samples: opts.samples ?? 2000, accuracy: 1 } },
    layers: opts.layers.map((l, i) => ({ name: l.name, op: 'Relu', shape: [8], dim: 8, depth: i, metrics: { train: split(l.nc1, l.ncc) } })),
    classifier: null,
    effectiveDepth: { epsilon: 0.01, layer: null, depth: null },
    conventions: [],
    timing: { totalSeconds: 1 },
  };
}
