import { test } from 'node:test';
import assert from 'node:assert/strict';
import { previousWatchRecords, settingsDifferences, watchTrajectory } from '../../../src/core/watch/watchTrajectory';
import type { TrajectoryWatch } from '../../../src/core/watch/types';
import { syntheticResult } from '../helpers/syntheticResult';

const SETTINGS = { train: { path: '/data', split: 'train' }, perClass: 20, preprocessing: { mean: [0.5] } };
const WATCH: TrajectoryWatch = {
  folder: '/runs/a',
  settings: SETTINGS,
  checkpoints: [
    { file: '/runs/a/epoch_1.onnx', epoch: 1, key: 'k1', state: 'deleted', result: 'a.runs/epoch_1.onnx.result.json' },
    { file: '/runs/a/epoch_2.onnx', epoch: 2, key: 'k2', state: 'corrupt', reason: '/runs/a/epoch_2.onnx: truncated at byte 9' },
    { file: '/runs/a/epoch_3.onnx', epoch: 3, key: 'k3', state: 'analysed', result: 'a.runs/epoch_3.onnx.result.json' },
  ],
};

test('a watch trajectory keeps deleted epochs, and warns of each corrupt, deleted and skipped checkpoint', () => {
  const result = (nc1: number) => syntheticResult({ layers: [{ name: 'fc', nc1, ncc: 0.9 }] });
  const t = watchTrajectory([{ epoch: 3, result: result(0.5) }, { epoch: 1, result: result(2) }], WATCH, ['/runs/a/final.onnx: no epoch number in its name']);
  assert.deepEqual(t.epochs, [1, 3]);
  assert.deepEqual(t.series.fc.nc1.train, [2, 0.5]);
  assert.equal(t.watch, WATCH);
  assert.deepEqual(t.warnings, [
    '/runs/a/epoch_1.onnx was deleted from the folder; its analysis is kept',
    'corrupt checkpoint skipped: /runs/a/epoch_2.onnx: truncated at byte 9',
    'skipped: /runs/a/final.onnx: no epoch number in its name',
  ]);
});

test('a watch with nothing analysed yet is still a trajectory, with the watch block saying why', () => {
  const t = watchTrajectory([], { ...WATCH, checkpoints: [WATCH.checkpoints[1]] });
  assert.equal(t.schema, 'collapse-lens/trajectory@1');
  assert.deepEqual([t.epochs, t.layers, t.series, t.summaries], [[], [], {}, []]);
  assert.match(t.warnings[0], /corrupt checkpoint skipped: .*epoch_2\.onnx: truncated/);
});

test('a resume reads the records of the same folder and settings (key order aside), and refuses anything else', () => {
  const stored = JSON.parse(JSON.stringify(watchTrajectory([], WATCH))) as unknown;
  const reordered = { preprocessing: { mean: [0.5] }, perClass: 20, train: { split: 'train', path: '/data' } };
  assert.deepEqual(previousWatchRecords(stored, 'out.json', '/runs/a', reordered), WATCH.checkpoints);
  assert.throws(() => previousWatchRecords(stored, 'out.json', '/runs/b', SETTINGS), /^Error: out\.json is the watch of another folder \(\/runs\/a\)$/);
  assert.throws(() => previousWatchRecords(stored, 'out.json', '/runs/a', { ...SETTINGS, perClass: 50, test: { path: '/t' } }),
    /out\.json was watched with other settings: perClass \(20 vs 50\); test \(null vs \{"path":"\/t"\}\)/);
  assert.throws(() => previousWatchRecords({ schema: 'collapse-lens/result@1' }, 'out.json', '/runs/a', SETTINGS), /out\.json is not a trajectory/);
  assert.throws(() => previousWatchRecords({ schema: 'collapse-lens/trajectory@1' }, 'out.json', '/runs/a', SETTINGS), /not written by a watch/);
  const broken = { ...watchTrajectory([], WATCH), watch: { ...WATCH, checkpoints: [{ file: 'x', state: 'analysed' }] } };
  assert.throws(() => previousWatchRecords(broken, 'out.json', '/runs/a', SETTINGS), /watch\.checkpoints\[0\] is not a checkpoint record/);
  assert.deepEqual(settingsDifferences(SETTINGS, reordered), []);
});
