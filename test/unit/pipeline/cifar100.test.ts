/**
 * CIFAR-100 end to end at K = 100: generated train.bin / test.bin (2 label bytes, coarse then fine) and
 * fine_label_names.txt, a generated ONNX model whose penultimate layer picks D pixels of each image, and
 * every metric of that layer checked against the plain float64 computation of brute-force.ts on the same
 * float32 features (the pixels x 1/255, which the test computes itself).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { analyzeCheckpoint } from '../../../src/engine/analyze/pipeline';
import type { SplitLayerMetrics } from '../../../src/core/result';
import { isPackedMatrix, matrixRows, matrixRowsOrNull } from '../../../src/core/packedMatrix';
import { describeCheckpointClassifier } from '../../../src/core/model/describeClassifier';
import { seededRandom } from '../../../src/core/dataset/sampling';
import { buildModel, floatTensor, intAttr, node, valueInfo } from '../model/onnx/builders';
import { bruteForceSplit, classMeans, logitsOf, nc3Reference, nc4Reference } from '../metrics/brute-force';
import { assertClose } from '../metrics/helpers';
import type { Dataset } from '../metrics/helpers';
import { withTempDir, writeBytes, writeCifar } from '../dataset/helpers/writers';
import { fixtureRequest, silentHooks } from './helpers/analyze';

const K = 100;
const COARSE = 20;
/** Features the penultimate layer picks: more than K - 1, so Sigma_B has full rank K - 1. */
const D = 120;
const PIXELS = 3 * 32 * 32;
/** Pixel index of feature d, spread over the three planes. */
const pixelOf = (d: number): number => (d * 25 + 3) % PIXELS;

interface Split {
  records: { labels: number[]; image: Uint8Array }[];
  /** The features the model computes, as the test computes them: float32(pixel / 255). */
  data: Dataset;
}

/** `perClass` images of each fine class: the picked pixels near a class centre, the others random. */
function split(perClass: number, seed: number): Split {
  const random = seededRandom(seed);
  const records: Split['records'] = [];
  const labels: number[] = [];
  const features: number[] = [];
  for (let n = 0; n < perClass; n++) {
    for (let fine = 0; fine < K; fine++) {
      const image = Uint8Array.from({ length: PIXELS }, () => Math.floor(random() * 256));
      for (let d = 0; d < D; d++) {
        const centre = 40 + ((fine * 37 + d * 11) % 176);
        image[pixelOf(d)] = centre + Math.floor(random() * 40);
        features.push(Math.fround(image[pixelOf(d)]! / 255));
      }
      records.push({ labels: [fine % COARSE, fine], image });
      labels.push(fine);
    }
  }
  return { records, data: { numClasses: K, dim: D, count: labels.length, features: Float32Array.from(features), labels: Int32Array.from(labels) } };
}

/** x [N, 3, 32, 32] -> Flatten -> features = the D picked pixels (a 0/1 Gemm) -> logits = W features + b. */
function model(W: Float64Array, b: Float64Array): Uint8Array {
  const pick = new Float32Array(D * PIXELS);
  for (let d = 0; d < D; d++) pick[d * PIXELS + pixelOf(d)] = 1;
  return buildModel({
    inputs: [valueInfo('x', ['N', 3, 32, 32])],
    outputs: [valueInfo('logits', ['N', K])],
    initializers: [floatTensor('pick', [D, PIXELS], pick), floatTensor('W', [K, D], W), floatTensor('b', [K], b)],
    nodes: [
      node('Flatten', ['x'], ['flat'], [intAttr('axis', 1)]),
      node('Gemm', ['flat', 'pick'], ['features'], [intAttr('transB', 1)]),
      node('Gemm', ['features', 'W', 'b'], ['logits'], [intAttr('transB', 1)]),
    ],
  });
}

