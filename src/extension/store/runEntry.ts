import { basename } from 'node:path';
import type { AnalysisResult } from '../../core/result';
import type { AnalyzeRequest } from '../../protocol/engine';

/** A request as a run keeps it: without the checkpoint's hash (a re-run hashes the file again). */
export type StoredRequest = Omit<AnalyzeRequest, 'checkpointSha256'>;

/** The data a run was made on, as its label shows it. */
export function datasetLabel(request: { train: { path: string }; test?: { path: string } }): string {
  const train = basename(request.train.path);
  if (!request.test) return train;
  // One root holding both splits reads better as one name.
  return request.test.path === request.train.path ? `${train} (train + test)` : `${train} + ${basename(request.test.path)}`;
}

export interface RunEntry {
  id: string;
  label: string;
  checkpointPath: string;
  checkpointSha: string;
  dataset: string;
  createdAt: string;
  /** false for a run that failed or was cancelled part way: what it had is kept. */
  complete: boolean;
  /** The request the run was made with. Absent in runs stored before it was kept. */
  request?: StoredRequest;
}

/** What every entry says of its result: its id, label, checkpoint and dataset. */
function entryOf(id: string, result: AnalysisResult, dataset: string, createdAt: string, complete: boolean): RunEntry {
  return {
    id,
    label: `${basename(result.checkpoint.path)} · ${dataset}`,
    checkpointPath: result.checkpoint.path,
    checkpointSha: result.checkpoint.sha256,
    dataset,
    createdAt,
    complete,
  };
}

/** The entry of a run saved now. */
export function newEntry(id: string, result: AnalysisResult, complete: boolean, request: AnalyzeRequest): RunEntry {
  const { checkpointSha256: _rehashedOnRerun, ...kept } = request;
  return { ...entryOf(id, result, datasetLabel(request), new Date().toISOString(), complete), request: kept };
}

/**
 * The entry of a stored result whose own entry is lost (stored before entries were kept beside the
 * results, or both the index and the entry file unreadable), from the result alone. It cannot know
 * the request, so a re-run goes through the picks. Complete unless the result shows a held-out split
 * still pending (a run stopped after its training split): compare offers only complete runs, so a
 * doubt must not pass a partial result for a finished one.
 */
export function entryFromResult(id: string, result: AnalysisResult): RunEntry {
  const { train, test } = result.dataset;
  const dataset = datasetLabel({ train: { path: train.source }, ...(test ? { test: { path: test.source } } : {}) });
  const testPending = result.dataset.test !== undefined && (result.splits.test === undefined || result.layers.some((l) => l.metrics.test === undefined));
  return entryOf(id, result, dataset, result.createdAt, !testPending);
}

/** Whether a value read from the index or an entry file is a whole RunEntry (a torn or hand-edited one is not). */
export function isRunEntry(value: unknown): value is RunEntry {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Record<string, unknown>;
  const strings = ['id', 'label', 'checkpointPath', 'checkpointSha', 'dataset', 'createdAt'].every((k) => typeof e[k] === 'string');
  const request = e.request === undefined || (typeof e.request === 'object' && e.request !== null && typeof (e.request as { checkpoint?: unknown }).checkpoint === 'string');
  return strings && typeof e.complete === 'boolean' && request;
}
