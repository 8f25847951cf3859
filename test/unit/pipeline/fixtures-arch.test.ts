/**
 * The real-architecture fixtures of issue 13 (a ResNet of torchvision BasicBlocks, a MobileNetV2-style net of
 * torchvision InvertedResiduals, a torchvision ViT with a class token), trained on Fashion-MNIST padded to 32x32 and analysed in-process with their default probes
 * and reductions, against the independent NumPy reference: every metric, as for the CNN.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { AnalysisResult } from '../../../src/core/result';
import { analyzeCheckpoint } from '../../../src/engine/analyze/pipeline';
import { describeLayers } from '../../../src/engine/analyze/layers';
import { fixtureRequest, silentHooks } from './helpers/analyze';
import { assertMatchesExpected } from './helpers/compareFixture';
import { readExpected, restrictExpected } from './helpers/expected';
import { expectedPath, FASHION32, modelPath, REPO_ROOT } from './helpers/paths';

const cache = new Map<string, Promise<AnalysisResult>>();
function analyzeArch(model: string): Promise<AnalysisResult> {
  let run = cache.get(model);
  if (!run) {
    run = analyzeCheckpoint(
      fixtureRequest(model, { train: { path: join(FASHION32, 'train.npz') }, test: { path: join(FASHION32, 'test.npz') } }),
      silentHooks,
    );
    cache.set(model, run);
  }
  return run;
}

/**
 * The default probes, as a practitioner names them: one per block (the block output), plus the stem and
 * the head. The expected files also hold the tensors inside the blocks (the reference's plan is a superset).
 */
const DEFAULT_PROBES: Record<string, string[]> = {
  // The stem ReLU; each BasicBlock at the ReLU after its Add (its first ReLU and the Add are inside); the head.
  resnet: [
    '/relu/Relu_output_0',
    '/layer1/relu_1/Relu_output_0',
    '/layer2/relu_1/Relu_output_0',
    '/layer3/relu_1/Relu_output_0',
    '/avgpool/GlobalAveragePool_output_0',
    '/flatten/Flatten_output_0',
    'logits',
  ],
  // The stem ReLU6; each inverted residual at its Add (blocks 1 and 3) or, without a skip, its linear 1x1
  // projection (blocks 2 and 4); the expansion and depthwise ReLU6s are inside; the 1x1 head conv's ReLU6; the head.
  mobilenet: [
    '/stem/stem.2/Clip_output_0',
    '/block1/Add_output_0',
    '/block2/conv/conv.2/Conv_output_0',
    '/block3/Add_output_0',
    '/block4/conv/conv.2/Conv_output_0',
    '/head/head.2/Clip_output_0',
    '/avgpool/GlobalAveragePool_output_0',
    '/flatten/Flatten_output_0',
    'logits',
  ],
  // Each encoder block at the sum that ends it (the attention sum and the GELU are inside), the class token
  // of the final LayerNorm (the classifier input), the logits.
  vit: [
    '/encoder/layers/encoder_layer_0/Add_1_output_0',
    '/encoder/layers/encoder_layer_1/Add_1_output_0',
    '/encoder/layers/encoder_layer_2/Add_1_output_0',
    '/encoder/layers/encoder_layer_3/Add_1_output_0',
    '/Gather_4_output_0',
    'logits',
  ],
};

for (const model of ['resnet', 'mobilenet', 'vit']) {
  const probes = DEFAULT_PROBES[model]!;

  test(`${model}: layers lists the block outputs as the defaults (${probes.length}), every one with a resolved shape and the reference's reduction`, async () => {
    const info = await describeLayers(modelPath(model));
    const expected = restrictExpected(readExpected(expectedPath(model)), probes);
    const defaults = info.layers.filter((l) => l.auto);
    assert.deepEqual(defaults.map((l) => l.name), probes);
    for (const [i, l] of defaults.entries()) {
      assert.ok(l.shape.every((d) => d !== null), `${l.name}: shape ${JSON.stringify(l.shape)}`);
      assert.deepEqual(l.shape, expected.layers[i]!.tensorShape, `${l.name}: shape`);
      assert.equal(l.reduction, expected.layers[i]!.reduction, `${l.name}: default reduction`);
    }
  });

  test(`${model}: analyze with the default probes matches every metric of the NumPy reference (both splits, classifier, accuracy, effective depth)`, async () => {
    assertMatchesExpected(await analyzeArch(model), restrictExpected(readExpected(expectedPath(model)), probes));
  });

  test(`${model} (100% training accuracy): the classifier input's training NC1 is far below the first probe's, and its NCC accuracy is 100%`, async () => {
    const result = await analyzeArch(model);
    const input = result.layers.find((l) => l.name === result.classifier?.input);
    assert.ok(input, `${model}: classifier input probed`);
    const first = result.layers[0]!.metrics.train.nc1!;
    const last = input.metrics.train.nc1!;
    // Reference: resnet 1.47 -> 0.138, mobilenet 1.42 -> 0.30, vit 2.85 -> 0.091.
    assert.ok(last < first / 4, `${model}: NC1 ${first} at ${result.layers[0]!.name} vs ${last} at ${input.name}`);
    assert.equal(input.metrics.train.nccAccuracy, 1);
  });
}

