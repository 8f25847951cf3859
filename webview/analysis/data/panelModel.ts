/**
 * The webview's state as a pure reducer over the host's messages, so what the panel shows after any
 * sequence of messages is unit-tested in Node. DOM-free.
 */
import type { ProgressInfo } from '../../../src/protocol/engine';
import type { HostToAnalysisPanel, RunView } from '../../../src/protocol/webview';
import { formatCount } from '../../common/format';

export interface PanelModel {
  run: RunView | null;
  /** false while the engine is still adding layers (partial results). */
  complete: boolean;
  progress: ProgressInfo | null;
  /** The run failed: the message is shown and what was already shown stays. */
  failure: string | null;
  /** The layer the user (or the host) picked; may name a layer a partial result does not have yet. */
  selectedLayer: string | null;
}

export function initialModel(selectedLayer: string | null = null): PanelModel {
  return { run: null, complete: false, progress: null, failure: null, selectedLayer };
}

export function reduce(model: PanelModel, message: HostToAnalysisPanel): PanelModel {
  switch (message.kind) {
    case 'show': {
      const sameRun = model.run !== null && model.run.runId === message.run.runId;
      return {
        run: message.run,
        complete: message.complete,
        // A complete result ends the progress; a partial one keeps the last progress line until the next.
        progress: message.complete ? null : model.progress,
        // A new show after a failure is a re-run: the failure no longer describes what is shown.
        failure: null,
        selectedLayer: message.selectedLayer ?? (sameRun || model.run === null ? model.selectedLayer : null),
      };
    }
    case 'progress':
      return { ...model, progress: message.progress, failure: null };
    case 'failed':
      return { ...model, failure: message.message, progress: null };
    case 'selectLayer':
      return { ...model, selectedLayer: message.layer };
  }
}

/** Progress as a fraction in [0, 1], or null when the total is unknown. */
/** The engine reports a pass under way (not only its start: reading the model, opening the data). */
export const isComputing = (model: PanelModel): boolean => model.progress?.stage === 'pass1' || model.progress?.stage === 'pass2';

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

/** "Pass 2 (variability, NCC) · train · /block2/Relu · 1,200 / 2,000" */
export function progressText(progress: ProgressInfo): string {
  const parts = [STAGE_LABELS[progress.stage] ?? progress.stage];
  if (progress.split) parts.push(progress.split);
  if (progress.layer) parts.push(progress.layer);
  if (progress.total > 0) parts.push(`${formatCount(progress.done)} / ${formatCount(progress.total)}`);
  if (progress.message) parts.push(progress.message);
  return parts.join(' · ');
}
