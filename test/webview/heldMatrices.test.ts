/**
 * The analysis page on a result whose layer matrices the host held back (K > 64): the shown layer's
 * matrices are asked for once, the heatmap cards say "loading" (never "not computed") until they come,
 * then draw exactly what the complete result draws; a host that cannot send them is shown with its reason.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HostToAnalysisPanel, RunView } from '../../src/protocol/webview';
import { packResultMatrices } from '../../src/core/packResultMatrices';
import { largeResult, LARGE_K } from '../unit/helpers/largeResult';
import { holdBackLayerMatrices, layerMatricesReply } from '../../src/extension/panels/heldMatrices';
import { initialModel, markRequested, matricesToRequest, reduce, type PanelModel } from '../../webview/analysis/data/panelModel';
import { heldMatrixNote } from '../../webview/analysis/data/heldMatrices';
import { cdnvHeatmap, cosineHeatmap, projectionScatter } from '../../webview/analysis/data/layerDetail';
import { asHostMessage } from '../../webview/analysis/data/messages';

function bigRun(): RunView {
  const result = largeResult();
  for (const layer of result.layers) {
    layer.metrics.train.projection = { means: Array.from({ length: LARGE_K }, (_, i): [number, number] => [Math.cos(i), Math.sin(i)]) };
  }
  return { runId: 'big', label: 'big', result: packResultMatrices(result) };
}

/** The page after the host's show (a posted copy, as postMessage gives it). */
function shownModel(full: RunView): PanelModel {
  const posted = structuredClone(holdBackLayerMatrices(full));
  return reduce(initialModel('l1'), { kind: 'show', run: posted, complete: true });
}

const note = (m: PanelModel, layer: string, split: 'train' | 'test', field: 'cdnvMatrix' | 'meanCosines') => heldMatrixNote(m.run!, m.matrixFetches, layer, split, field);

test('held matrices read as loading, are asked for once, then draw what the complete result draws', () => {
  const full = bigRun();
  let m = shownModel(full);
  assert.equal(cdnvHeatmap(m.run!.result, m.run!.result.layers[1]!, 'train', 10), null, 'not here yet');
  assert.match(note(m, 'l1', 'train', 'cdnvMatrix')!, new RegExp(`^Loading the ${LARGE_K} x ${LARGE_K} matrix from the extension host`));
  assert.match(note(m, 'l1', 'train', 'meanCosines')!, /^Loading/);

  const requests = matricesToRequest(m, 'l1', ['train']);
  assert.deepEqual(requests, [{ runId: 'big', layer: 'l1', split: 'train' }]);
  m = markRequested(m, requests);
  assert.deepEqual(matricesToRequest(m, 'l1', ['train']), [], 'a request under way is not posted again');
  assert.match(note(m, 'l1', 'train', 'cdnvMatrix')!, /^Loading/);

  const reply = structuredClone(layerMatricesReply(full, requests[0]!)) as HostToAnalysisPanel;
  m = reduce(m, reply);
  const layer = m.run!.result.layers[1]!;
  const whole = full.result.layers[1]!;
  assert.equal(note(m, 'l1', 'train', 'cdnvMatrix'), null, 'loaded: no note');
  assert.deepEqual(cdnvHeatmap(m.run!.result, layer, 'train', 10), cdnvHeatmap(full.result, whole, 'train', 10));
  assert.deepEqual(cosineHeatmap(m.run!.result, layer, 'train'), cosineHeatmap(full.result, whole, 'train'));
  assert.deepEqual(projectionScatter(m.run!.result, layer, 'train'), projectionScatter(full.result, whole, 'train'), 'featured classes from the real CDNV');
  // Only that layer's split arrived: the other split and the other layer are still held.
  assert.match(note(m, 'l1', 'test', 'cdnvMatrix')!, /^Loading/);
  assert.match(note(m, 'l0', 'train', 'cdnvMatrix')!, /^Loading/);
  assert.deepEqual(matricesToRequest(m, 'l1', ['train', 'test']), [{ runId: 'big', layer: 'l1', split: 'test' }]);
});

test("the host's reason is shown when it cannot send a layer's matrices; an answer about another run changes nothing", () => {
  const full = bigRun();
  let m = markRequested(shownModel(full), [{ runId: 'big', layer: 'l0', split: 'test' }]);
  const stale = reduce(m, { kind: 'layerMatrices', runId: 'other', layer: 'l0', split: 'test', error: 'x' });
  assert.equal(stale, m);
  m = reduce(m, layerMatricesReply({ ...full, runId: 'newer' }, { runId: 'big', layer: 'l0', split: 'test' }));
  assert.equal(note(m, 'l0', 'test', 'cdnvMatrix'), 'Could not load this matrix from the extension host: the panel now shows run newer, not run big.');
  assert.match(note(m, 'l0', 'test', 'meanCosines')!, /^Could not load/);
  assert.deepEqual(matricesToRequest(m, 'l0', ['test']), [], 'a refused request is not repeated in a loop');
  // A new show (a re-run's result, a reload) starts afresh: what it holds is asked for again.
  m = reduce(m, { kind: 'show', run: holdBackLayerMatrices(full), complete: true });
  assert.match(note(m, 'l0', 'test', 'cdnvMatrix')!, /^Loading/);
  assert.equal(matricesToRequest(m, 'l0', ['test']).length, 1);
});

test('a result of nested rows (small K, older files) has nothing held: no requests, no notes', () => {
  const run: RunView = { runId: 's', label: 's', result: largeResult() };
  const m = reduce(initialModel(), { kind: 'show', run: holdBackLayerMatrices(run), complete: true });
  assert.deepEqual(matricesToRequest(m, 'l0', ['train', 'test']), []);
  assert.equal(note(m, 'l0', 'train', 'cdnvMatrix'), null);
});

test("the page checks the host's layerMatrices answer", () => {
  const ok = { kind: 'layerMatrices', runId: 'r', layer: 'a', split: 'train', matrices: { cdnvMatrix: null } };
  assert.deepEqual(asHostMessage(ok), ok);
  assert.deepEqual(asHostMessage({ ...ok, matrices: undefined, error: 'gone' }), { ...ok, matrices: undefined, error: 'gone' });
  assert.equal(asHostMessage({ ...ok, split: 'dev' }), null);
  assert.equal(asHostMessage({ ...ok, matrices: undefined }), null, 'neither matrices nor a reason');
});
