/**
 * What the progress notification shows is the last line the throttle let through, often the one a batch
 * ends with: once a pass has reduced anything, every line of it must name a layer, or the notification
 * drops the layer mid-pass.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ProgressInfo } from '../../../src/protocol/engine';
import { analyzeCheckpoint } from '../../../src/engine/analyze/pipeline';
import { fixtureRequest } from './helpers/analyze';

test('every progress line of a pass after its first batch names the layer last reduced', async () => {
  const seen: ProgressInfo[] = [];
  await analyzeCheckpoint(fixtureRequest('mlp', { perClass: 20 }), { onProgress: (p) => void seen.push(p) });
  for (const stage of ['pass1', 'pass2'] as const) {
    for (const split of ['train', 'test'] as const) {
      const lines = seen.filter((p) => p.stage === stage && p.split === split);
      assert.ok(lines.length > 1, `${stage} ${split}: ${lines.length} progress line(s)`);
      assert.equal(lines[0]!.done, 0, `${stage} ${split} starts at 0`);
      const unnamed = lines.filter((p) => p.done > 0 && !p.layer);
      assert.deepEqual(unnamed, [], `${stage} ${split}: lines past the first batch without a layer`);
    }
  }
});
