import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvField, layerRows, layerTableCsv, nextSort, sortRows, tableColumns } from '../../webview/analysis/data/layerTable';
import { tinyResult } from './helpers';

test('rows carry the table columns, null where a metric was not computed', () => {
  const rows = layerRows(tinyResult());
  assert.deepEqual(rows[1], { depth: 1, name: 'b', op: 'Relu', dim: 4, nc1Train: null, nc1Test: 2, nccTrain: 0.8, nccTest: 0.7, cdnvTrain: 1, etfTrain: null });
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
