/**
 * What the compare webview keeps through hide/show and window reloads (getState/setState). The host's
 * serializer reads the ComparePanelState part ({runIds, allowMismatch}) plus `labels` and `trajectory`
 * to rebuild what was shown; the rest are the user's choices. DOM-free.
 */
import type { TrajectoryResult } from '../../../src/core/compare/trajectory';
import { isTrajectoryResult } from '../../../src/core/compare/trajectoryShape';
import type { SplitName } from '../../../src/core/result';
import type { ComparePanelState, HostToComparePanel } from '../../../src/protocol/webview';
import { NC2_METRICS, type Nc2Metric } from '../../analysis/data/overview';
import { contentIdentity, type CompareContent } from './model';

export interface CompareWebviewState extends ComparePanelState {
  /** The labels the runs were compared under (a store's label may differ), so a rebuilt comparison reads the same. */
  labels?: string[];
  /** A trajectory is small: kept whole, so a reload needs no re-analysis. */
  trajectory?: TrajectoryResult;
  split?: SplitName;
  nc2Metric?: Nc2Metric;
  /** Run indices hidden in the legend. */
  hiddenRuns?: number[];
  selectedKey?: string;
  trajectoryLayers?: string[];
}

export interface ComparePrefs {
  split: SplitName;
  nc2Metric: Nc2Metric;
  hiddenRuns: number[];
  selectedKey: string | null;
  /** null: not chosen yet (the default layers are shown). */
  trajectoryLayers: string[] | null;
}

export const DEFAULT_PREFS: ComparePrefs = { split: 'train', nc2Metric: 'etfDistance', hiddenRuns: [], selectedKey: null, trajectoryLayers: null };

export function stateFor(content: CompareContent, prefs: ComparePrefs): CompareWebviewState {
  const state: CompareWebviewState = { split: prefs.split, nc2Metric: prefs.nc2Metric };
  if (content.kind === 'compare') {
    state.runIds = content.view.runs.map((r) => r.runId);
    state.labels = content.view.comparison.runs.map((r) => r.label);
    // Warnings exist only when the user accepted runs on different data: a rebuild must accept them again.
    state.allowMismatch = content.view.comparison.warnings.length > 0;
    if (prefs.hiddenRuns.length > 0) state.hiddenRuns = [...prefs.hiddenRuns];
    if (prefs.selectedKey !== null) state.selectedKey = prefs.selectedKey;
  } else {
    state.trajectory = content.trajectory;
    if (prefs.trajectoryLayers !== null) state.trajectoryLayers = [...prefs.trajectoryLayers];
  }
  return state;
}

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** Accepts a state that says what was shown; malformed optional fields are dropped, not fatal. */
export function asCompareWebviewState(value: unknown): CompareWebviewState | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const state: CompareWebviewState = {};
  if (isStringArray(v.runIds) && v.runIds.length >= 2) state.runIds = v.runIds;
  if (isTrajectoryResult(v.trajectory)) state.trajectory = v.trajectory;
  if (typeof v.trajectoryFile === 'string' && v.trajectoryFile.length > 0) state.trajectoryFile = v.trajectoryFile;
  if (!state.runIds && !state.trajectory && !state.trajectoryFile) return undefined;
  if (typeof v.allowMismatch === 'boolean') state.allowMismatch = v.allowMismatch;
  if (isStringArray(v.labels)) state.labels = v.labels;
  if (v.split === 'train' || v.split === 'test') state.split = v.split;
  if (typeof v.nc2Metric === 'string' && NC2_METRICS.some((m) => m.id === v.nc2Metric)) state.nc2Metric = v.nc2Metric as Nc2Metric;
  if (Array.isArray(v.hiddenRuns) && v.hiddenRuns.every((i) => Number.isInteger(i) && (i as number) >= 0)) state.hiddenRuns = v.hiddenRuns as number[];
  if (typeof v.selectedKey === 'string') state.selectedKey = v.selectedKey;
  if (isStringArray(v.trajectoryLayers)) state.trajectoryLayers = v.trajectoryLayers;
  return state;
}

export function prefsFrom(state: CompareWebviewState | undefined): ComparePrefs {
  return {
    split: state?.split ?? DEFAULT_PREFS.split,
    nc2Metric: state?.nc2Metric ?? DEFAULT_PREFS.nc2Metric,
    hiddenRuns: state?.hiddenRuns ?? [],
    selectedKey: state?.selectedKey ?? null,
    trajectoryLayers: state?.trajectoryLayers ?? null,
  };
}

/** What a saved state showed, in contentIdentity's terms (the saved choices apply only to that). */
export function stateIdentity(state: CompareWebviewState | undefined): string {
  if (state?.trajectory) return contentIdentity({ kind: 'trajectory', trajectory: state.trajectory });
  if (state?.runIds) return `compare:${state.runIds.join('\u0000')}`;
  return '';
}

/**
 * The user's choices after `message` changed what is shown from `before` to `after`, and the identity they
 * now belong to. Hidden runs, the marked row and the chosen layers belong to what they were chosen on, so
 * new content drops them; a live trajectory's update is the same trajectory grown by a checkpoint, so
 * every choice stays (also in a page rebuilt while hidden, whose saved choices were a trajectory's).
 */
export function choicesAfter(
  message: HostToComparePanel,
  before: CompareContent | null,
  after: CompareContent | null,
  prefs: ComparePrefs,
  identity: string,
): { prefs: ComparePrefs; identity: string } {
  if (message.kind === 'progress' || message.kind === 'failed') return { prefs, identity };
  const next = contentIdentity(after);
  const sameTrajectory = before?.kind === 'trajectory' || (before === null && identity.startsWith('trajectory:'));
  if (message.kind === 'trajectoryUpdate' && sameTrajectory) return { prefs, identity: next };
  if (next === identity) return { prefs, identity };
  return { prefs: { ...prefs, hiddenRuns: [], selectedKey: null, trajectoryLayers: null }, identity: next };
}
