/**
 * A watch as the trajectory panel's `trajectoryUpdate` carries it. No vscode import.
 */
import { emptyTrajectory, type TrajectoryResult } from '../../core/compare';
import type { TrajectoryWatchStatus, WatchCheckpointStatus } from '../../protocol/webview';
import type { WatchedStatus, WatchView } from './watchController';

/**
 * The panel's page refuses a state it does not know, so an engine failure is shown as a flagged
 * checkpoint whose reason says the analysis (not the file) failed.
 */
function panelStatus(c: WatchedStatus): WatchCheckpointStatus {
  if (c.state !== 'failed') return { epoch: c.epoch, label: c.label, state: c.state, ...(c.reason ? { reason: c.reason } : {}) };
  return { epoch: c.epoch, label: c.label, state: 'corrupt', reason: `the analysis failed: ${c.reason ?? 'no reason given'}` };
}

export function panelUpdate(view: WatchView): { trajectory: TrajectoryResult; watch: TrajectoryWatchStatus } {
  return {
    // Before the first checkpoint is done the panel shows an empty trajectory: "waiting for the first checkpoint".
    trajectory: view.trajectory ?? emptyTrajectory(),
    watch: { checkpoints: view.checkpoints.map(panelStatus), queued: view.queued, watching: view.watching },
  };
}
