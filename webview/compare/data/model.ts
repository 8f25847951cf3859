/**
 * The compare webview's state as a pure reducer over the host's messages (DOM-free, unit-tested):
 * what it shows (a comparison or a trajectory), the progress of work that will replace it, a failure.
 */
import type { ProgressInfo } from '../../../src/protocol/engine';
import type { CompareView, HostToComparePanel, TrajectoryWatchStatus } from '../../../src/protocol/webview';
import type { TrajectoryResult } from '../../../src/core/compare/trajectory';

/** `watch`: the live watch behind the trajectory (absent for a trajectory analysed once). */
export type CompareContent = { kind: 'compare'; view: CompareView } | { kind: 'trajectory'; trajectory: TrajectoryResult; watch?: TrajectoryWatchStatus };

export interface CompareModel {
  content: CompareContent | null;
  /** Work under way (runs being analysed for a comparison); cleared when its result arrives. */
  progress: { progress: ProgressInfo; label: string } | null;
  /** Shown in a banner; what was shown before stays. */
  failure: string | null;
}

export const EMPTY_MODEL: CompareModel = { content: null, progress: null, failure: null };

export function reduce(model: CompareModel, message: HostToComparePanel): CompareModel {
  switch (message.kind) {
    case 'compare':
      return { content: { kind: 'compare', view: message.view }, progress: null, failure: null };
    case 'trajectory':
      return { content: { kind: 'trajectory', trajectory: message.trajectory }, progress: null, failure: null };
    case 'trajectoryUpdate':
      // Progress belongs to the work that produced this update: done now.
      return { content: { kind: 'trajectory', trajectory: message.trajectory, ...(message.watch ? { watch: message.watch } : {}) }, progress: null, failure: null };
    case 'progress':
      return { ...model, progress: { progress: message.progress, label: message.label }, failure: null };
    case 'failed':
      return { ...model, progress: null, failure: message.message };
  }
}

/** Identifies what is shown, so choices made for one comparison (hidden runs, a row) are not applied to another. */
export function contentIdentity(content: CompareContent | null): string {
  if (!content) return '';
  if (content.kind === 'trajectory') return `trajectory:${content.trajectory.checkpoints.join('\u0000')}`;
  return `compare:${content.view.runs.map((r) => r.runId).join('\u0000')}`;
}
