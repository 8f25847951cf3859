/**
 * The compare webview's model and saved state: the reducer over host messages, message narrowing, the
 * state it saves and that the host's serializer reads back, export names.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareResults } from '../../src/core/compare/compareResult';
import { buildTrajectory } from '../../src/core/compare/trajectory';
import type { ProgressInfo } from '../../src/protocol/engine';
import type { CompareView } from '../../src/protocol/webview';
import { parseComparePanelState } from '../../src/extension/panels/compareMessages';
import { exportStem } from '../../webview/compare/data/exportNames';
import { asCompareHostMessage } from '../../webview/compare/data/messages';
import { contentIdentity, EMPTY_MODEL, reduce } from '../../webview/compare/data/model';
import { asCompareWebviewState, DEFAULT_PREFS, prefsFrom, stateFor, stateIdentity } from '../../webview/compare/data/webviewState';
import { tinyResult } from './helpers';

const progress: ProgressInfo = { stage: 'pass1', split: 'train', done: 5, total: 10, message: '' };

function compareView(allowMismatch = false): CompareView {
  const a = tinyResult();
  const b = tinyResult();
  if (allowMismatch) b.dataset.train = { source: 'elsewhere', format: 'npz' };
  const runs = [
    { runId: 'stored-1', label: 'first', result: a },
    { runId: 'file:/results/second.json', label: 'second', result: b },
  ];
  return { runs, comparison: compareResults([a, b], ['first', 'second'], allowMismatch) };
}

const trajectory = buildTrajectory([
  { epoch: 1, result: tinyResult() },
  { epoch: 5, result: tinyResult() },
]);

test('the reducer: content replaces content and clears progress and failure; a failure keeps what is shown', () => {
  let m = reduce(EMPTY_MODEL, { kind: 'progress', progress, label: 'a.onnx (1/2)' });
  assert.deepEqual(m.progress, { progress, label: 'a.onnx (1/2)' });
  assert.equal(m.content, null);
  const view = compareView();
  m = reduce(m, { kind: 'compare', view });
  assert.deepEqual([m.content?.kind, m.progress, m.failure], ['compare', null, null]);
  m = reduce(m, { kind: 'failed', message: 'boom' });
  assert.deepEqual([m.content?.kind, m.failure], ['compare', 'boom']);
  m = reduce(m, { kind: 'progress', progress, label: 'again' });
  assert.equal(m.failure, null);
  m = reduce(m, { kind: 'trajectory', trajectory });
  assert.deepEqual([m.content?.kind, m.progress], ['trajectory', null]);
});

test('host messages are narrowed; malformed ones are dropped', () => {
  const view = compareView();
  assert.equal(asCompareHostMessage({ kind: 'compare', view })?.kind, 'compare');
  assert.equal(asCompareHostMessage({ kind: 'compare', view: { runs: [] } }), null);
  assert.equal(asCompareHostMessage({ kind: 'trajectory', trajectory })?.kind, 'trajectory');
  assert.equal(asCompareHostMessage({ kind: 'trajectory', trajectory: { ...trajectory, schema: 'other' } }), null);
  assert.equal(asCompareHostMessage({ kind: 'progress', progress }), null, 'progress needs its label');
  assert.equal(asCompareHostMessage({ kind: 'failed', message: 'x' })?.kind, 'failed');
  assert.equal(asCompareHostMessage({ kind: 'show' }), null);
  assert.equal(asCompareHostMessage('compare'), null);
});

test('a comparison saves its run ids, labels and whether a data mismatch was accepted; the host reads them back', () => {
  const state = stateFor({ kind: 'compare', view: compareView(true) }, { ...DEFAULT_PREFS, hiddenRuns: [1], selectedKey: 'b' });
  assert.deepEqual(state, {
    split: 'train',
    nc2Metric: 'etfDistance',
    runIds: ['stored-1', 'file:/results/second.json'],
    labels: ['first', 'second'],
    allowMismatch: true,
    hiddenRuns: [1],
    selectedKey: 'b',
  });
  const roundTrip = JSON.parse(JSON.stringify(state)) as unknown;
  assert.deepEqual(asCompareWebviewState(roundTrip), state);
  assert.deepEqual(parseComparePanelState(roundTrip), { runIds: ['stored-1', 'file:/results/second.json'], labels: ['first', 'second'], allowMismatch: true });
  assert.equal(stateFor({ kind: 'compare', view: compareView() }, DEFAULT_PREFS).allowMismatch, false);
});

test('a trajectory is saved whole, with the chosen layers', () => {
  const state = stateFor({ kind: 'trajectory', trajectory }, { ...DEFAULT_PREFS, trajectoryLayers: ['a'], hiddenRuns: [0] });
  assert.equal(state.trajectory, trajectory);
  assert.deepEqual(state.trajectoryLayers, ['a']);
  assert.equal(state.hiddenRuns, undefined);
  assert.equal(state.runIds, undefined);
  const back = parseComparePanelState(JSON.parse(JSON.stringify(state)) as unknown);
  assert.deepEqual(back?.trajectory?.epochs, [1, 5]);
});

test('saved state: unusable states are refused, bad optional fields dropped', () => {
  assert.equal(asCompareWebviewState({ split: 'train' }), undefined);
  assert.equal(asCompareWebviewState({ runIds: ['only-one'] }), undefined);
  assert.deepEqual(asCompareWebviewState({ runIds: ['a', 'b'], split: 'sideways', nc2Metric: 'nope', hiddenRuns: [-1], labels: [3] }), { runIds: ['a', 'b'] });
  assert.deepEqual(prefsFrom(undefined), DEFAULT_PREFS);
  assert.equal(parseComparePanelState({ runIds: ['a', ''] }), undefined);
  assert.equal(parseComparePanelState({ runIds: ['a', 'b'], labels: ['one'] })?.labels, undefined, 'labels must match the runs');
  assert.deepEqual(parseComparePanelState({ trajectoryFile: '/t.json' }), { trajectoryFile: '/t.json' });
  assert.equal(parseComparePanelState(null), undefined);
});

test('saved choices belong to what they were made on', () => {
  const view = compareView();
  const state = stateFor({ kind: 'compare', view }, DEFAULT_PREFS);
  assert.equal(stateIdentity(state), contentIdentity({ kind: 'compare', view }));
  const t = stateFor({ kind: 'trajectory', trajectory }, DEFAULT_PREFS);
  assert.equal(stateIdentity(t), contentIdentity({ kind: 'trajectory', trajectory }));
  assert.notEqual(stateIdentity(state), stateIdentity(t));
  assert.equal(stateIdentity(undefined), '');
});

test('export names', () => {
  assert.equal(exportStem({ kind: 'compare', view: compareView() }), 'compare-first-vs-second');
  const t = { ...trajectory, checkpoints: ['/runs/fashion mlp/epoch_001.onnx'] };
  assert.equal(exportStem({ kind: 'trajectory', trajectory: t }), 'trajectory-fashion-mlp');
  const tfjs = { ...trajectory, checkpoints: ['/runs/cnn/epoch_3/model.json'] };
  assert.equal(exportStem({ kind: 'trajectory', trajectory: tfjs }), 'trajectory-cnn');
});
