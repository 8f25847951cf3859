/**
 * What the analysis webview keeps through hide/show and window reloads (VS Code's getState/setState).
 * The host's serializer reads the AnalysisPanelState part ({runId}) to revive the panel. DOM-free.
 */
import type { SplitName } from '../../../src/core/result';
import type { AnalysisPanelState } from '../../../src/protocol/webview';
import type { Nc2Metric } from './overview';
import { NC2_METRICS } from './overview';
import type { ColumnId, TableSort } from './layerTable';

export interface AnalysisWebviewState extends AnalysisPanelState {
  nc2Metric?: Nc2Metric;
  detailSplit?: SplitName;
  tableSort?: TableSort;
}

const COLUMN_IDS: ReadonlySet<string> = new Set<ColumnId>(['depth', 'name', 'op', 'dim', 'nc1Train', 'nc1Test', 'nccTrain', 'nccTest', 'cdnvTrain', 'etfTrain']);

/** Accepts a saved state with a runId; unknown or malformed optional fields are dropped, not fatal. */
export function asWebviewState(value: unknown): AnalysisWebviewState | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.runId !== 'string') return undefined;
  const state: AnalysisWebviewState = { runId: v.runId };
  if (typeof v.selectedLayer === 'string') state.selectedLayer = v.selectedLayer;
  if (typeof v.nc2Metric === 'string' && NC2_METRICS.some((m) => m.id === v.nc2Metric)) state.nc2Metric = v.nc2Metric as Nc2Metric;
  if (v.detailSplit === 'train' || v.detailSplit === 'test') state.detailSplit = v.detailSplit;
  const sort = v.tableSort;
  if (typeof sort === 'object' && sort !== null) {
    const s = sort as Record<string, unknown>;
    if (typeof s.column === 'string' && COLUMN_IDS.has(s.column) && (s.direction === 'ascending' || s.direction === 'descending'))
      state.tableSort = { column: s.column as ColumnId, direction: s.direction };
  }
  return state;
}
