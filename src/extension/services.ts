import type * as vscode from 'vscode';
import type { EngineClient } from './engineClient';
import type { RunStore } from './store/runStore';
import type { Log } from './log';
import type { AnalysisObserver } from './analysisRunner';

/** What every command needs, built once in activate(). */
export interface Services {
  context: vscode.ExtensionContext;
  engine: EngineClient;
  store: RunStore;
  log: Log;
  observer: AnalysisObserver;
  /** Opens (or focuses) the panel of a stored run. */
  openRun(runId: string): Promise<void>;
  /** Shows a checkpoint in the Layers view with its classifier's geometry from the weights (no dataset needed). */
  openCheckpoint(path: string): void;
}
