import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exportFileName, fileStem } from '../../webview/analysis/data/exportNames';

test('export names are plain, safe file names', () => {
  assert.equal(exportFileName('fashion-cnn.onnx · Fashion-MNIST', 'nc1', 'svg'), 'fashion-cnn.onnx-Fashion-MNIST-nc1.svg');
  assert.equal(exportFileName('../../etc/passwd', 'layers', 'csv'), 'etc-passwd-layers.csv');
  assert.equal(fileStem('  ...  '), 'collapse-lens');
  assert.equal(fileStem('x'.repeat(200)).length, 80);
  assert.equal(fileStem('Café run'), 'Cafe-run');
});
