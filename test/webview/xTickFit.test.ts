/**
 * The depth charts' x ticks are layer names: level when they fit their slot, else slanted, cut and
 * thinned so that no two overlap.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitXTicks, MAX_SLANTED_CHARS } from '../../webview/charts/xTickFit';
import { textWidth } from '../../webview/charts/textWidth';

const ticks = (labels: string[]) => labels.map((label, x) => ({ x, label }));

test('short names that fit their slot stay level, every one of them', () => {
  const fitted = fitXTicks(ticks(['fc1', 'fc2', 'gap']), 60);
  assert.equal(fitted.slanted, false);
  assert.equal(fitted.extraBottom, 0);
  assert.deepEqual(fitted.ticks.map((t) => t.label), ['fc1', 'fc2', 'gap']);
});

test('names wider than their slot are slanted, take room under the axis, and each is still labelled when slots are wide enough', () => {
  const labels = ['block1/relu1', 'block1/pool', 'block2/relu1', 'block2/pool', 'block3/relu1', 'block3/pool', 'fc1', 'fc2'];
  const fitted = fitXTicks(ticks(labels), 45);
  assert.equal(fitted.slanted, true);
  assert.ok(fitted.extraBottom > 0);
  assert.deepEqual(fitted.ticks.map((t) => t.label), labels);
});

test('crowded slanted ticks are thinned (every n-th kept, from the first) and long names cut at the end', () => {
  const labels = Array.from({ length: 60 }, (_, i) => `features/features.${i}/conv`);
  const fitted = fitXTicks(ticks(labels), 8);
  assert.equal(fitted.slanted, true);
  const every = fitted.ticks[1]!.x - fitted.ticks[0]!.x;
  assert.ok(every > 1);
  assert.ok(every * 8 >= 20, 'kept ticks are at least a slanted line apart');
  assert.equal(fitted.ticks[0]!.x, 0);
  for (const t of fitted.ticks) {
    assert.ok(t.label.length <= MAX_SLANTED_CHARS);
    assert.equal(t.label, labels[t.x]!.length <= MAX_SLANTED_CHARS ? labels[t.x] : `${labels[t.x]!.slice(0, MAX_SLANTED_CHARS - 1)}…`);
  }
  // The room asked for covers the longest label kept, slanted.
  assert.ok(fitted.extraBottom < textWidth('x'.repeat(MAX_SLANTED_CHARS)));
});
