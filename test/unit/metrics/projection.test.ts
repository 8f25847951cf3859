/**
 * The 2-D view: class means and sampled points projected on the top two principal directions of the
 * centred means, checked against an explicit projection on the eigenvectors of the D x D Sigma_B.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProjectionAccumulator } from '../../../src/core/metrics';
import { classMeans, jacobiEigen } from './brute-force';
import { assertClose, clusteredData, passOne, slice } from './helpers';

test('projected means and points equal the explicit projection on the top two eigenvectors of Sigma_B (up to sign)', () => {
  const K = 5;
  const D = 12;
  const data = clusteredData({ numClasses: K, dim: D, counts: [9, 4, 12, 7, 10], seed: 21 });
  const stats = passOne(data, 8);
  const acc = new ProjectionAccumulator(stats, stats, { pointsPerClass: 100 });
  for (let from = 0; from < data.count; from += 6) {
    const batch = slice(data, from, Math.min(data.count, from + 6));
    acc.add(batch.features, batch.labels);
  }
  const projection = acc.finish().projection;
  assert.ok(projection?.points !== undefined);

  const { means } = classMeans(data);
  const muG = new Array<number>(D).fill(0);
  for (const mu of means) for (let k = 0; k < D; k++) muG[k] += mu[k] / K;
  const sigmaB = new Float64Array(D * D);
  for (const mu of means) for (let a = 0; a < D; a++) for (let b = 0; b < D; b++) sigmaB[a * D + b] += ((mu[a] - muG[a]) * (mu[b] - muG[b])) / K;
  const { values, vectors } = jacobiEigen(sigmaB, D);
  const top = values.map((_, j) => j).sort((x, y) => values[y] - values[x]).slice(0, 2);
  const project = (h: number[], axis: number) => h.reduce((s, x, k) => s + (x - muG[k]) * vectors[k * D + top[axis]], 0);

  // Signs of the axes are conventions: align them on the first class mean.
  const signs = [0, 1].map((axis) => Math.sign(project(means[0], axis)) * Math.sign(projection.means[0][axis]));
  for (let c = 0; c < K; c++) {
    for (const axis of [0, 1]) assertClose(projection.means[c][axis], signs[axis] * project(means[c], axis), 1e-10, `mean ${c} axis ${axis}`);
  }
  // Every sample was kept (100 per class): compare the sorted coordinates class by class.
  assert.equal(projection.points.length, data.count);
  for (let c = 0; c < K; c++) {
    const ours = projection.points.filter((p) => p.label === c).map((p) => p.x).sort((a, b) => a - b);
    const expected: number[] = [];
    for (let i = 0; i < data.count; i++) {
      if (data.labels[i] === c) expected.push(signs[0] * project(Array.from(data.features.subarray(i * D, (i + 1) * D)), 0));
    }
    expected.sort((a, b) => a - b);
    ours.forEach((x, j) => assertClose(x, expected[j], 1e-9, `class ${c} point ${j}`, 1));
  }
});

test('the plotted sample is at most pointsPerClass per class, and the same samples at every layer', () => {
  const K = 3;
  const data = clusteredData({ numClasses: K, dim: 6, counts: [50, 50, 50], seed: 22 });
  const narrow = clusteredData({ numClasses: K, dim: 2, counts: [50, 50, 50], seed: 22 });
  const pick = (d: typeof data) => {
    const stats = passOne(d, 50);
    const acc = new ProjectionAccumulator(stats, stats, { pointsPerClass: 7 });
    acc.add(d.features, d.labels);
    return acc.finish().projection?.points ?? [];
  };
  const wide = pick(data);
  assert.equal(wide.length, 21);
  for (let c = 0; c < K; c++) assert.equal(wide.filter((p) => p.label === c).length, 7);
  // Same labels in the same order (chosen by dataset index, not by the features).
  assert.deepEqual(
    wide.map((p) => p.label),
    pick(narrow).map((p) => p.label),
  );
});
