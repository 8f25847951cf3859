/**
 * A layer narrower than K−1 has a low-rank Σ_B: its NC1 only measures the spread inside that subspace and
 * can be tiny while the classes overlap. It is flagged in the result and kept out of the recommendation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lowRankNc1Entries, lowRankNc1Warning, nc1RankDeficient, withLowRankFlags } from '../../../src/core/lowRankNc1';
import { findMostCollapsed, mostCollapsedLayer } from '../../../src/core/mostCollapsed';
import type { SplitLayerMetrics } from '../../../src/core/result';
import { syntheticResult } from '../helpers/syntheticResult';
import { clusteredData, passOne, passTwo } from './helpers';

const K = 10;
const counts = Array.from({ length: K }, () => 20);

/** Real metrics of K = 10 Gaussian classes at a layer of the given width. */
function layerMetrics(dim: number, spread: number, seed: number): SplitLayerMetrics {
  const data = clusteredData({ numClasses: K, dim, counts, seed, spread });
  const stats = passOne(data, 32);
  return passTwo(data, stats, stats, 32).metrics;
}

// Width 4 with tight classes: rank ≤ 4 < K−1 = 9 and a smaller NC1 than the full-rank layer's.
const narrow = layerMetrics(4, 0.01, 3);
const wide = layerMetrics(16, 1, 4);

function resultWith(layers: [string, SplitLayerMetrics][]) {
  const result = syntheticResult({ layers: layers.map(([name]) => ({ name, nc1: 1, ncc: 1 })) });
  result.layers.forEach((layer, i) => {
    layer.metrics.train = layers[i]![1];
  });
  return result;
}

test('a 4-wide layer with K = 10 is low-rank; a 16-wide one is not', () => {
  assert.ok(narrow.nc1Rank !== null && narrow.nc1Rank <= 4, `rank ${narrow.nc1Rank}`);
  assert.equal(wide.nc1Rank, K - 1);
  assert.equal(typeof narrow.nc1, 'number');
  assert.ok((narrow.nc1 as number) < (wide.nc1 as number), 'the narrow layer looks more collapsed');
  assert.equal(nc1RankDeficient(narrow, K), true);
  assert.equal(nc1RankDeficient(wide, K), false);
});

test('a null NC1 or an unknown rank is not flagged (nothing is shown to mark)', () => {
  assert.equal(nc1RankDeficient({ nc1: null, nc1Rank: 0 }, K), false);
  assert.equal(nc1RankDeficient({ nc1: 0.1, nc1Rank: null }, K), false);
  assert.equal(nc1RankDeficient(undefined, K), false);
  // K = 2: rank 1 is K−1, full rank.
  assert.equal(nc1RankDeficient({ nc1: 0.1, nc1Rank: 1 }, 2), false);
});

test('the most collapsed layer skips the low-rank layer though its NC1 is the lowest', () => {
  const result = resultWith([
    ['narrow', narrow],
    ['wide', wide],
  ]);
  const search = findMostCollapsed(result);
  assert.equal(search.found?.layer.name, 'wide');
  assert.deepEqual(search.lowRank, ['narrow']);
});

test('every layer low-rank: no layer is recommended, and the search says which were left out', () => {
  const result = resultWith([
    ['a', narrow],
    ['b', layerMetrics(4, 0.5, 5)],
  ]);
  assert.equal(mostCollapsedLayer(result), null);
  assert.deepEqual(findMostCollapsed(result).lowRank, ['a', 'b']);
});

test('the result flags the low-rank split and warns naming the layer and its rank', () => {
  const result = resultWith([
    ['narrow', narrow],
    ['wide', wide],
  ]);
  const flagged = withLowRankFlags(result.layers, K);
  assert.equal(flagged[0]!.metrics.train.nc1LowRank, true);
  assert.equal(flagged[1]!.metrics.train.nc1LowRank, undefined);
  assert.equal(result.layers[0]!.metrics.train.nc1LowRank, undefined, 'the input is left as it is');
  assert.deepEqual(lowRankNc1Entries(flagged, K), [{ layer: 'narrow', split: 'train', rank: narrow.nc1Rank }]);
  const warning = lowRankNc1Warning(flagged, K) ?? '';
  assert.match(warning, /NC1 is low-rank at 1 layer\(s\)/);
  assert.match(warning, /K−1 = 9/);
  assert.match(warning, new RegExp(`narrow \\(train rank ${narrow.nc1Rank}\\)`));
  assert.doesNotMatch(warning, /wide/);
  assert.equal(lowRankNc1Warning(withLowRankFlags([result.layers[1]!], K), K), null);
});
