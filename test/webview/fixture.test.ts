/**
 * The preview's sample result must be a result a real run could produce: it passes the schema check and
 * its numbers agree with each other under the definitions in docs/metrics.md (recomputed here from the
 * per-class arrays, independently of the generator's code).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateResult } from '../../src/core/resultValidation';
import { sampleResult } from './helpers';

const close = (actual: number | null | undefined, expected: number, what: string): void => {
  assert.ok(typeof actual === 'number', `${what}: missing`);
  assert.ok(Math.abs(actual - expected) <= 1e-6 * Math.max(1, Math.abs(expected)), `${what}: ${actual} vs ${expected}`);
};
const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
const std = (xs: number[]): number => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));

test('the sample result passes the schema check and has 10 Fashion-MNIST classes, 8 layers, a test split', () => {
  const result = validateResult(sampleResult(), 'sample-result.json');
  assert.equal(result.classes.count, 10);
  assert.equal(result.classes.names[9], 'Ankle boot');
  assert.equal(result.layers.length, 8);
  assert.ok(result.splits.test);
  const nc1 = result.layers.map((l) => l.metrics.train.nc1 ?? NaN);
  assert.ok(nc1[0]! > 4 && nc1[7]! < 0.05, `NC1 goes from ~5 to ~0.05: ${nc1.join(', ')}`);
});

test('per layer and split, NC2 and CDNV agree with the class-mean norms, cosines and variances', () => {
  const result = sampleResult();
  const k = result.classes.count;
  for (const layer of result.layers) {
    for (const [split, m] of Object.entries(layer.metrics)) {
      const where = `${layer.name} ${split}`;
      const norms = m.meanNorms as number[];
      const cos = m.meanCosines as number[][];
      const variability = m.classVariability as number[];
      const cdnv = m.cdnvMatrix as number[][];
      const off: number[] = [];
      for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) if (i !== j) off.push(cos[i]![j]!);
      close(m.equinorm, std(norms) / mean(norms), `${where} equinorm`);
      close(m.equiangularity, std(off), `${where} equiangularity`);
      close(m.maxAngle, mean(off.map((c) => Math.abs(c + 1 / (k - 1)))), `${where} max-angle`);
      // G = M~^T M~ has entries |m_i| |m_j| cos_ij.
      const gram = norms.map((ni, i) => norms.map((nj, j) => ni * nj * (i === j ? 1 : cos[i]![j]!)));
      const gNorm = Math.sqrt(gram.flat().reduce((s, x) => s + x * x, 0));
      let etf = 0;
      for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) etf += (gram[i]![j]! / gNorm - ((i === j ? 1 : 0) - 1 / k) / Math.sqrt(k - 1)) ** 2;
      close(m.etfDistance, Math.sqrt(etf), `${where} ETF distance`);
      const pairs: number[] = [];
      for (let i = 0; i < k; i++) {
        assert.equal(cdnv[i]![i], 0, `${where} CDNV diagonal`);
        for (let j = 0; j < k; j++) {
          if (i === j) continue;
          // ||mu_i - mu_j||^2 = ||m_i||^2 + ||m_j||^2 - 2 m_i.m_j (the centring cancels).
          const dist2 = gram[i]![i]! + gram[j]![j]! - 2 * gram[i]![j]!;
          close(cdnv[i]![j], (variability[i]! + variability[j]!) / (2 * dist2), `${where} CDNV(${i},${j})`);
          pairs.push(cdnv[i]![j]!);
        }
      }
      close(m.cdnv, mean(pairs), `${where} mean CDNV`);
    }
  }
});

test('the effective depth is the first layer whose train NCC error is at most epsilon', () => {
  const result = sampleResult();
  const { epsilon, layer } = result.effectiveDepth;
  const first = result.layers.find((l) => 1 - (l.metrics.train.nccAccuracy ?? 0) <= epsilon);
  assert.equal(layer, first?.name);
});
