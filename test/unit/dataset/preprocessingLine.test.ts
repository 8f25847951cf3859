import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describePreprocessing } from '../../../src/core/preprocessingLine';
import { buildPreprocessor, resolvePreprocessing } from '../../../src/core/dataset';

const png = { source: '/data/pngs', sampleShape: [32, 32, 3], sampleLayout: 'hwc' as const, dtype: 'uint8' as const };

test('a PNG folder with nothing set says every value is a default', () => {
  const p = buildPreprocessor(png, { shape: ['N', 3, 32, 32] }, resolvePreprocessing(null, null, null));
  assert.equal(describePreprocessing(p.info), 'preprocessing: scale 1/255 (default), mean/std none (default), layout nchw (model input)');
});

test('each value with its own origin: flag, VS Code setting, model input; BGR, resize and grey conversion shown', () => {
  const resolved = resolvePreprocessing({ std: [0.5] }, null, { mean: [0.485, 0.456, 0.406], channelOrder: 'bgr' });
  const p = buildPreprocessor({ ...png, sampleShape: [32, 32], sampleLayout: 'hw' }, { shape: ['N', 3, 28, 28] }, resolved);
  assert.equal(
    describePreprocessing(p.info),
    'preprocessing: scale 1/255 (default), mean [0.485, 0.456, 0.406] (VS Code setting), std 0.5 (flag), channels BGR (VS Code setting), layout nchw (model input), resized to 28x28, grey repeated to RGB',
  );
});

test('float samples taken as stored say so; a result without preprocessing (features) has no line', () => {
  const floats = buildPreprocessor({ ...png, dtype: 'float32' }, { shape: ['N', 3, 32, 32] }, resolvePreprocessing(null, null, null));
  assert.equal(describePreprocessing(floats.info), 'preprocessing: float samples as stored, no scale/mean/std (normalizeFloats default), layout nchw (model input)');
  assert.equal(describePreprocessing({}), null);
  // Older results without origins still get a line.
  assert.equal(describePreprocessing({ scale: 0.3, layout: 'flat' }), 'preprocessing: scale 0.3 (not recorded), mean/std none (not recorded), layout flat (not recorded)');
});
