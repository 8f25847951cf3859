import { test } from 'node:test';
import assert from 'node:assert/strict';
import { watchStatusText } from '../../../../src/extension/watch/watchStatusText';
import type { WatchView, WatchedStatus } from '../../../../src/extension/watch/watchController';

const status = (epoch: number, state: WatchedStatus['state']): WatchedStatus => ({ epoch, label: `epoch_${epoch}.onnx`, state });
const view = (over: Partial<WatchView>): WatchView => ({ folder: '/w/run', watching: true, checkpoints: [], queued: 0, stored: 0, analysed: 0, trajectory: null, ...over });

test('the status bar says how many checkpoints are watched and queued, and which epoch is analysed', () => {
  assert.equal(watchStatusText([]), undefined);
  const idle = watchStatusText([view({ checkpoints: [status(1, 'analysed'), status(2, 'analysed'), status(3, 'deleted')], stored: 2 })]);
  assert.equal(idle?.text, '$(eye) watching 2 checkpoints, 0 queued', 'a deleted checkpoint is no longer watched');
  assert.match(idle?.detail ?? '', /run \(watching\): 2 stored, 0 analysed, 1 deleted/);
  assert.equal(idle?.click, 'show');
  const busy = watchStatusText([view({ checkpoints: [status(1, 'analysed'), status(2, 'analysing'), status(3, 'queued'), status(4, 'corrupt')], queued: 1, analysing: 2, analysed: 1 })]);
  assert.equal(busy?.text, '$(sync~spin) analysing epoch 2 · watching 4 checkpoints, 1 queued');
  assert.match(busy?.detail ?? '', /1 corrupt/);
});

test('with every watch stopped the item offers to resume', () => {
  const stopped = watchStatusText([view({ watching: false, checkpoints: [status(1, 'analysed')] })]);
  assert.equal(stopped?.text, '$(eye-closed) watch stopped');
  assert.equal(stopped?.click, 'resume');
});
