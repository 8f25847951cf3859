import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvField, layerRows, layerTableCsv, lowRankTableNote, nextSort, sortRows, tableColumns } from '../../webview/analysis/data/layerTable';
import { layer, tinyResult } from './helpers';
import { describeLayer } from '../../webview/analysis/data/overview';

test('rows carry the table columns, null where a metric was not computed', () => {
  const rows = layerRows(tinyResult());
  assert.deepEqual(rows[1], { depth: 1, name: 'b', shortName: 'b', op: 'Relu', dim: 4, nc1Train: null, nc1Test: 2, nccTrain: 0.8, nccTest: 0.7, cdnvTrain: 1, etfTrain: null, nc1TrainCaveat: null, nc1TestCaveat: null });
});

test('sorting: numbers ascending and descending, missing values always last', () => {
  const rows = layerRows(tinyResult());
  assert.deepEqual(
    sortRows(rows, { column: 'nc1Train', direction: 'ascending' }).map((r) => r.name),
    ['c', 'a', 'b'],
  );
  assert.deepEqual(
    sortRows(rows, { column: 'nc1Train', direction: 'descending' }).map((r) => r.name),
    ['a', 'c', 'b'],
  );
  assert.deepEqual(
    sortRows(rows, { column: 'name', direction: 'descending' }).map((r) => r.name),
    ['c', 'b', 'a'],
  );
});

test('clicking the same header flips the direction, another header starts ascending', () => {
  assert.deepEqual(nextSort(null, 'cdnvTrain'), { column: 'cdnvTrain', direction: 'ascending' });
  assert.deepEqual(nextSort({ column: 'cdnvTrain', direction: 'ascending' }, 'cdnvTrain'), { column: 'cdnvTrain', direction: 'descending' });
  assert.deepEqual(nextSort({ column: 'cdnvTrain', direction: 'descending' }, 'dim'), { column: 'dim', direction: 'ascending' });
});

test('test columns only when there is a held-out split', () => {
  assert.ok(tableColumns(tinyResult()).some((c) => c.id === 'nccTest'));
  const noTest = tinyResult();
  delete noTest.splits.test;
  for (const l of noTest.layers) delete l.metrics.test;
  assert.deepEqual(
    tableColumns(noTest).map((c) => c.id),
    ['depth', 'name', 'op', 'dim', 'nc1Train', 'nccTrain', 'cdnvTrain', 'etfTrain'],
  );
});

test('CSV fields are quoted per RFC 4180', () => {
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('two\nlines'), '"two\nlines"');
  assert.equal(csvField(null), '');
  assert.equal(csvField(0.1 + 0.2), '0.30000000000000004');
});

test('the CSV has every scalar metric of both splits at full precision, empty for null', () => {
  const result = tinyResult();
  result.layers[0]!.name = 'conv,1';
  result.layers[0]!.metrics.train.nc1 = 1 / 3;
  const lines = layerTableCsv(result).split('\r\n');
  assert.equal(
    lines[0],
    'depth,name,op,shape,dim,train_nc1,train_nc1Rank,train_nccAccuracy,train_cdnv,train_etfDistance,train_equinorm,train_equiangularity,train_maxAngle,' +
      'test_nc1,test_nc1Rank,test_nccAccuracy,test_cdnv,test_etfDistance,test_equinorm,test_equiangularity,test_maxAngle',
  );
  assert.equal(lines[1], '0,"conv,1",Relu,4,4,0.3333333333333333,,0.5,2,0.9,,,,5,,0.4,,,,,');
  assert.equal(lines[2], '1,b,Relu,4,4,,,0.8,1,,,,,2,,0.7,,,,,');
  assert.equal(lines.length, 5, 'header, three layers and the final line end');
  assert.equal(lines[4], '');
});

test('a low-rank NC1 (Σ_B rank < K−1) is marked in its cell, with the reason in the cell tooltip and a note under the table', () => {
  const result = tinyResult(); // K = 3: rank 1 < K−1 = 2 is low-rank
  result.layers = [
    layer('narrow', 0, { nc1: 0.008, nc1Rank: 1, nccAccuracy: 0.34 }, { nc1: 0.01, nc1Rank: 2 }),
    layer('wide', 1, { nc1: 0.3, nc1Rank: 2, nccAccuracy: 0.99 }, { nc1: 0.4, nc1Rank: 2 }),
  ];
  const rows = layerRows(result);
  const columns = tableColumns(result);
  const nc1Train = columns.find((c) => c.id === 'nc1Train')!;
  const nc1Test = columns.find((c) => c.id === 'nc1Test')!;
  assert.equal(nc1Train.format(rows[0]!), '0.008*');
  assert.match(nc1Train.caveat?.(rows[0]!) ?? '', /^NC1 over rank 1 < K−1 = 2: .*does not mean the classes are separated\.$/);
  // Only the low-rank split is marked; the full-rank row is as before.
  assert.equal(nc1Test.format(rows[0]!), '0.01');
  assert.equal(nc1Test.caveat?.(rows[0]!) ?? null, null);
  assert.equal(nc1Train.format(rows[1]!), '0.3');
  assert.equal(nc1Train.caveat?.(rows[1]!) ?? null, null);
  // Sorting still uses the number, not the marked text.
  assert.deepEqual(sortRows(rows, { column: 'nc1Train', direction: 'ascending' }).map((r) => r.name), ['narrow', 'wide']);
  assert.match(lowRankTableNote(rows, 3) ?? '', /^\* NC1 over rank r < K−1 = 2 of Σ_B at 1 layer\(s\)/);
  assert.equal(lowRankTableNote(layerRows(tinyResult()), 3), null);
});

test('a reduced layer shows its reduction beside the op, and the detail line says what it was reduced from', () => {
  const result = tinyResult();
  const layer = result.layers[0]!;
  layer.reduction = 'cls';
  layer.tensorShape = [65, 64];
  layer.shape = [64];
  layer.dim = 64;
  assert.equal(layerRows(result)[0]!.op, `${layer.op} · cls`);
  assert.equal(describeLayer(layer), `${layer.op}, cls of 65×64, D = 64`);
  assert.equal(layerRows(result)[1]!.op, result.layers[1]!.op, 'a flattened layer shows its op alone');
});