test('CIFAR-100 (K = 100, fine labels and names) through the engine: every metric of the penultimate layer matches the float64 reference', async () => {
  await withTempDir('cifar100-k100', async (dir) => {
    const train = split(3, 1);
    const held = split(2, 2);
    writeCifar(join(dir, 'train.bin'), train.records);
    writeCifar(join(dir, 'test.bin'), held.records);
    writeBytes(join(dir, 'fine_label_names.txt'), Array.from({ length: K }, (_, i) => `fine_${i}`).join('\n'));
    writeBytes(join(dir, 'coarse_label_names.txt'), Array.from({ length: COARSE }, (_, i) => `coarse_${i}`).join('\n'));
    // Weights are multiples of 1/8 so float32 holds them exactly and the reference uses the same numbers.
    const random = seededRandom(7);
    const W = Float64Array.from({ length: K * D }, () => Math.round((random() * 2 - 1) * 8) / 8);
    const b = Float64Array.from({ length: K }, () => Math.round((random() * 2 - 1) * 8) / 8);
    const checkpoint = writeBytes(join(dir, 'cifar100-pick.onnx'), model(W, b));

    const result = await analyzeCheckpoint(
      fixtureRequest('mlp', { checkpoint, train: { path: dir, split: 'train' }, test: { path: dir, split: 'test' }, layers: ['features', 'logits'] }),
      silentHooks,
    );
    assert.equal(result.classes.count, K);
    assert.equal(result.classes.names[72], 'fine_72', 'class names from fine_label_names.txt');
    assert.equal(result.dataset.train.format, 'cifar100');
    assert.deepEqual([result.splits.train.samples, result.splits.test?.samples], [300, 200]);
    assert.equal(result.classifier?.input, 'features');
    // The classifier's cosines, packed at K = 100 in the result and in the weights-only report, are the same doubles.
    const fromWeights = (await describeCheckpointClassifier(checkpoint)).classifier?.cosines;
    assert.ok(fromWeights && isPackedMatrix(fromWeights) && result.classifier?.cosines && isPackedMatrix(result.classifier.cosines));
    assert.equal(fromWeights.data, result.classifier.cosines.data);
    assert.equal(matrixRows(fromWeights)[3]?.length, K);

    const layer = result.layers.find((l) => l.name === 'features');
    assert.ok(layer, 'the features layer was probed');
    assert.equal(layer.dim, D);
    const trainMeans = classMeans(train.data).means;
    // Same float32 features on both sides: only the float64 summation order differs.
    const tolerance = 1e-8;
    for (const [name, data] of [['train', train.data], ['test', held.data]] as const) {
      const got: SplitLayerMetrics | undefined = layer.metrics[name];
      assert.ok(got, `${name} metrics`);
      const expected = bruteForceSplit(data, trainMeans);
      assert.equal(got.nc1Rank, expected.rank, `${name} Sigma_B rank`);
      assert.equal(expected.rank, K - 1, 'the reference sees a full-rank Sigma_B');
      assertClose(got.nc1, expected.nc1, tolerance, `${name} NC1`);
      assertClose(got.equinorm, expected.equinorm, tolerance, `${name} equinorm`, 1e-6);
      assertClose(got.equiangularity, expected.equiangularity, tolerance, `${name} equiangularity`, 1e-6);
      assertClose(got.maxAngle, expected.maxAngle, tolerance, `${name} max-angle`, 1e-6);
      assertClose(got.etfDistance, expected.etfDistance, tolerance, `${name} ETF distance`, 1e-6);
      assertClose(got.cdnv, expected.cdnv, tolerance, `${name} mean CDNV`);
      assertClose(got.nccAccuracy, expected.nccAccuracy, 0, `${name} NCC accuracy`);
      // K = 100 is above PACK_ABOVE_CLASSES: the result holds the matrix packed, exact (packedMatrix.ts).
      assert.equal(got.cdnvMatrix && isPackedMatrix(got.cdnvMatrix) && got.cdnvMatrix.encoding, 'float64-upper-base64');
      const cdnvMatrix = matrixRowsOrNull(got.cdnvMatrix);
      assert.equal(cdnvMatrix?.length, K);
      for (const [c, c2] of [[0, 1], [17, 83], [99, 42]] as const) {
        assertClose(cdnvMatrix?.[c]?.[c2], expected.cdnvMatrix[c]![c2]!, tolerance, `${name} CDNV[${c}][${c2}]`);
      }
      for (const c of [0, 50, 99]) assertClose(got.classVariability?.[c], expected.variability[c]!, tolerance, `${name} Var_${c}`);
      const nc4 = nc4Reference(logitsOf(data, W, b), expected.nearest, K);
      assertClose(result.classifier?.nc4[name], nc4.nc4, 0, `${name} NC4`, 1);
      assertClose(result.splits[name]?.accuracy, nc4.accuracy(data.labels), 0, `${name} network accuracy`, 1);
    }
    assertClose(result.classifier?.nc3, nc3Reference(W, trainMeans), tolerance, 'NC3');
  });
});
