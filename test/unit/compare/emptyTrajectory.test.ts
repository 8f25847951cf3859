/**
 * emptyTrajectory: what a watch shows before its first analysis. It must pass the same shape check as a
 * written trajectory (the compare page and the saved state use it), with every per-epoch list empty,
 * while buildTrajectory keeps refusing zero checkpoints (a trajectory file holds at least one).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTrajectory, emptyTrajectory, TRAJECTORY_SCHEMA } from '../../../src/core/compare/trajectory';
import { isTrajectoryResult } from '../../../src/core/compare/trajectoryShape';

test('an empty trajectory is a valid trajectory with no epoch, no layer and no warning', () => {
  const t = emptyTrajectory();
  assert.equal(t.schema, TRAJECTORY_SCHEMA);
  assert.ok(isTrajectoryResult(t));
  assert.deepEqual([t.epochs, t.checkpoints, t.layers, t.summaries, t.warnings], [[], [], [], [], []]);
  assert.deepEqual(t.series, {});
  assert.deepEqual(t.classifier, { nc3: [], nc4Train: [], nc4Test: [], weightsEtfDistance: [], weightsEquinorm: [] });
  assert.equal(t.nc1LowRank, undefined);
  assert.ok(!Number.isNaN(Date.parse(t.createdAt)));
});

test('buildTrajectory still refuses zero checkpoints', () => {
  assert.throws(() => buildTrajectory([]), /at least one checkpoint/);
});
