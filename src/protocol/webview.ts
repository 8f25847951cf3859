/**
 * Messages between the extension host and the webview panels. Both sides import these unions, so a
 * renamed field breaks the build on both sides at once.
 */
import type { AnalysisResult } from '../core/result';
import type { ProgressInfo } from './engine';

/** One run shown in a panel: a stored analysis and its id in the run store. */
export interface RunView {
  runId: string;
  label: string;
  result: AnalysisResult;
}

export type HostToAnalysisPanel =
  | { kind: 'show'; run: RunView; complete: boolean }
  | { kind: 'progress'; progress: ProgressInfo }
  | { kind: 'failed'; message: string }
  | { kind: 'selectLayer'; layer: string };

export type AnalysisPanelToHost =
  | { kind: 'ready' }
  | { kind: 'layerSelected'; layer: string }
  | { kind: 'export'; format: 'svg' | 'png' | 'csv' | 'json'; suggestedName: string; data: string }
  | { kind: 'rerun' }
  | { kind: 'showLog' };

export interface CompareView {
  runs: RunView[];
  /** 'name' when architectures match, else 'relative-depth' (said on the charts). */
  alignment: 'name' | 'relative-depth';
  /** Dataset mismatch accepted by the user, shown as a visible warning. */
  warning?: string;
}

export type HostToComparePanel =
  | { kind: 'compare'; view: CompareView }
  | { kind: 'trajectory'; runs: RunView[]; epochs: number[] }
  | { kind: 'failed'; message: string };

export type ComparePanelToHost =
  | { kind: 'ready' }
  | { kind: 'export'; format: 'svg' | 'png' | 'csv' | 'json'; suggestedName: string; data: string };

/** State a panel keeps through a window reload (webview getState/setState and the serializer). */
export interface AnalysisPanelState {
  runId: string;
  selectedLayer?: string;
}
