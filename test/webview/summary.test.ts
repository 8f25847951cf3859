import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mostCollapsedLayer, resultWarnings, summaryFacts } from '../../webview/analysis/data/summary';
import { layer, sampleResult, tinyResult } from './helpers';

test('the most collapsed layer has the lowest train NC1; nulls are skipped', () => {
  const found = mostCollapsedLayer(tinyResult());
  assert.equal(found?.layer.name, 'c');
  assert.equal(found?.nc1, 0.5);
  assert.equal(found?.index, 2);
});

test('on a tie the shallower layer wins (cheaper to cut at)', () => {
  const result = tinyResult();
  result.layers = [layer('x', 0, { nc1: 0.3 }), layer('y', 1, { nc1: 0.3 })];
  assert.equal(mostCollapsedLayer(result)?.layer.name, 'x');
});

test('no most collapsed layer when no NC1 was computed', () => {
  const result = tinyResult();
  result.layers = [layer('x', 0, { nc1: null })];
  assert.equal(mostCollapsedLayer(result), null);
});

test('the sample result: the deepest layer is the most collapsed', () => {
  const result = sampleResult();
  const nc1s = result.layers.map((l) => l.metrics.train.nc1 ?? Infinity);
  const lowest = nc1s.indexOf(Math.min(...nc1s));
  assert.equal(mostCollapsedLayer(result)?.layer.name, result.layers[lowest]!.name);
});

test('summary facts: accuracy, effective depth, most collapsed layer (Li et al.), run', () => {
  const facts = summaryFacts(tinyResult(), true);
  assert.deepEqual(
    facts.map((f) => f.id),
    ['accuracy', 'effectiveDepth', 'mostCollapsed', 'run'],
  );
  assert.equal(facts[0]!.text, '90.0% train · 80.0% held-out test');
  assert.deepEqual(facts[1]!.layer, { name: 'c', depth: 2 });
  assert.equal(facts[1]!.label, 'Effective depth (ε = 0.01)');
  assert.match(facts[1]!.after ?? '', /train NCC error is ≤ 1\.0%/);
  assert.deepEqual(facts[2]!.layer, { name: 'c', depth: 2 });
  assert.match(facts[2]!.after ?? '', /train NC1 0\.5\).*linear probe or to fine-tune from \(Li et al\. 2022\)/);
  assert.equal(facts[3]!.text, 'cpu in 3.50 s · 30 train / 15 test samples · 3 classes · 3 layers');
});

test('while running, the labels say "so far" and an unreached effective depth says "yet"', () => {
  const result = tinyResult();
  result.effectiveDepth = { epsilon: 0.01, layer: null, depth: null };
  const facts = summaryFacts(result, false);
  assert.equal(facts[2]!.label, 'Most collapsed layer so far');
  assert.match(facts[1]!.text, /^not reached yet: .*best train NCC accuracy 99\.5%/);
});

test('warnings are the result warnings (skipped images among them, once) and a missing classifier', () => {
  const result = tinyResult();
  result.warnings = ['layer a is wide', 'train: 3 corrupt sample(s) skipped, e.g. x.png, y.png, z.png'];
  result.dataset.train.skipped = { count: 3, examples: ['x.png', 'y.png', 'z.png', 'w.png'] };
  assert.deepEqual(resultWarnings(result), [
    'layer a is wide',
    'train: 3 corrupt sample(s) skipped, e.g. x.png, y.png, z.png',
    'No NC3/NC4: no linear layer before the logits',
  ]);
});

test('the run card counts skipped, resized and converted images per split, only when there are any', () => {
  const result = tinyResult();
  assert.ok(!summaryFacts(result, true).some((f) => f.id === 'images'));
  result.dataset.train = {
    ...result.dataset.train,
    skipped: { count: 2, examples: ['a/1.png (empty file)'] },
    resized: { count: 5, examples: ['a/0.png (100x100)'], to: { width: 28, height: 28 } },
  };
  result.dataset.test = { source: 'data/test', format: 'image-folder', converted: { count: 1, examples: ['b/3.png (grey -> RGB)'], to: 'rgb', kinds: { 'grey-to-rgb': 1 } } };
  const images = summaryFacts(result, true).find((f) => f.id === 'images');
  assert.deepEqual(images, { id: 'images', label: 'Images read', text: 'train: 2 skipped (corrupt) · 5 resized to 28x28; test: 1 converted to RGB' });
});

