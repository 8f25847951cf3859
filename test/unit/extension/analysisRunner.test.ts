/**
 * The analysis runner's side of "nothing lost": a re-run that fails or is cancelled part way leaves the
 * complete stored run in place and says so; with no complete run, what was finished is kept as an
 * incomplete run. The engine and VS Code are fakes (test/webview/fakeVscode.ts).
 */
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { fake, resetFake } from '../../webview/fakeVscode';
import { withTempDir } from '../dataset/helpers/writers';
import { syntheticResult } from '../helpers/syntheticResult';
import { RunStore } from '../../../src/extension/store/runStore';
import { EngineError, type EngineClient } from '../../../src/extension/engineClient';
import type { AnalysisObserver } from '../../../src/extension/analysisRunner';
import type { Log } from '../../../src/extension/log';
import type { AnalysisResult } from '../../../src/core/result';
import type { AnalyzeRequest } from '../../../src/protocol/engine';

// Loaded after fakeVscode has hooked `require('vscode')`.
const { runAnalysis } = require('../../../src/extension/analysisRunner') as typeof import('../../../src/extension/analysisRunner');

const request: AnalyzeRequest = { checkpoint: 'm.onnx', train: { path: 'data', split: 'train' }, layers: 'all', perClass: 200, batchSize: 64, provider: 'auto', threads: 0, seed: 0, epsilon: 0.01 };
const withLayers = (count: number): AnalysisResult => syntheticResult({ layers: Array.from({ length: count }, (_, i) => ({ name: `l${i}`, nc1: 1, ncc: 0.5 })) });

/** An engine that streams a 2-layer partial result, then fails (or is cancelled). */
function failingEngine(cancelled: boolean): EngineClient {
  const partial = withLayers(2);
  return {
    analyze: (_request: AnalyzeRequest, hooks: { onPartial?(r: AnalysisResult): void }) => {
      hooks.onPartial?.(partial);
      return Promise.reject(new EngineError(cancelled ? 'cancelled' : 'the engine ran out of memory', undefined, partial, cancelled));
    },
  } as unknown as EngineClient;
}

function harness() {
  const failures: string[] = [];
  const failed: string[] = [];
  const shown: { layers: number | undefined; complete: boolean | undefined }[] = [];
  const log = { info: () => undefined, fail: (summary: string) => (failures.push(summary), Promise.resolve()), channel: { error: () => undefined } } as unknown as Log;
  const observer: AnalysisObserver = { started: () => undefined, progress: () => undefined, partial: () => undefined, completed: () => undefined, failed: (_id, message, run, complete) => {
    failed.push(message);
    shown.push({ layers: run?.result.layers.length, complete });
  } };
  return { log, observer, failures, failed, shown };
}

beforeEach(resetFake);

for (const cancelled of [false, true]) {
  test(`a re-run ${cancelled ? 'cancelled' : 'that fails'} after 2 layers keeps the complete 11-layer run, and says so`, async () => {
    await withTempDir('runner', async (dir) => {
      const store = await RunStore.open(dir);
      await store.save('k', withLayers(11), true, request);
      const { log, observer, failures, failed, shown } = harness();
      assert.equal(await runAnalysis(failingEngine(cancelled), store, log, 'k', request, observer), undefined);
      assert.equal((await store.load('k'))?.layers.length, 11);
      assert.equal(store.get('k')?.complete, true);
      assert.match(failed[0] ?? '', /; the complete analysis stored .* is kept$/);
      assert.deepEqual(shown, [{ layers: 11, complete: true }], 'the panel goes back to the complete run, the failure above it');
      const told = cancelled ? fake.infos : failures;
      assert.match(told.join('\n'), /the complete analysis stored .* is kept/);
    });
  });
}

test('a first run that fails after 2 layers is stored as an incomplete run with what it finished', async () => {
  await withTempDir('runner', async (dir) => {
    const store = await RunStore.open(dir);
    const { log, observer, failures, shown } = harness();
    await runAnalysis(failingEngine(false), store, log, 'k', request, observer);
    assert.deepEqual(shown, [{ layers: 2, complete: undefined }], 'the panel shows what was finished');
    assert.equal(store.get('k')?.complete, false);
    assert.equal((await store.load('k'))?.layers.length, 2);
    assert.match(failures[0] ?? '', /the engine ran out of memory; the layers finished so far are kept/);
  });
});

test('a finished analysis the store refuses is still shown, and the failure is the store\'s, not the analysis\'s', async () => {
  await withTempDir('runner', async (dir) => {
    const store = await RunStore.open(dir);
    const finished = withLayers(3);
    const engine = { analyze: () => Promise.resolve(finished) } as unknown as EngineClient;
    const refusing = Object.assign(Object.create(store) as RunStore, { save: () => Promise.reject(new Error('disk full')) });
    const { log, failures, failed } = harness();
    const completed: number[] = [];
    const observer: AnalysisObserver = { ...harness().observer, completed: (run) => void completed.push(run.result.layers.length), failed: (_id, message) => void failed.push(message) };
    assert.equal(await runAnalysis(engine, refusing, log, 'k', request, observer), undefined);
    assert.deepEqual(completed, [3], 'the complete result reaches the panel');
    assert.deepEqual(failed, [], 'the analysis is not reported as failed');
    assert.match(failures.join('\n'), /the analysis of m\.onnx finished but could not be stored \(disk full\)/);
  });
});
