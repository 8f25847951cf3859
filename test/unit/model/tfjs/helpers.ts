/**
 * Shared helpers for the TF.js tests: fixture paths, weights read straight from the committed bytes
 * (independently of the code under test), plain-JS dense layers, seeded inputs and temp folders.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const FIXTURES = path.resolve(__dirname, '..', '..', '..', 'fixtures', 'tfjs');
export const LAYERS_MLP = path.join(FIXTURES, 'layers-mlp', 'model.json');
export const GRAPH_MLP = path.join(FIXTURES, 'graph-mlp', 'model.json');
export const FASHION = path.resolve(__dirname, '..', '..', '..', 'fixtures', 'fashion');

export interface RawWeight {
  shape: number[];
  values: Float32Array;
}

/** Reads a single-shard float32 model's weights by walking its manifest offsets by hand. */
export function readRawWeights(modelJson: string): Map<string, RawWeight> {
  const json = JSON.parse(fs.readFileSync(modelJson, 'utf8')) as {
    weightsManifest: { paths: string[]; weights: { name: string; shape: number[]; dtype: string }[] }[];
  };
  const out = new Map<string, RawWeight>();
  for (const group of json.weightsManifest) {
    const bytes = Buffer.concat(group.paths.map((p) => fs.readFileSync(path.join(path.dirname(modelJson), p))));
    let offset = 0;
    for (const w of group.weights) {
      if (w.dtype !== 'float32') throw new Error(`test helper reads float32 only, got ${w.dtype}`);
      const n = w.shape.reduce((a, b) => a * b, 1);
      const values = new Float32Array(n);
      for (let i = 0; i < n; i++) values[i] = bytes.readFloatLE(offset + 4 * i);
      out.set(w.name, { shape: w.shape, values });
      offset += 4 * n;
    }
  }
  return out;
}

export function weight(weights: Map<string, RawWeight>, name: string): RawWeight {
  const w = weights.get(name);
  if (!w) throw new Error(`no weight ${name}`);
  return w;
}

/** y = x @ kernel + bias for n rows, kernel D x K row-major as Keras stores it, float64 sums. */
export function dense(x: ArrayLike<number>, n: number, kernel: RawWeight, bias: RawWeight | null): Float64Array {
  const [d, k] = kernel.shape;
  const y = new Float64Array(n * k);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < k; j++) {
      let s = bias ? bias.values[j] : 0;
      for (let i = 0; i < d; i++) s += x[r * d + i] * kernel.values[i * k + j];
      y[r * k + j] = s;
    }
  }
  return y;
}

export const relu = (x: Float64Array): Float64Array => x.map((v) => (v > 0 ? v : 0));

export function softmaxRows(x: Float64Array, k: number): Float64Array {
  const y = new Float64Array(x.length);
  for (let r = 0; r < x.length / k; r++) {
    const row = x.subarray(r * k, (r + 1) * k);
    const max = Math.max(...row);
    const exps = Array.from(row, (v) => Math.exp(v - max));
    const sum = exps.reduce((a, b) => a + b, 0);
    exps.forEach((e, j) => (y[r * k + j] = e / sum));
  }
  return y;
}

/** mulberry32, for reproducible inputs. */
export function seededUniform(count: number, seed: number): Float32Array {
  let a = seed >>> 0;
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  return out;
}

/** Largest |a - b| over the largest |b|: a relative error that does not blow up on zeros (ReLU outputs). */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Number.POSITIVE_INFINITY;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return diff / (scale || 1);
}

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lens-tfjs-'));
}

/** Copies a fixture folder into a fresh temp folder and returns the copied model.json path. */
export function copyFixture(modelJson: string): string {
  const dir = tempDir();
  for (const f of fs.readdirSync(path.dirname(modelJson))) fs.copyFileSync(path.join(path.dirname(modelJson), f), path.join(dir, f));
  return path.join(dir, 'model.json');
}

export function editJson(file: string, edit: (json: Record<string, unknown>) => void): void {
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  edit(json);
  fs.writeFileSync(file, JSON.stringify(json));
}
