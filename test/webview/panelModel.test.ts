import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ProgressInfo } from '../../src/protocol/engine';
import type { RunView } from '../../src/protocol/webview';
import { initialModel, PHASE_TEXT, progressFraction, progressText, reduce, runPhase } from '../../webview/analysis/data/panelModel';
import { asHostMessage } from '../../webview/analysis/data/messages';
import { asWebviewState } from '../../webview/analysis/data/webviewState';
import { tinyResult } from './helpers';

const run = (runId = 'r1'): RunView => ({ runId, label: 'tiny', result: tinyResult() });
const progress: ProgressInfo = { stage: 'pass2', split: 'train', layer: 'b', done: 1200, total: 2000, message: '' };

test('partial results fill in, progress stays until the complete result', () => {
  let m = reduce(initialModel(), { kind: 'show', run: run(), complete: false });
  m = reduce(m, { kind: 'progress', progress });
  assert.equal(m.complete, false);
  assert.deepEqual(m.progress, progress);
  m = reduce(m, { kind: 'show', run: run(), complete: false });
  assert.deepEqual(m.progress, progress, 'a partial show keeps the last progress line');
  m = reduce(m, { kind: 'show', run: run(), complete: true });
  assert.equal(m.complete, true);
  assert.equal(m.progress, null);
});

test('a failure keeps what is shown and ends the progress; a later show (a re-run) clears it', () => {
  let m = reduce(initialModel(), { kind: 'show', run: run(), complete: false });
  m = reduce(m, { kind: 'progress', progress });
  m = reduce(m, { kind: 'failed', message: 'out of memory' });
  assert.equal(m.failure, 'out of memory');
  assert.equal(m.run?.runId, 'r1');
  assert.equal(m.progress, null);
  m = reduce(m, { kind: 'show', run: run(), complete: false });
  assert.equal(m.failure, null);
});

test('the selection survives updates of the same run and is dropped for another run', () => {
  let m = reduce(initialModel('a'), { kind: 'show', run: run(), complete: false });
  assert.equal(m.selectedLayer, 'a', 'a restored selection applies to the first show');
  m = reduce(m, { kind: 'selectLayer', layer: 'c' });
  m = reduce(m, { kind: 'show', run: run(), complete: true });
  assert.equal(m.selectedLayer, 'c');
  m = reduce(m, { kind: 'show', run: run('r2'), complete: true });
  assert.equal(m.selectedLayer, null);
});

test('progress text and fraction', () => {
  assert.equal(progressText(progress), 'Pass 2 (variability, NCC) · train · b · 1,200 / 2,000');
  assert.equal(progressFraction(progress), 0.6);
  assert.equal(progressFraction({ ...progress, total: 0 }), null);
  assert.equal(progressFraction({ ...progress, done: 3000 }), 1);
});

test('host messages are checked before use', () => {
  assert.equal(asHostMessage({ kind: 'selectLayer', layer: 'a' })?.kind, 'selectLayer');
  assert.equal(asHostMessage({ kind: 'show', run: run(), complete: true })?.kind, 'show');
  assert.equal(asHostMessage({ kind: 'show', run: { runId: 'x' }, complete: true }), null);
  assert.equal(asHostMessage({ kind: 'selectLayer' }), null);
  assert.equal(asHostMessage({ kind: 'unknown' }), null);
  assert.equal(asHostMessage('show'), null);
});

test('saved webview state: a runId is required, bad optional fields are dropped', () => {
  assert.equal(asWebviewState({ selectedLayer: 'a' }), undefined);
  assert.deepEqual(asWebviewState({ runId: 'r', selectedLayer: 'a', nc2Metric: 'maxAngle', detailSplit: 'test', tableSort: { column: 'dim', direction: 'descending' } }), {
    runId: 'r',
    selectedLayer: 'a',
    nc2Metric: 'maxAngle',
    detailSplit: 'test',
    tableSort: { column: 'dim', direction: 'descending' },
  });
  assert.deepEqual(asWebviewState({ runId: 'r', nc2Metric: 'bogus', detailSplit: 'valid', tableSort: { column: 'x', direction: 'up' } }), { runId: 'r' });
});

test('one phase for the chip, the body and the bar: starting until a pass (or later stage) is reported, then running', () => {
  const at = (stage: ProgressInfo['stage']): ProgressInfo => ({ stage, split: 'train', done: 192, total: 2000, message: '' });
  const after = (stage: ProgressInfo['stage']) => runPhase(reduce(initialModel(null), { kind: 'progress', progress: at(stage) }));
  assert.equal(runPhase(initialModel(null)), 'starting');
  assert.equal(after('load'), 'starting');
  assert.equal(after('layers'), 'starting');
  // The case: pass 1 at 192 / 2,000 is running, never "Starting" / "Waiting for the analysis to start".
  assert.equal(after('pass1'), 'computing');
  assert.equal(after('pass2'), 'computing');
  assert.equal(after('metrics'), 'computing');
  assert.equal(PHASE_TEXT.computing.chip, 'Running');
  assert.match(PHASE_TEXT.computing.waiting, /^Running/);
  assert.match(PHASE_TEXT.starting.waiting, /^Starting/);
  const failed = reduce(reduce(initialModel(null), { kind: 'progress', progress: at('pass1') }), { kind: 'failed', message: 'boom' });
  assert.equal(runPhase(failed), 'failed');
});

test('a re-run keeps the complete result on screen but never calls it complete; its first result replaces it', () => {
  let m = reduce(initialModel(), { kind: 'show', run: run(), complete: true });
  assert.equal(runPhase(m), 'complete');
  m = reduce(m, { kind: 'progress', progress });
  assert.equal(runPhase(m), 'rerunning');
  assert.equal(m.run?.runId, 'r1', 'the previous result stays shown');
  assert.equal(PHASE_TEXT.rerunning.chip, 'Re-running: previous result shown');
  m = reduce(m, { kind: 'progress', progress: { ...progress, done: 1900 } });
  assert.equal(runPhase(m), 'rerunning');
  m = reduce(m, { kind: 'show', run: run(), complete: false });
  assert.equal(runPhase(m), 'partial');
  m = reduce(m, { kind: 'show', run: run(), complete: true });
  assert.equal(runPhase(m), 'complete');
  // A re-run that fails says so, over the result it kept.
  m = reduce(reduce(m, { kind: 'progress', progress }), { kind: 'failed', message: 'cancelled' });
  assert.equal(runPhase(m), 'failed');
  assert.equal(m.run?.runId, 'r1');
});
