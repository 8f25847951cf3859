/**
 * Narrowing of what the host posts to the compare webview: a message event can carry anything (a stale
 * page, another frame), so the shape is checked before the panel trusts the types. DOM-free.
 */
import { isTrajectoryResult } from '../../../src/core/compare/trajectoryShape';
import type { HostToComparePanel } from '../../../src/protocol/webview';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

function isCompareView(view: unknown): boolean {
  if (!isRecord(view) || !Array.isArray(view.runs) || !isRecord(view.comparison)) return false;
  const c = view.comparison;
  return Array.isArray(c.rows) && Array.isArray(c.runs) && Array.isArray(c.largestChanges) && typeof c.alignment === 'string';
}

const WATCH_STATES: ReadonlySet<unknown> = new Set(['analysed', 'queued', 'analysing', 'settling', 'corrupt', 'failed', 'deleted']);

function isWatchStatus(watch: unknown): boolean {
  if (!isRecord(watch) || !Array.isArray(watch.checkpoints) || typeof watch.queued !== 'number' || typeof watch.watching !== 'boolean') return false;
  return watch.checkpoints.every(
    (c) => isRecord(c) && typeof c.epoch === 'number' && typeof c.label === 'string' && WATCH_STATES.has(c.state) && (c.reason === undefined || typeof c.reason === 'string'),
  );
}

export function asCompareHostMessage(value: unknown): HostToComparePanel | null {
  if (!isRecord(value) || typeof value.kind !== 'string') return null;
  switch (value.kind) {
    case 'compare':
      return isCompareView(value.view) ? (value as unknown as HostToComparePanel) : null;
    case 'trajectory':
      return isTrajectoryResult(value.trajectory) ? (value as unknown as HostToComparePanel) : null;
    case 'trajectoryUpdate':
      return isTrajectoryResult(value.trajectory) && (value.watch === undefined || isWatchStatus(value.watch)) ? (value as unknown as HostToComparePanel) : null;
    case 'progress':
      return isRecord(value.progress) && typeof value.progress.stage === 'string' && typeof value.label === 'string' ? (value as unknown as HostToComparePanel) : null;
    case 'failed':
      return typeof value.message === 'string' ? (value as unknown as HostToComparePanel) : null;
    default:
      return null;
  }
}
