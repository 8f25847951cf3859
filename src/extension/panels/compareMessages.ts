/**
 * Narrowing of what the compare webview posts and of the state VS Code hands back on revival. No vscode
 * import: unit-tested in Node.
 *
 * The webview saves ComparePanelState plus two fields of its own (webview/compare/data/webviewState.ts):
 * `labels` (the names the runs were compared under) and `trajectory` (a trajectory is small, so it is
 * kept whole and a reload needs no re-analysis).
 */
import type { TrajectoryResult } from '../../core/compare/trajectory';
import { isTrajectoryResult } from '../../core/compare/trajectoryShape';
import type { ComparePanelState, ComparePanelToHost } from '../../protocol/webview';
import { parseExportMessage } from './exportPayload';

export interface SavedCompareState extends ComparePanelState {
  labels?: string[];
  trajectory?: TrajectoryResult;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

export function parseComparePanelMessage(value: unknown): ComparePanelToHost | undefined {
  if (!isRecord(value)) return undefined;
  switch (value.kind) {
    case 'ready':
      return { kind: 'ready' };
    case 'openRun':
      return typeof value.runId === 'string' && value.runId.length > 0 ? { kind: 'openRun', runId: value.runId } : undefined;
    case 'export':
      return parseExportMessage(value);
    default:
      return undefined;
  }
}

/** What a revived compare panel should rebuild; undefined when the state says nothing usable. */
export function parseComparePanelState(value: unknown): SavedCompareState | undefined {
  if (!isRecord(value)) return undefined;
  const state: SavedCompareState = {};
  if (isTrajectoryResult(value.trajectory)) state.trajectory = value.trajectory;
  else if (typeof value.trajectoryFile === 'string' && value.trajectoryFile.length > 0) state.trajectoryFile = value.trajectoryFile;
  else if (isStringArray(value.runIds) && value.runIds.length >= 2 && value.runIds.every((id) => id.length > 0)) {
    state.runIds = value.runIds;
    if (isStringArray(value.labels) && value.labels.length === value.runIds.length) state.labels = value.labels;
    if (typeof value.allowMismatch === 'boolean') state.allowMismatch = value.allowMismatch;
  } else return undefined;
  return state;
}

/** Run ids of result files opened straight from disk ("file:<path>"), as the compare command makes them. */
export const FILE_RUN_PREFIX = 'file:';

export function resultFilePath(runId: string): string | null {
  return runId.startsWith(FILE_RUN_PREFIX) && runId.length > FILE_RUN_PREFIX.length ? runId.slice(FILE_RUN_PREFIX.length) : null;
}
