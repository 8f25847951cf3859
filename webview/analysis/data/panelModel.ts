/**
 * The webview's state as a pure reducer over the host's messages, so what the panel shows after any
 * sequence of messages is unit-tested in Node. DOM-free.
 */
import type { ProgressInfo } from '../../../src/protocol/engine';
import type { SplitName } from '../../../src/core/result';
import type { HostToAnalysisPanel, LayerMatricesKey, RunView } from '../../../src/protocol/webview';
import { heldFields, matrixKey, withLayerMatrices, type MatrixFetch } from './heldMatrices';
import { formatCount } from '../../common/format';
import { shortLayerName } from '../../../src/core/layerNames';

export interface PanelModel {
  run: RunView | null;
  /** false while the engine is still adding layers (partial results). */
  complete: boolean;
  /**
   * A re-run has started while a complete result is shown: that result stays on screen (it is still the
   * last complete one) but is no longer the run in progress, so the panel must not call it complete.
   */
  previousShown: boolean;
  progress: ProgressInfo | null;
  /** The run failed: the message is shown and what was already shown stays. */
  failure: string | null;
  /** The layer the user (or the host) picked; may name a layer a partial result does not have yet. */
  selectedLayer: string | null;
  /** Held layer matrices asked of the host (matrixKey): loading, or why the host could not send them. */
  matrixFetches: ReadonlyMap<string, MatrixFetch>;
}

export function initialModel(selectedLayer: string | null = null): PanelModel {
  return { run: null, complete: false, previousShown: false, progress: null, failure: null, selectedLayer, matrixFetches: new Map() };
}

export function reduce(model: PanelModel, message: HostToAnalysisPanel): PanelModel {
  switch (message.kind) {
    case 'show': {
      const sameRun = model.run !== null && model.run.runId === message.run.runId;
      return {
        run: message.run,
        complete: message.complete,
        previousShown: false,
        // A complete result ends the progress; a partial one keeps the last progress line until the next.
        progress: message.complete ? null : model.progress,
        // A new show after a failure is a re-run: the failure no longer describes what is shown.
        failure: null,
        selectedLayer: message.selectedLayer ?? (sameRun || model.run === null ? model.selectedLayer : null),
        // A new result comes with its own held matrices: what was fetched for the old one is asked again.
        matrixFetches: new Map(),
      };
    }
    case 'progress':
      // Progress after a complete result is a re-run: what is shown becomes the previous result.
      return { ...model, progress: message.progress, failure: null, complete: false, previousShown: model.previousShown || model.complete };
    case 'failed':
      return { ...model, failure: message.message, progress: null };
    case 'selectLayer':
      return { ...model, selectedLayer: message.layer };
    case 'layerMatrices': {
      // An answer about another run (the page moved on) changes nothing.
      if (model.run === null || model.run.runId !== message.runId) return model;
      const matrixFetches = new Map(model.matrixFetches);
      const key = matrixKey(message.layer, message.split);
      if ('error' in message) return { ...model, matrixFetches: matrixFetches.set(key, { state: 'failed', reason: message.error }) };
      matrixFetches.delete(key);
      return { ...model, run: withLayerMatrices(model.run, message), matrixFetches };
    }
  }
}

/** The held matrices of `layer` (in these splits) not yet asked for: the requests the page posts. */
export function matricesToRequest(model: PanelModel, layer: string, splits: readonly SplitName[]): LayerMatricesKey[] {
  const run = model.run;
  if (!run) return [];
  return splits
    .filter((split) => heldFields(run, layer, split).length > 0 && !model.matrixFetches.has(matrixKey(layer, split)))
    .map((split) => ({ runId: run.runId, layer, split }));
}

/** The model once these requests are posted: their matrices are loading. */
export function markRequested(model: PanelModel, requests: readonly LayerMatricesKey[]): PanelModel {
  if (requests.length === 0) return model;
  const matrixFetches = new Map(model.matrixFetches);
  for (const r of requests) matrixFetches.set(matrixKey(r.layer, r.split), { state: 'loading' });
  return { ...model, matrixFetches };
}

/**
 * Where the run stands, the one state the chip, the body and the progress bar all tell: before any
 * progress or while the engine reads the model and lists its layers it is starting; once it reports
 * anything later (a pass, the metrics) it is computing, with nothing to draw until the training split's
 * two passes are done; then it shows partial results, and at the end it is complete (or failed). A re-run
 * keeps the last complete result on screen, told as such, until its own first partial result replaces it.
 */
export type RunPhase = 'starting' | 'computing' | 'rerunning' | 'partial' | 'complete' | 'failed';

const STARTING_STAGES: ReadonlySet<ProgressInfo['stage']> = new Set(['load', 'layers']);

export function runPhase(model: PanelModel): RunPhase {
  if (model.failure !== null) return 'failed';
  if (model.complete) return 'complete';
  if (model.previousShown) return 'rerunning';
  if (model.run !== null) return 'partial';
  return model.progress === null || STARTING_STAGES.has(model.progress.stage) ? 'starting' : 'computing';
}

/** Each phase's chip and the line the body shows while there is nothing to draw (empty: nothing). */
export const PHASE_TEXT: Record<RunPhase, { chip: string; waiting: string }> = {
  starting: { chip: 'Starting', waiting: 'Starting the analysis: loading the model and opening the data…' },
  computing: { chip: 'Running', waiting: 'Running: the charts appear when both passes over the training split are done.' },
  rerunning: { chip: 'Re-running: previous result shown', waiting: '' },
  partial: { chip: 'Running: partial results', waiting: '' },
  complete: { chip: 'Complete', waiting: '' },
  failed: { chip: 'Failed', waiting: '' },
};

/** Progress as a fraction in [0, 1], or null when the total is unknown. */

export function progressFraction(progress: ProgressInfo): number | null {
  if (!Number.isFinite(progress.total) || progress.total <= 0 || !Number.isFinite(progress.done)) return null;
  return Math.min(1, Math.max(0, progress.done / progress.total));
}

const STAGE_LABELS: Record<ProgressInfo['stage'], string> = {
  load: 'Loading the model',
  layers: 'Listing layers',
  pass1: 'Pass 1 (class means)',
  pass2: 'Pass 2 (variability, NCC)',
  metrics: 'Computing metrics',
  write: 'Writing the result',
};

/** "Pass 2 (variability, NCC) · train · block2/relu · 1,200 / 2,000": the layer by its short name, as the charts name it. */
export function progressText(progress: ProgressInfo): string {
  const parts = [STAGE_LABELS[progress.stage] ?? progress.stage];
  if (progress.split) parts.push(progress.split);
  if (progress.layer) parts.push(shortLayerName(progress.layer));
  if (progress.total > 0) parts.push(`${formatCount(progress.done)} / ${formatCount(progress.total)}`);
  if (progress.message) parts.push(progress.message);
  return parts.join(' · ');
}
