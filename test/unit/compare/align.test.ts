import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alignRuns, compareResults, DatasetMismatchError, epochFromName, orderByEpoch, buildTrajectory } from '../../../src/core/compare';
import { syntheticResult } from '../helpers/syntheticResult';

const layers = (nc1s: number[]) => nc1s.map((v, i) => ({ name: `l${i}`, nc1: v, ncc: 0.5 + i / 10 }));

test('same architecture aligns by name and measures NC1 change as a log10 ratio', () => {
  const a = syntheticResult({ layers: layers([10, 1, 0.1]) });
  const b = syntheticResult({ layers: layers([10, 0.1, 0.001]) });
  const { alignment, rows } = alignRuns([a, b]);
  assert.equal(alignment, 'name');
  assert.deepEqual(rows.map((r) => r.key), ['l0', 'l1', 'l2']);
  assert.ok(Math.abs((rows[1].change.nc1 as number) - -1) < 1e-12);
  assert.ok(Math.abs((rows[2].change.nc1 as number) - -2) < 1e-12);
  assert.equal(rows[0].change.nc1, 0);
});

test('different architectures align by relative depth, each run picking its nearest layer', () => {
  const a = syntheticResult({ layers: layers([10, 5, 1]) }); // relative depths 0, 0.5, 1
  const b = syntheticResult({ layers: [0, 1, 2, 3, 4].map((i) => ({ name: `m${i}`, nc1: 10 ** -i, ncc: 1 })) }); // 0, .25, .5, .75, 1
  const { alignment, rows } = alignRuns([a, b]);
  assert.equal(alignment, 'relative-depth');
  assert.deepEqual(rows.map((r) => r.cells[1]?.layer), ['m0', 'm2', 'm4']);
  assert.deepEqual(rows.map((r) => r.relativeDepth), [0, 0.5, 1]);
});

test('largest changes come first and a run on other data is refused with the difference named', () => {
  const a = syntheticResult({ layers: layers([10, 1, 0.1]) });
  const b = syntheticResult({ layers: layers([10, 1, 0.0001]) });
  const c = compareResults([a, b], ['ce', 'ls'], false);
  assert.equal(c.largestChanges[0].key, 'l2');
  assert.deepEqual(c.warnings, []);
  const other = syntheticResult({ layers: layers([10, 1, 0.1]), trainSource: 'cifar' });
  assert.throws(() => compareResults([a, other], ['a', 'b'], false), (e: unknown) => e instanceof DatasetMismatchError && /train data differ: a used data, b used cifar/.test(e.message));
  const allowed = compareResults([a, other], ['a', 'b'], true);
  assert.equal(allowed.warnings.length, 1);
  const fewer = syntheticResult({ layers: layers([10, 1, 0.1]), perClass: 100 });
  assert.throws(() => compareResults([a, fewer], ['a', 'b'], false), /preprocessing differs/);
});

test('epochs are read from file names and ordered; duplicates and missing numbers are refused', () => {
  assert.equal(epochFromName('epoch_012.onnx'), 12);
  assert.equal(epochFromName('ckpt-e30.onnx'), 30);
  assert.equal(epochFromName('resnet18_ep7.onnx'), 7);
  assert.equal(epochFromName('model-200.onnx'), 200);
  assert.equal(epochFromName('final.onnx'), null);
  assert.deepEqual(orderByEpoch(['e10.onnx', 'e2.onnx', 'e1.onnx']).map((e) => e.epoch), [1, 2, 10]);
  assert.throws(() => orderByEpoch(['e1.onnx', 'final.onnx']), /no epoch number in the file name of final.onnx/);
  assert.throws(() => orderByEpoch(['e1.onnx', 'ep1.onnx']), /both read as epoch 1/);
});

test('a trajectory lays each layer metric out against epoch', () => {
  const t = buildTrajectory([
    { epoch: 200, result: syntheticResult({ layers: layers([5, 0.5, 0.01]) }) },
    { epoch: 1, result: syntheticResult({ layers: layers([6, 3, 2]) }) },
  ]);
  assert.deepEqual(t.epochs, [1, 200]);
  assert.deepEqual(t.series.l2.nc1.train, [2, 0.01]);
  assert.equal(t.series.l2.nc1.test, null);
  assert.deepEqual(t.layers, ['l0', 'l1', 'l2']);
});

test("a trajectory carries each epoch's own warnings, named by epoch", () => {
  const early = syntheticResult({ layers: layers([6, 3, 2]) });
  early.warnings = ["the network's own accuracy on the training split is 12% (chance is 10%)"];
  const t = buildTrajectory([
    { epoch: 200, result: syntheticResult({ layers: layers([5, 0.5, 0.01]) }) },
    { epoch: 1, result: early },
  ]);
  assert.deepEqual(t.warnings, ["epoch 1: the network's own accuracy on the training split is 12% (chance is 10%)"]);
});

test('compare warns when the runs reduced a layer differently (cls vs mean), and says nothing when they agree', () => {
  const a = syntheticResult({ checkpoint: 'vit_a.onnx', layers: [{ name: 'block', nc1: 1, ncc: 0.9 }, { name: 'head', nc1: 0.5, ncc: 1 }] });
  const b = syntheticResult({ checkpoint: 'vit_b.onnx', layers: [{ name: 'block', nc1: 0.8, ncc: 0.95 }, { name: 'head', nc1: 0.4, ncc: 1 }] });
  assert.deepEqual(compareResults([a, b], ['A', 'B'], false).warnings, []);
  a.layers[0]!.reduction = 'cls';
  b.layers[0]!.reduction = 'mean';
  b.layers[1]!.reduction = 'flatten';
  assert.deepEqual(compareResults([a, b], ['A', 'B'], false).warnings, [
    'layer block was reduced by cls in A and by mean in B: its numbers describe different features',
  ]);
});
