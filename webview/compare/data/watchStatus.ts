/**
 * What the trajectory panel says about the watch behind a live trajectory: the header line ("watching ·
 * 3 analysed, 1 queued"), the epochs to grey (analysed, then deleted: kept, never dropped), the pending
 * checkpoints and the corrupt ones with their reason. DOM-free.
 */
import type { TrajectoryResult } from '../../../src/core/compare/trajectory';
import type { TrajectoryWatchStatus, WatchCheckpointState } from '../../../src/protocol/webview';
import type { LineChartSpec } from '../../charts/types';

export interface WatchView {
  /** "watching · 3 analysed, 1 queued", or "watch stopped · …" once it is stopped. */
  header: string;
  watching: boolean;
  /** Epochs of the trajectory whose checkpoint was deleted: still plotted, greyed. */
  deletedEpochs: ReadonlySet<number>;
  /** Checkpoints not analysed yet, in epoch order. */
  pending: { epoch: number; label: string; state: Extract<WatchCheckpointState, 'queued' | 'analysing' | 'settling'> }[];
  /** Checkpoints flagged and skipped, with why: unreadable files, and (`failed`) analyses the engine refused or lost. */
  corrupt: { epoch: number; label: string; reason: string; failed: boolean }[];
  /**
   * Where the watch and the trajectory disagree (an epoch called analysed with no data, or data for an
   * epoch the watch calls pending): said on screen rather than papered over.
   */
  inconsistencies: string[];
}

const PENDING_WORDS = { queued: 'queued', analysing: 'analysing', settling: 'being written' } as const;

const plural = (n: number, word: string): string => `${n} ${word}`;

export function watchView(trajectory: TrajectoryResult, watch: TrajectoryWatchStatus): WatchView {
  const analysed = new Set(trajectory.epochs);
  const deletedEpochs = new Set<number>();
  const pending: WatchView['pending'] = [];
  const corrupt: WatchView['corrupt'] = [];
  const inconsistencies: string[] = [];
  let deletedUnanalysed = 0;
  for (const c of watch.checkpoints) {
    switch (c.state) {
      case 'analysed':
        if (!analysed.has(c.epoch)) inconsistencies.push(`${c.label} (epoch ${c.epoch}) is reported analysed but the trajectory has no data for it`);
        break;
      case 'deleted':
        if (analysed.has(c.epoch)) deletedEpochs.add(c.epoch);
        else deletedUnanalysed++;
        break;
      case 'corrupt':
      case 'failed':
        corrupt.push({ epoch: c.epoch, label: c.label, reason: c.reason ?? 'no reason was given', failed: c.state === 'failed' });
        break;
      default:
        if (analysed.has(c.epoch)) inconsistencies.push(`${c.label} (epoch ${c.epoch}) is ${PENDING_WORDS[c.state]}, yet the trajectory already shows epoch ${c.epoch} (an older analysis of it)`);
        pending.push({ epoch: c.epoch, label: c.label, state: c.state });
    }
  }
  const count = (state: WatchCheckpointState) => pending.filter((p) => p.state === state).length;
  const unreadable = corrupt.filter((c) => !c.failed).length;
  const parts = [
    plural(trajectory.epochs.length, 'analysed'),
    // `queued` is the controller's own count (it may queue what the listing has not shown yet).
    ...(watch.queued > 0 ? [plural(watch.queued, 'queued')] : []),
    ...(count('analysing') > 0 ? [plural(count('analysing'), 'analysing')] : []),
    ...(count('settling') > 0 ? [plural(count('settling'), 'being written')] : []),
    ...(unreadable > 0 ? [plural(unreadable, 'corrupt')] : []),
    ...(corrupt.length > unreadable ? [plural(corrupt.length - unreadable, 'failed')] : []),
    ...(deletedEpochs.size + deletedUnanalysed > 0 ? [plural(deletedEpochs.size + deletedUnanalysed, 'deleted')] : []),
  ];
  return {
    header: `${watch.watching ? 'watching' : 'watch stopped'} · ${parts.join(', ')}`,
    watching: watch.watching,
    deletedEpochs,
    pending,
    corrupt,
    inconsistencies,
  };
}

/** Describes a pending checkpoint's state in words ("being written" for settling). */
export function pendingWord(state: WatchView['pending'][number]['state']): string {
  return PENDING_WORDS[state];
}

/** The chart with the points of deleted epochs greyed (still plotted) and "(deleted)" in their tooltips. */
export function greyDeletedEpochs(spec: LineChartSpec, deletedEpochs: ReadonlySet<number>): LineChartSpec {
  if (deletedEpochs.size === 0) return spec;
  const deletedKeys = new Set([...deletedEpochs].map((e) => `epoch ${e}`));
  return {
    ...spec,
    series: spec.series.map((s) => ({
      ...s,
      points: s.points.map((p) => (deletedKeys.has(p.key) ? { ...p, dimmed: true, tooltip: { ...p.tooltip, title: `${p.tooltip.title} (checkpoint deleted)` } } : p)),
    })),
  };
}