test('the logits are never the most collapsed layer: one cuts at a representation, not at the classifier output', () => {
  const result = tinyResult();
  const last = result.layers[result.layers.length - 1]!;
  last.metrics.train.nc1 = 1e-9;
  result.classifier = { input: result.layers[0]!.name, output: last.name, nc3: 0.1, nc4: { train: 0 }, weights: { equinorm: 0, equiangularity: 0, maxAngle: 0, etfDistance: 0 } };
  // Layer a is the only other one with a finite training NC1.
  assert.equal(mostCollapsedLayer(result)?.layer.name, 'a');
});

test('the most collapsed layer leaves out a layer whose NC1 is low-rank and says so', () => {
  const result = tinyResult(); // K = 3: Σ_B rank 1 < K−1 = 2
  result.layers = [layer('wide', 0, { nc1: 0.5, nc1Rank: 2 }), layer('narrow', 1, { nc1: 0.008, nc1Rank: 1 })];
  assert.equal(mostCollapsedLayer(result)?.layer.name, 'wide');
  const fact = summaryFacts(result, true).find((f) => f.id === 'mostCollapsed')!;
  assert.equal(fact.layer?.name, 'wide');
  assert.match(fact.after ?? '', /1 layer\(s\) with a low-rank NC1 \(Σ_B rank < K−1 = 2, so a small NC1 there does not mean separated classes\) left out: narrow$/);
});

test('every layer low-rank: no layer is recommended, and the fact says why', () => {
  const result = tinyResult();
  result.layers = [layer('x', 0, { nc1: 0.01, nc1Rank: 1 }), layer('y', 1, { nc1: 0.02, nc1Rank: 0 })];
  assert.equal(mostCollapsedLayer(result), null);
  const fact = summaryFacts(result, true).find((f) => f.id === 'mostCollapsed')!;
  assert.equal(fact.layer, undefined);
  assert.equal(fact.text, 'none recommended: the train NC1 of every layer is low-rank (Σ_B rank < K−1 = 2), and a small NC1 there does not mean the classes are separated');
});

test('the run card says which preprocessing ran and where each part came from', () => {
  const result = tinyResult();
  result.dataset.preprocessing = {
    scale: 1 / 255,
    mean: [0.4914, 0.4822, 0.4465],
    std: [0.247, 0.243, 0.261],
    layout: 'nchw',
    origin: { scale: 'default', mean: 'collapse-lens.json', std: 'collapse-lens.json', layout: 'model-input' },
    configFile: '/data/cifar/collapse-lens.json',
  };
  const fact = summaryFacts(result, true).find((f) => f.id === 'preprocessing');
  assert.equal(fact?.label, 'Preprocessing');
  assert.equal(
    fact?.text,
    'scale 1/255 (default), mean [0.4914, 0.4822, 0.4465] std [0.247, 0.243, 0.261] (collapse-lens.json), layout nchw (model input); collapse-lens.json: /data/cifar/collapse-lens.json',
  );
  // A result without preprocessing (features given directly) has no such line.
  assert.equal(summaryFacts(tinyResult(), true).some((f) => f.id === 'preprocessing'), false);
});

test('the run fact announces the slower JavaScript metrics fallback, and says nothing of the usual kernels', () => {
  const result = tinyResult();
  result.runtime = { name: 'onnxruntime-node', version: '1.30.0', metricsKernel: 'webassembly-simd' };
  const run = () => summaryFacts(result, true).find((f) => f.id === 'run')!.text;
  assert.doesNotMatch(run(), /fallback/);
  result.runtime = { ...result.runtime, metricsKernel: 'javascript', metricsKernelNote: 'JavaScript fallback, slower, same numbers: no SIMD' };
  assert.match(run(), / · metrics on the JavaScript fallback \(slower, same numbers\)$/);
});

test('the run fact says when the reductions ran inside the ONNX graph, and nothing for the JavaScript default', () => {
  const result = tinyResult();
  result.runtime = { name: 'onnxruntime-node', version: '1.30.0', reductionPath: 'javascript-float64' };
  const run = () => summaryFacts(result, true).find((f) => f.id === 'run')!.text;
  assert.doesNotMatch(run(), /graph/);
  result.runtime = { ...result.runtime, reductionPath: 'in-graph-float64' };
  assert.match(run(), / · reductions inside the ONNX graph \(float64\)$/);
});
