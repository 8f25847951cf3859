/**
 * The trajectory JSON a watch writes after every checkpoint, and the check a resume makes before it trusts
 * one: the same folder, the same analysis settings, else it is refused (mixing settings across epochs
 * would draw one curve from incomparable numbers).
 */
import { buildTrajectory, emptyTrajectory, TRAJECTORY_SCHEMA, type TrajectoryResult } from '../compare/trajectory';
import type { AnalysisResult } from '../result';
import type { TrajectoryWatch, WatchRecord } from './types';

/**
 * The trajectory of every analysed checkpoint (deleted ones included: greyed, never dropped), with the
 * watch block, and a warning for each corrupt, deleted or skipped checkpoint.
 */
export function watchTrajectory(runs: { epoch: number; result: AnalysisResult }[], watch: TrajectoryWatch, skipped: string[] = []): TrajectoryResult {
  // No epoch yet (every checkpoint so far corrupt, or none analysed): the watch block still says why.
  const base = runs.length > 0 ? buildTrajectory(runs) : emptyTrajectory();
  const notes = watch.checkpoints.flatMap((c) => {
    if (c.state === 'corrupt') return [`corrupt checkpoint skipped: ${c.reason ?? c.file}`];
    if (c.state === 'deleted') return [`${c.file} was deleted from the folder${c.result ? '; its analysis is kept' : ' before it was analysed'}`];
    return [];
  });
  return { ...base, warnings: [...base.warnings, ...notes, ...skipped.map((s) => `skipped: ${s}`)], watch };
}

/** JSON with every object's keys sorted: two settings objects compare equal whatever order they were built in. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The settings that differ between two watches, as "name (before vs now)"; none when they match. */
export function settingsDifferences(before: Record<string, unknown>, now: Record<string, unknown>): string[] {
  const names = [...new Set([...Object.keys(before), ...Object.keys(now)])].sort();
  return names.filter((n) => canonical(before[n]) !== canonical(now[n])).map((n) => `${n} (${canonical(before[n])} vs ${canonical(now[n])})`);
}

const RECORD_STATES = new Set(['analysed', 'deleted', 'corrupt']);

function isRecord(value: unknown): value is WatchRecord {
  if (value === null || typeof value !== 'object') return false;
  const r = value as Record<string, unknown>;
  return typeof r.file === 'string' && typeof r.epoch === 'number' && typeof r.key === 'string' && RECORD_STATES.has(String(r.state)) &&
    (r.result === undefined || typeof r.result === 'string');
}

/**
 * The checkpoint records of a previous watch's JSON, when it watched `folder` with `settings`. Anything
 * else is refused with a message naming `source`: not a trajectory, a trajectory not written by a watch,
 * another folder, other settings (each difference named). The caller decides whether that stops it.
 */
export function previousWatchRecords(value: unknown, source: string, folder: string, settings: Record<string, unknown>): WatchRecord[] {
  const t = value as Partial<TrajectoryResult> | null;
  if (t === null || typeof t !== 'object' || t.schema !== TRAJECTORY_SCHEMA) throw new Error(`${source} is not a trajectory (schema ${TRAJECTORY_SCHEMA})`);
  const watch = t.watch;
  if (!watch || typeof watch !== 'object' || !Array.isArray(watch.checkpoints) || typeof watch.folder !== 'string') {
    throw new Error(`${source} is a trajectory not written by a watch (it has no "watch" block to resume from)`);
  }
  if (watch.folder !== folder) throw new Error(`${source} is the watch of another folder (${watch.folder})`);
  const differences = settingsDifferences((watch.settings ?? {}) as Record<string, unknown>, settings);
  if (differences.length > 0) throw new Error(`${source} was watched with other settings: ${differences.join('; ')}`);
  const bad = watch.checkpoints.findIndex((c) => !isRecord(c));
  if (bad >= 0) throw new Error(`${source}: watch.checkpoints[${bad}] is not a checkpoint record (file, epoch, key, state)`);
  return watch.checkpoints;
}
