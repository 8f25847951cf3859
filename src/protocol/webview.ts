/**
 * Messages between the extension host and the webview panels. Both sides import these unions, so a
 * renamed field breaks the build on both sides at once.
 */
import type { AnalysisResult } from '../core/result';
import type { ProgressInfo } from './engine';
import type { CompareResult } from '../core/compare/compareResult';
import type { TrajectoryResult } from '../core/compare/trajectory';

/** One run shown in a panel: a stored analysis and its id in the run store. */
export interface RunView {
  runId: string;
  label: string;
  result: AnalysisResult;
}

export type HostToAnalysisPanel =
  /** `selectedLayer`: the layer picked before the page was reloaded, shown again (not a new pick). */
  | { kind: 'show'; run: RunView; complete: boolean; selectedLayer?: string }
  | { kind: 'progress'; progress: ProgressInfo }
  | { kind: 'failed'; message: string }
  /** A layer picked in the side view: shown and brought into view. */
  | { kind: 'selectLayer'; layer: string };

/** The file formats a panel can ask the host to save. */
export type ExportFormat = 'svg' | 'png' | 'csv' | 'json';

/** A file a panel asks the host to save (the webview cannot write files; the host shows a save dialog). */
export interface ExportMessage<Format extends ExportFormat = ExportFormat> {
  kind: 'export';
  format: Format;
  suggestedName: string;
  data: string;
}

export type AnalysisPanelToHost =
  | { kind: 'ready' }
  | { kind: 'layerSelected'; layer: string }
  | ExportMessage
  | { kind: 'rerun' }
  | { kind: 'showLog' };

export interface CompareView {
  /** The runs compared, in order (series colours follow this order). */
  runs: RunView[];
  /** The aligned comparison, exactly what `collapse-lens compare` writes. */
  comparison: CompareResult;
}

export type HostToComparePanel =
  | { kind: 'compare'; view: CompareView }
  | { kind: 'trajectory'; trajectory: TrajectoryResult }
  | { kind: 'progress'; progress: ProgressInfo; label: string }
  | { kind: 'failed'; message: string };

export type ComparePanelToHost =
  | { kind: 'ready' }
  | { kind: 'openRun'; runId: string }
  | ExportMessage;

/** State a panel keeps through a window reload (webview getState/setState and the serializer). */
export interface AnalysisPanelState {
  runId: string;
  selectedLayer?: string;
}

/** State the compare panel keeps through a window reload: what it showed, by stored run ids or a stored trajectory file. */
export interface ComparePanelState {
  runIds?: string[];
  allowMismatch?: boolean;
  trajectoryFile?: string;
}
