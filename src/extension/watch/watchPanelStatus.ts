/**
 * A watch as the trajectory panel's `trajectoryUpdate` carries it. No vscode import.
 */
import { emptyTrajectory, type TrajectoryResult } from '../../core/compare';
import type { TrajectoryWatchStatus, WatchCheckpointStatus } from '../../protocol/webview';
import type { WatchedStatus, WatchView } from './watchController';

function panelStatus(c: WatchedStatus): WatchCheckpointStatus {
  return { epoch: c.epoch, label: c.label, state: c.state, ...(c.reason ? { reason: c.reason } : {}) };
}

export function panelUpdate(view: WatchView): { trajectory: TrajectoryResult; watch: TrajectoryWatchStatus } {
  return {
    // Before the first checkpoint is done the panel shows an empty trajectory: "waiting for the first checkpoint".
    trajectory: view.trajectory ?? emptyTrajectory(),
    watch: { checkpoints: view.checkpoints.map(panelStatus), queued: view.queued, watching: view.watching },
  };
}
