import { test } from 'node:test';
import assert from 'node:assert/strict';
import { totalmem } from 'node:os';
import { BASELINE_BYTES, BATCHES_IN_FLIGHT, MEAN_COPIES_TRAIN_ONLY, MEAN_COPIES_WITH_TEST, availableMemoryBytes, batchRowsInFlight, checkMemoryFits, estimateAnalysisMemory, memoryLeftFor, memoryLimit, USABLE_SHARE } from '../../../src/engine/analyze/memoryEstimate';
import { analyzeCheckpoint } from '../../../src/engine/analyze/pipeline';
import { fixtureRequest, silentHooks } from '../pipeline/helpers/analyze';

const GiB = 2 ** 30;

test('the estimate counts each probe\'s class means (and their copies) and its outputs in flight', () => {
  const probes = [
    { name: 'narrow', dim: 10 },
    { name: 'wide', dim: 1000 },
  ];
  const trainOnly = estimateAnalysisMemory(probes, 10, false, 64);
  const layerBytes = (dim: number, copies: number) => copies * 10 * dim * 8 + BATCHES_IN_FLIGHT * 64 * dim * 4;
  assert.equal(trainOnly.bytes, BASELINE_BYTES + layerBytes(10, MEAN_COPIES_TRAIN_ONLY) + layerBytes(1000, MEAN_COPIES_TRAIN_ONLY));
  assert.deepEqual(trainOnly.perLayer.map((l) => l.name), ['wide', 'narrow'], 'largest first');
  const withTest = estimateAnalysisMemory(probes, 10, true, 64);
  assert.equal(withTest.bytes, BASELINE_BYTES + layerBytes(10, MEAN_COPIES_WITH_TEST) + layerBytes(1000, MEAN_COPIES_WITH_TEST));
  // Ten times the classes: the class-mean part grows tenfold, the batches do not.
  const moreClasses = estimateAnalysisMemory(probes, 100, false, 64);
  assert.equal(moreClasses.bytes - BASELINE_BYTES, 10 * (trainOnly.bytes - BASELINE_BYTES) - 9 * BATCHES_IN_FLIGHT * 64 * 1010 * 4);
});

