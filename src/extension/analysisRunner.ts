import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { AnalysisResult } from '../core/result';
import type { AnalyzeRequest, ProgressInfo } from '../protocol/engine';
import type { RunView } from '../protocol/webview';
import { EngineClient, EngineError } from './engineClient';
import { datasetLabel, RunStore, type RunEntry } from './store/runStore';
import type { Log } from './log';
import { messageOf } from '../core/messageOf';
import { shortLayerName } from '../core/layerNames';

/** What the runner tells the panels and views as an analysis goes. */
export interface AnalysisObserver {
  started(runId: string, label: string): void;
  progress(runId: string, p: ProgressInfo): void;
  partial(run: RunView): void;
  completed(run: RunView): void;
  /**
   * The run failed or was cancelled. `shown` is what its panel should show: the partial result, or the
   * complete run of the same key that the store kept (`shownComplete` true then).
   */
  failed(runId: string, message: string, shown: RunView | undefined, shownComplete?: boolean): void;
}

// The layer by the short name the panel, the charts and the Layers view use (the full one is in the log).
const describeProgress = (p: ProgressInfo) => [p.stage, p.split, p.layer ? `layer ${shortLayerName(p.layer)}` : undefined, p.total ? `${p.done}/${p.total}` : undefined, p.message].filter(Boolean).join(' · ');


/** Stores a failed run's partial result; a failure to store it is logged, not allowed to hide the run's own error. */
/** Stores a partial result where the store allows it; `saved` says whether this result is what is stored now. */
async function saveQuietly(store: RunStore, log: Log, runId: string, result: AnalysisResult, request: AnalyzeRequest): Promise<{ stored: RunEntry | undefined; saved: boolean }> {
  try {
    const stored = await store.save(runId, result, false, request);
    return { stored, saved: stored !== undefined && !stored.complete };
  } catch (error) {
    log.channel.error(`the partial result of ${request.checkpoint} was not stored: ${messageOf(error)}`);
    return { stored: store.get(runId), saved: false };
  }
}

/**
 * Runs one analysis in a fresh engine with a cancellable progress notification, streams partial
 * results to the observer, and stores whatever was computed, complete or not (a partial result only
 * where no complete run of the same key is stored: a failed or cancelled re-run keeps the complete one).
 */
export async function runAnalysis(engine: EngineClient, store: RunStore, log: Log, runId: string, request: AnalyzeRequest, observer: AnalysisObserver): Promise<RunEntry | undefined> {
  const label = `${basename(request.checkpoint)} · ${datasetLabel(request)}`;
  observer.started(runId, label);
  const started = Date.now();
  log.info(`analyze ${JSON.stringify(request)}`);
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Collapse Lens: ${basename(request.checkpoint)}`, cancellable: true },
    async (progress, token) => {
      let lastFraction = 0;
      let partial: AnalysisResult | undefined;
      let result: AnalysisResult;
      try {
        result = await engine.analyze(
          request,
          {
            onProgress: (p) => {
              // withProgress takes increments; report the stage's fraction as its own scale.
              const fraction = p.total > 0 ? p.done / p.total : 0;
              const increment = fraction >= lastFraction ? (fraction - lastFraction) * 100 : 0;
              lastFraction = fraction < lastFraction ? 0 : fraction;
              progress.report({ message: describeProgress(p), increment });
              observer.progress(runId, p);
            },
            onPartial: (r) => {
              partial = r;
              observer.partial({ runId, label, result: r });
            },
          },
          token,
        );
      } catch (err) {
        const e = err instanceof EngineError ? err : new EngineError(messageOf(err));
        const kept = e.partial ?? partial;
        const partialRun = kept ? { runId, label, result: kept } : undefined;
        // A partial result never replaces a complete run of the same key: the store keeps the complete one.
        const { stored, saved } = kept ? await saveQuietly(store, log, runId, kept, request) : { stored: store.get(runId), saved: false };
        const note = stored?.complete ? `; the complete analysis stored ${new Date(stored.createdAt).toLocaleString()} is kept` : saved ? '; the layers finished so far are kept' : '';
        // The panel goes back to the complete run (with the failure above it) rather than keep showing the partial one.
        const complete = stored?.complete ? await store.load(runId).catch(() => undefined) : undefined;
        if (complete) observer.failed(runId, `${e.message}${note}`, { runId, label, result: complete }, true);
        else observer.failed(runId, `${e.message}${note}`, partialRun);
        if (e.cancelled) {
          log.info(`analysis of ${request.checkpoint} cancelled`);
          void vscode.window.showInformationMessage(`Collapse Lens: analysis cancelled${note}.`);
        } else {
          void log.fail(`Collapse Lens: ${e.message}${note}`, e.detail);
        }
        return undefined;
      }
      // Finished: shown first, then stored, so a store that refuses or fails the write (the validator, a
      // full disk) loses nothing on screen and is reported as what it is, not as a failed analysis.
      log.info(`analysis of ${request.checkpoint} done in ${((Date.now() - started) / 1000).toFixed(1)} s (${result.provider})`);
      observer.completed({ runId, label, result });
      try {
        return await store.save(runId, result, true, request);
      } catch (error) {
        void log.fail(`Collapse Lens: the analysis of ${basename(request.checkpoint)} finished but could not be stored (${messageOf(error)}); it stays in the open panel, where Export JSON saves it.`);
        return undefined;
      }
    },
  );
}