test('vit: the attention reshapes that merge batch and tokens are listed with the reason and never probed', async () => {
  const info = await describeLayers(modelPath('vit'));
  const merged = info.layers.find((l) => l.name === '/encoder/layers/encoder_layer_0/self_attention/Reshape_3_output_0');
  assert.ok(merged, 'the tensor of the issue is listed');
  assert.equal(merged.auto, false);
  assert.match(merged.shapeUnknown ?? '', /\[\d+, 64\] for a batch of 2: the first dimension is not the batch/);
  assert.deepEqual(info.tokens, { classToken: true });
});

test('vit: every encoder block output is read at its class token (64 values, not 65 x 64), and the table says so', async () => {
  const result = await analyzeArch('vit');
  const encoder = result.layers.filter((l) => l.name.startsWith('/encoder/'));
  assert.equal(encoder.length, 4);
  for (const l of encoder) {
    assert.equal(l.reduction, 'cls', l.name);
    assert.equal(l.tensorShape?.[0], 65, l.name);
    assert.deepEqual(l.shape, [l.tensorShape?.[1]], l.name);
  }
  assert.equal(result.settings?.reduction, 'auto');
});

test('resnet: --reduce gap turns every conv map into its channel means, and leaves the vectors flattened', async () => {
  const result = await analyzeCheckpoint(
    fixtureRequest('resnet', { train: { path: join(FASHION32, 'train.npz') }, perClass: 20, reduction: { all: 'gap' } }),
    silentHooks,
  );
  const byName = new Map(result.layers.map((l) => [l.name, l]));
  assert.deepEqual([byName.get('/layer1/relu_1/Relu_output_0')?.reduction, byName.get('/layer1/relu_1/Relu_output_0')?.shape], ['gap', [16]]);
  assert.deepEqual(byName.get('/layer3/relu_1/Relu_output_0')?.tensorShape, [64, 8, 8]);
  // The global average pool is already 64 x 1 x 1: gap of it is the same 64 values as the flatten after it.
  const pool = byName.get('/avgpool/GlobalAveragePool_output_0')!;
  const flat = byName.get('/flatten/Flatten_output_0')!;
  assert.equal(flat.reduction, 'flatten');
  assert.ok(Math.abs(pool.metrics.train.nc1! - flat.metrics.train.nc1!) <= 1e-6 * flat.metrics.train.nc1!, `${pool.metrics.train.nc1} vs ${flat.metrics.train.nc1}`);
  assert.equal(result.settings?.reduction, 'gap');
});

test('collapse-lens layers on the ViT prints the resolved token shapes with their reduction, and the reason beside a "?"', () => {
  // A child process: capturing this process's stdout would also capture the test runner's own report.
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'src', 'engine', 'main.ts'), 'layers', modelPath('vit')], { encoding: 'utf8', cwd: REPO_ROOT, timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  const text = r.stdout;
  assert.match(text, /^\*\s+\d+\s+\/encoder\/layers\/encoder_layer_0\/Add_1_output_0\s+Add\s+65x64 -> cls 64$/m);
  // Inside the block: listed with the reduction it would get, not a default ("*" marks the defaults).
  assert.match(text, /^ \s+\d+\s+\/encoder\/layers\/encoder_layer_0\/mlp\/mlp\.1\/Mul_1_output_0\s+Mul\s+65x128 -> cls 128$/m);
  assert.match(text, /^ \s+\d+\s+\/encoder\/layers\/encoder_layer_0\/Add_output_0\s+Add\s+65x64 -> cls 64$/m);
  assert.match(text, /: \d+ layers, 6 probed by default/);
  assert.match(text, /^\s+\d+\s+\/encoder\/layers\/encoder_layer_0\/self_attention\/Reshape_3_output_0\s+Reshape\s+\?\s+\(its shape is \[130, 64\] for a batch of 2/m);
  assert.match(text, /transformer: token tensors \(T x D\) are reduced to the class token/);
});
