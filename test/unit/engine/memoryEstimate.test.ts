import { test } from 'node:test';
import assert from 'node:assert/strict';
import { totalmem } from 'node:os';
import { BASELINE_BYTES, BATCHES_IN_FLIGHT, MEAN_COPIES_TRAIN_ONLY, MEAN_COPIES_WITH_TEST, availableMemoryBytes, checkMemoryFits, estimateAnalysisMemory, memoryLimit } from '../../../src/engine/analyze/memoryEstimate';

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
