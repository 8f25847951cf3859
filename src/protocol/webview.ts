/**
 * Messages between the extension host and the webview panels. Both sides import these unions, so a
 * renamed field breaks the build on both sides at once.
 */
import type { AnalysisResult, SplitName, SquareMatrix } from '../core/result';
import type { ProgressInfo } from './engine';
import type { CompareResult } from '../core/compare/compareResult';
import type { TrajectoryResult } from '../core/compare/trajectory';

/** One run shown in a panel: a stored analysis and its id in the run store. */
export interface RunView {
  runId: string;
  label: string;
  result: AnalysisResult;
  /**
   * Only in what a panel is posted: the packed K x K matrices (K > 64) the host kept back to keep the
   * message small (src/extension/panels/heldMatrices.ts). Each such field is null in `result` but is NOT
   * a missing metric: the analysis panel asks for a layer's matrices (`layerMatrices`) when it shows it.
   */
  heldMatrices?: HeldLayerMatrices[];
}

/** The per-layer K x K fields the host may hold back from a panel. */
export type LayerMatrixField = 'cdnvMatrix' | 'meanCosines';

/** The held-back matrices of one layer's split (see RunView.heldMatrices). */
export interface HeldLayerMatrices {
  layer: string;
  split: SplitName;
  fields: LayerMatrixField[];
}

/** Which layer matrices a panel asks for, and the host answers about. */
export interface LayerMatricesKey {
  runId: string;
  layer: string;
  split: SplitName;
}

export type HostToAnalysisPanel =
  /** `selectedLayer`: the layer picked before the page was reloaded, shown again (not a new pick). */
  | { kind: 'show'; run: RunView; complete: boolean; selectedLayer?: string }
  | { kind: 'progress'; progress: ProgressInfo }
  | { kind: 'failed'; message: string }
  /** A layer picked in the side view: shown and brought into view. */
  | { kind: 'selectLayer'; layer: string }
  /** The answer to a `layerMatrices` request: the held fields from the host's copy, or why it has none. */
  | LayerMatricesReply;

export type LayerMatricesReply = { kind: 'layerMatrices' } & LayerMatricesKey &
  ({ matrices: Partial<Record<LayerMatrixField, SquareMatrix | null>> } | { error: string });

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
  /** Save the run's result as JSON: the host writes its own complete copy (the page may lack held matrices). */
  | { kind: 'exportResult'; suggestedName: string }
  /** The held matrices of a layer's split (RunView.heldMatrices), asked for when the page shows them. */
  | ({ kind: 'layerMatrices' } & LayerMatricesKey)
  | { kind: 'rerun' }
  | { kind: 'showLog' };

export interface CompareView {
  /** The runs compared, in order (series colours follow this order). */
  runs: RunView[];
  /** The aligned comparison, exactly what `collapse-lens compare` writes. */
  comparison: CompareResult;
}

/**
 * Where one checkpoint of a watched training folder stands, as the trajectory panel shows it:
 * 'analysed' (its epoch is in the trajectory), 'queued' / 'analysing' (pending), 'settling' (still being
 * written), 'corrupt' (flagged and skipped; `reason` says why), 'failed' (the file reads, but the engine
 * refused or lost its analysis; `reason` says why; tried again when the file changes), 'deleted' (its file
 * is gone; an analysed one stays plotted, greyed).
 */
export type WatchCheckpointState = 'analysed' | 'queued' | 'analysing' | 'settling' | 'corrupt' | 'failed' | 'deleted';

export interface WatchCheckpointStatus {
  epoch: number;
  /** What the panel calls it: the file name (`epoch_012.onnx`, `checkpoint-3000`). */
  label: string;
  state: WatchCheckpointState;
  /** Why it is corrupt (names the file and what is wrong); absent otherwise. */
  reason?: string;
}

/** The watch behind a live trajectory: every checkpoint seen (epoch order), how many wait, whether it still watches. */
export interface TrajectoryWatchStatus {
  checkpoints: WatchCheckpointStatus[];
  queued: number;
  /** false once the watch is stopped: the panel keeps the trajectory and says it is no longer live. */
  watching: boolean;
}

export type HostToComparePanel =
  | { kind: 'compare'; view: CompareView }
  | { kind: 'trajectory'; trajectory: TrajectoryResult }
  /**
   * A live trajectory grew (or a checkpoint changed state): shown in place, keeping the user's choices
   * (layers, split, NC2 number, scroll). `trajectory` may have zero epochs (emptyTrajectory()): the panel
   * then waits for the first checkpoint. Shown like 'trajectory' when the panel showed something else.
   */
  | { kind: 'trajectoryUpdate'; trajectory: TrajectoryResult; watch?: TrajectoryWatchStatus }
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
