import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatLayerTable } from '../../../src/engine/cli/table';
import { syntheticResult } from '../helpers/syntheticResult';

test('the CLI table footer counts skipped, resized and converted images per split; the warnings name example files', () => {
  const result = syntheticResult({ layers: [{ name: 'a', nc1: 1, ncc: 0.5 }] });
  result.dataset.train = {
    source: 'data/train',
    format: 'image-folder',
    skipped: { count: 2, examples: ['cat/1.png (truncated PNG)', 'dog/4.png (empty file)'] },
    resized: { count: 3, examples: ['cat/0.png (100x100)'], to: { width: 28, height: 28 } },
    converted: { count: 1, examples: ['dog/2.png (grey -> RGB)'], to: 'rgb', kinds: { 'grey-to-rgb': 1 } },
  };
  result.dataset.test = { source: 'data/test', format: 'image-folder' };
  result.warnings = ['train: 3 image(s) resized to 28x28 (the model input\'s size), e.g. cat/0.png (100x100)'];
  const lines = formatLayerTable(result).split('\n');
  assert.ok(lines.includes('train images: 2 skipped (corrupt) · 3 resized to 28x28 · 1 converted to RGB'), lines.join('\n'));
  assert.ok(!lines.some((l) => l.startsWith('test images:')), 'a split with nothing changed gets no line');
  assert.ok(lines.includes("warning: train: 3 image(s) resized to 28x28 (the model input's size), e.g. cat/0.png (100x100)"));
});
