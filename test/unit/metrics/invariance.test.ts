/**
 * The numbers must not depend on how the samples are streamed: batch size, sample order, or splitting
 * the data into shards whose accumulators are merged.
 */
import { test } from 'node:test';
import { ClassStatsAccumulator, ProjectionAccumulator, type ClassStats } from '../../../src/core/metrics';
import { assertNoNaN, assertSameNumbers, clusteredData, passOne, passTwo, randomClassifier, seededRandom, slice, type Dataset } from './helpers';

const K = 6;
const D = 23;
const train = clusteredData({ numClasses: K, dim: D, counts: [40, 7, 25, 31, 12, 50], seed: 77, spread: 2 });
const heldOut = clusteredData({ numClasses: K, dim: D, counts: [9, 14, 3, 20, 11, 6], seed: 78, spread: 2, centres: train.centres });
const classifier = randomClassifier(K, D, 79);

/** Pass 1 and pass 2 for both splits, with the given batch size; everything a caller can read. */
function analyse(trainData: Dataset, testData: Dataset, batchSize: number): unknown {
  const trainStats = passOne(trainData, batchSize);
  const testStats = passOne(testData, batchSize);
  const trainRun = passTwo(trainData, trainStats, trainStats, batchSize, { classifier });
  const testRun = passTwo(testData, testStats, trainStats, batchSize, { classifier });
  return { trainStats: statsNumbers(trainStats), testStats: statsNumbers(testStats), trainRun, testRun };
}

function statsNumbers(stats: ClassStats): unknown {
  return { counts: stats.counts, means: stats.means, scatter: stats.scatter, gram: stats.gram, rank: stats.rank, nc2: stats.nc2, cdnv: stats.cdnvMatrix };
}

function permuted(data: Dataset, seed: number): { data: Dataset; original: Int32Array } {
  const random = seededRandom(seed);
  const order = Array.from({ length: data.count }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const features = new Float32Array(data.features.length);
  const labels = new Int32Array(data.count);
  order.forEach((src, dst) => {
    features.set(data.features.subarray(src * D, (src + 1) * D), dst * D);
    labels[dst] = data.labels[src];
  });
  return { data: { ...data, features, labels }, original: Int32Array.from(order) };
}

test('batch sizes 1 to all give the same numbers to 1e-12 (points included)', () => {
  const all = analyse(train, heldOut, train.count);
  assertNoNaN(all);
  for (const batchSize of [1, 2, 3, 16, 61]) assertSameNumbers(analyse(train, heldOut, batchSize), all, 1e-12);
});

test('any sample order gives the same numbers to 1e-12 (dataset indices keep the same plotted points)', () => {
  const reference = analyse(train, heldOut, 10);
  const { data: shuffled, original } = permuted(train, 5);
  const { data: shuffledTest, original: originalTest } = permuted(heldOut, 6);

  const one = new ClassStatsAccumulator('layer', K, D);
  one.add(shuffled.features, shuffled.labels, { sampleIndices: original });
  const trainStats = one.finish();
  const oneTest = new ClassStatsAccumulator('layer', K, D);
  oneTest.add(shuffledTest.features, shuffledTest.labels, { sampleIndices: originalTest });
  const testStats = oneTest.finish();
  const runOf = (data: Dataset, indices: Int32Array, own: ClassStats) => {
    const acc = new ProjectionAccumulator(own, trainStats, { classifier });
    for (let from = 0; from < data.count; from += 13) {
      const to = Math.min(data.count, from + 13);
      const batch = slice(data, from, to);
      acc.add(batch.features, batch.labels, { sampleIndices: indices.subarray(from, to) });
    }
    return { metrics: acc.finish(), network: acc.finishNetwork() };
  };
  const result = {
    trainStats: statsNumbers(trainStats),
    testStats: statsNumbers(testStats),
    trainRun: runOf(shuffled, original, trainStats),
    testRun: runOf(shuffledTest, originalTest, testStats),
  };
  assertSameNumbers(result, reference, 1e-12);
});

test('merging shard accumulators equals one pass over everything', () => {
  const reference = analyse(train, heldOut, 17);
  const cuts = [0, 50, 51, 120, train.count];
  const shardsOne = cuts.slice(1).map((to, s) => {
    const acc = new ClassStatsAccumulator('layer', K, D);
    const batch = slice(train, cuts[s], to);
    acc.add(batch.features, batch.labels, { firstIndex: cuts[s] });
    return acc;
  });
  const mergedOne = shardsOne[0];
  for (const shard of shardsOne.slice(1)) mergedOne.merge(shard);
  const trainStats = mergedOne.finish();
  const testStats = passOne(heldOut, 17);

  const shardsTwo = cuts.slice(1).map((to, s) => {
    const acc = new ProjectionAccumulator(trainStats, trainStats, { classifier });
    const batch = slice(train, cuts[s], to);
    acc.add(batch.features, batch.labels, { firstIndex: cuts[s] });
    return acc;
  });
  // Merge in a different order than the shards were cut.
  const mergedTwo = shardsTwo[3];
  for (const shard of [shardsTwo[1], shardsTwo[0], shardsTwo[2]]) mergedTwo.merge(shard);
  const result = {
    trainStats: statsNumbers(trainStats),
    testStats: statsNumbers(testStats),
    trainRun: { metrics: mergedTwo.finish(), network: mergedTwo.finishNetwork() },
    testRun: passTwo(heldOut, testStats, trainStats, 17, { classifier }),
  };
  assertSameNumbers(result, reference, 1e-12);
});
