import type { ProgressInfo } from '../protocol/engine';

export type ProgressSink = (p: ProgressInfo) => void;

/**
 * Throttles progress so a fast loop over tiny batches does not flood the IPC channel or the terminal:
 * a stage change always passes, otherwise at most one report per interval.
 */
export function throttleProgress(sink: ProgressSink, intervalMs = 200): ProgressSink {
  let last = 0;
  let lastKey = '';
  return (p) => {
    const now = Date.now();
    const key = `${p.stage}/${p.split ?? ''}`;
    if (key !== lastKey || p.done === p.total || now - last >= intervalMs) {
      last = now;
      lastKey = key;
      sink(p);
    }
  };
}