test('an analysis that cannot fit is refused up front, naming the layers that take the memory and what to change', () => {
  // ImageNet-like: 1,000 classes, a 56x56x256 activation beside small layers.
  const estimate = estimateAnalysisMemory(
    [
      { name: '/layer1/relu_2/Relu_output_0', dim: 56 * 56 * 256 },
      { name: '/avgpool/GlobalAveragePool_output_0', dim: 2048 },
      { name: 'logits', dim: 1000 },
    ],
    1000,
    true,
    64,
  );
  assert.ok(estimate.bytes > 40 * GiB, `${estimate.bytes / GiB} GiB`);
  assert.throws(
    () => checkMemoryFits('/models/resnet.onnx', estimate, 1000, 32 * GiB),
    (err: Error) => {
      assert.equal(err.name, 'UserError');
      assert.match(err.message, /^\/models\/resnet\.onnx: this analysis would need about \d+ GiB of memory, more than the 26 GiB it may use \(80% of the 32 GiB this machine, or its container, allows\)/);
      assert.match(err.message, /1000 class means/);
      assert.match(err.message, /\/layer1\/relu_2\/Relu_output_0 \(802,816 values: \d+ GiB\)/);
      // The small layers are not worth naming: dropping them would not help.
      assert.doesNotMatch(err.message, /avgpool|logits \(/);
      assert.match(err.message, /--layers/);
      return true;
    },
  );
  // The same analysis on a machine with room for it goes ahead.
  checkMemoryFits('/models/resnet.onnx', estimate, 1000, 1024 * GiB);
});

test('an ordinary analysis (the CNN fixture on Fashion-MNIST) is far below any machine', () => {
  const estimate = estimateAnalysisMemory([{ name: 'relu1', dim: 16 * 28 * 28 }, { name: 'pool1', dim: 16 * 14 * 14 }, { name: 'logits', dim: 10 }], 10, true, 64);
  assert.ok(estimate.bytes < 1 * GiB, `${estimate.bytes / GiB} GiB`);
  checkMemoryFits('cnn.onnx', estimate, 10, 4 * GiB);
});

test('a batch holds at most the samples a split has: --batch-size 100000 on 200 samples costs 200 samples', () => {
  assert.equal(batchRowsInFlight(100_000, [200, 100]), 200);
  assert.equal(batchRowsInFlight(64, [200, 100]), 64);
  assert.equal(batchRowsInFlight(100_000, [200, 5000]), 5000, 'the larger split sets it');
  // The CNN fixture's default probes (about 31,000 values per sample): 100,000 rows of them in flight
  // is ~35 GiB, which a 16 GiB machine refuses; the 200 rows that exist are a few MiB.
  const probes = [12544, 3136, 3136, 3136, 3136, 784, 1568, 288, 288, 64, 10].map((dim, i) => ({ name: `layer${i}`, dim }));
  const small = estimateAnalysisMemory(probes, 10, true, batchRowsInFlight(100_000, [200, 200]));
  assert.ok(small.bytes < 0.5 * GiB, `${small.bytes / GiB} GiB`);
  checkMemoryFits('cnn.onnx', small, 10, 16 * GiB);
  // A batch that large on a split that really has a million samples is still refused, and the message
  // says that the batch size is what to change.
  const large = estimateAnalysisMemory(probes, 10, true, batchRowsInFlight(100_000, [1_000_000]));
  assert.throws(
    () => checkMemoryFits('cnn.onnx', large, 10, 16 * GiB),
    (err: Error) => /would need about \d+ GiB/.test(err.message) && new RegExp(`use a smaller --batch-size \\(${BATCHES_IN_FLIGHT} batches of outputs in flight take \\d+ GiB of it\\)`).test(err.message),
  );
});

test('analyze with --batch-size 100000 on the 200-sample fixture runs (sized by the samples that exist)', async () => {
  const result = await analyzeCheckpoint(fixtureRequest('cnn', { batchSize: 100_000, perClass: 20 }), silentHooks);
  assert.equal(result.splits.train.samples, 200);
  assert.equal(result.settings?.batchSize, 100_000);
});

test('the memory available is the machine\'s, or a container\'s limit when lower', () => {
  const machine = 32 * GiB;
  assert.equal(memoryLimit(machine, 8 * GiB), 8 * GiB, 'a container limit below the machine');
  assert.equal(memoryLimit(machine, 2 ** 64 - 1), machine, 'an unlimited cgroup');
  assert.equal(memoryLimit(machine, 0), machine, 'no cgroup');
  assert.equal(memoryLimit(machine, undefined), machine, 'a Node without process.constrainedMemory');
  assert.equal(memoryLimit(machine, 64 * GiB), machine, 'a limit above the machine');
  const available = availableMemoryBytes();
  assert.ok(available > 0 && available <= totalmem(), `${available} of ${totalmem()}`);
});

test('a reduced probe (gap of 256x56x56) counts the whole tensor of the batch being reduced, not only its 256 values', () => {
  const reduced = { name: 'stage1', dim: 256 };
  const plain = estimateAnalysisMemory([reduced], 10, true, 64);
  const withTensor = estimateAnalysisMemory([{ ...reduced, fetchedDim: 256 * 56 * 56 }], 10, true, 64);
  assert.equal(withTensor.bytes - plain.bytes, 64 * 256 * 56 * 56 * 4, 'one batch of the fetched tensor, float32');
  assert.equal(withTensor.batchBytes - plain.batchBytes, 64 * 256 * 56 * 56 * 4, 'and it is batch memory: a smaller --batch-size shrinks it');
  assert.equal(estimateAnalysisMemory([{ ...reduced, fetchedDim: 256 }], 10, true, 64).bytes, plain.bytes, 'a flattened probe fetches what it keeps');
});

test('the pass-2 cache may take only what the estimate leaves of the usable memory, never enough to make a run not fit', () => {
  const estimate = estimateAnalysisMemory([{ name: 'penultimate', dim: 512 }], 10, true, 64);
  const machine = 4 * GiB;
  assert.equal(memoryLeftFor(estimate, machine), Math.floor(machine * USABLE_SHARE - estimate.bytes));
  // What is left, added to the estimate, still fits; a machine the estimate alone fills leaves nothing.
  assert.doesNotThrow(() => checkMemoryFits('model.onnx', { ...estimate, bytes: estimate.bytes + memoryLeftFor(estimate, machine) }, 10, machine));
  assert.equal(memoryLeftFor(estimate, estimate.bytes / USABLE_SHARE - 1), 0);
});
