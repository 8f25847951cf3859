/**
 * The extension's checkpoint watcher: the core CheckpointWatcher (the one `collapse-lens watch` uses),
 * with what it cannot do said in the log: a poll that failed (the folder deleted or unreadable) and each
 * checkpoint name it cannot place (no epoch number, or an epoch taken twice), once each.
 */
import { CheckpointWatcher } from '../../core/watch/checkpointWatcher';
import type { CheckpointWatcherLike } from '../../core/watch/types';
import { messageOf } from '../../core/messageOf';

export function folderWatcher(folder: string, warn: (line: string) => void): CheckpointWatcherLike {
  const watcher = new CheckpointWatcher(folder);
  const said = new Set<string>();
  const sayOnce = (line: string) => {
    if (said.has(line)) return;
    said.add(line);
    warn(line);
  };
  watcher.onError((error) => sayOnce(`the folder could not be listed (${messageOf(error)}); still polling`));
  watcher.onChange(() => {
    for (const name of watcher.skipped()) sayOnce(`not watched: ${name}`);
  });
  return watcher;
}
