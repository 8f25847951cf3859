/**
 * The fixture exporter's record (<name>.expected.json, written by scripts/fixtures from PyTorch
 * features and a plain NumPy implementation of docs/metrics.md): the independent oracle of these tests.
 */
import { readFileSync } from 'node:fs';

export interface ExpectedSplitMetrics {
  nc1: number;
  nc1Rank: number;
  equinorm: number;
  equiangularity: number;
  maxAngle: number;
  etfDistance: number;
  cdnv: number;
  nccAccuracy: number;
  cdnvMatrix: number[][];
  classVariability: number[];
  meanCosines: number[][];
  meanNorms: number[];
  /** Samples whose two nearest class means are within float32 noise: their NCC label may flip. */
  nccNearTies: number;
}

export interface ExpectedSplit {
  samples: number;
  accuracy: number;
  classCounts: number[];
  /** Samples whose two largest logits are within float32 noise: their argmax may flip. */
  logitNearTies: number;
}

export interface ExpectedLayer {
  name: string;
  op: string;
  shape: number[];
  dim: number;
  depth: number;
  /** The reduction the reference applied (the real-architecture fixtures), and the tensor's shape before it. */
  reduction?: 'flatten' | 'gap' | 'cls' | 'mean';
  tensorShape?: number[];
  /** `test` is absent where the reference had one split (a features .npz). */
  metrics: { train: ExpectedSplitMetrics; test?: ExpectedSplitMetrics };
}

export interface ExpectedEtf {
  equinorm: number;
  equiangularity: number;
  maxAngle: number;
  etfDistance: number;
}

export interface ExpectedFixture {
  model: string;
  classes: { count: number };
  splits: { train: ExpectedSplit; test?: ExpectedSplit };
  layers: ExpectedLayer[];
  classifier: { input: string; output: string; nc3: number; nc4: { train: number; test?: number }; weights: ExpectedEtf };
  effectiveDepth: { epsilon: number; layer: string | null; depth: number | null };
}

export const EXPECTED_SCHEMA = 'collapse-lens/fixture-expected@1';

export function readExpected(path: string): ExpectedFixture {
  const json: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (typeof json !== 'object' || json === null || !('schema' in json) || json.schema !== EXPECTED_SCHEMA) {
    throw new Error(`${path}: not a ${EXPECTED_SCHEMA} file`);
  }
  if (!('layers' in json) || !Array.isArray(json.layers) || !('classifier' in json) || !('splits' in json)) {
    throw new Error(`${path}: lacks layers, classifier or splits`);
  }
  return json as unknown as ExpectedFixture;
}

/**
 * The reference restricted to the given probes, as an analysis of exactly those would report it: the
 * expected files hold metrics per tensor (a layer's metrics depend on its own features only), a
 * superset of the default probes, so only `depth` (the position among the probes) and the effective depth
 * (the reference's rule: the first probe whose training NCC error is at most epsilon) are recomputed.
 * A name the reference lacks fails: the reference must be regenerated, not the test loosened.
 */
export function restrictExpected(expected: ExpectedFixture, names: readonly string[]): ExpectedFixture {
  const byName = new Map(expected.layers.map((l) => [l.name, l]));
  const layers = names.map((name, depth) => {
    const layer = byName.get(name);
    if (!layer) throw new Error(`${expected.model}.expected.json has no reference metrics for "${name}": regenerate it (docs/fixtures.md)`);
    return { ...layer, depth };
  });
  const { epsilon } = expected.effectiveDepth;
  const depth = layers.findIndex((l) => 1 - l.metrics.train.nccAccuracy <= epsilon);
  return { ...expected, layers, effectiveDepth: { epsilon, layer: depth < 0 ? null : layers[depth]!.name, depth: depth < 0 ? null : depth } };
}
