/**
 * The analyze flow's gap choice (src/core/model/gapChoice.ts): offered for a conv net whose default probes
 * hold C x H x W maps, never for a transformer (its token step) or a net without maps, and it names what
 * the widest map becomes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gapChoice, gapChoiceDescription } from '../../../src/core/model/gapChoice';
import type { LayerInfo } from '../../../src/core/model/types';

const layer = (name: string, shape: (number | null)[], auto = true): LayerInfo => ({ name, op: 'Relu', shape, index: 0, auto });

test('a conv net: the default conv maps are counted and the widest named; vectors, 1 x 1 pools and non-defaults are not maps', () => {
  const layers = [
    layer('stem', [64, 56, 56]),
    layer('inside', [64, 112, 112], false),
    layer('block', [128, 28, 28]),
    layer('pool', [512, 1, 1]),
    layer('flat', [512]),
    layer('unknown', [null]),
  ];
  const choice = gapChoice(layers, undefined);
  assert.deepEqual(choice, { maps: 2, widest: { name: 'stem', values: 200_704, channels: 64 } });
  assert.equal(gapChoiceDescription(choice!, 5), '5 layers; 2 C x H x W maps read as channel means (the widest: 200,704 values -> 64). Smaller; not the flattened map\'s NC1');
});

test('not offered for a transformer or for a model whose defaults hold no conv map', () => {
  assert.equal(gapChoice([layer('stem', [64, 56, 56])], { classToken: true }), null);
  assert.equal(gapChoice([layer('fc', [256]), layer('pool', [512, 1, 1]), layer('stem', [64, 56, 56], false)], undefined), null);
});
