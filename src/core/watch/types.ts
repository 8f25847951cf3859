/**
 * The contract between the checkpoint watcher (core, shared by `collapse-lens watch` and the extension's
 * "Watch training folder") and whoever analyses what it finds. No vscode import: the core stays testable alone.
 */

/** Where one checkpoint of a watched folder stands. */
export type CheckpointState =
  /** Seen, but its size or modification time moved within the settle time, or it does not parse yet. */
  | 'settling'
  /** Stable and parses: ready to analyse (once). */
  | 'ready'
  /** Stable for long enough yet still does not parse (or a TF.js shard is missing or short): flagged, skipped. */
  | 'corrupt'
  /** Was seen, then deleted from the folder: kept (greyed) in the trajectory, never dropped. */
  | 'deleted';

export interface WatchedCheckpoint {
  /** The path the engine opens: `<folder>/epoch_012.onnx` or `<folder>/checkpoint-3000/model.json`. */
  file: string;
  /** The number that orders the checkpoints (orderByEpoch's rule). */
  epoch: number;
  /**
   * Identity of the bytes analysed: the path plus the size and modification time of every file it reads
   * (model.json and its shards). A checkpoint rewritten in place gets a new key and is analysed again.
   */
  key: string;
  state: CheckpointState;
  /** Why it is corrupt (names the file and what is wrong); absent otherwise. */
  reason?: string;
}

export interface CheckpointWatcherOptions {
  /** How often the folder is listed (ms). */
  pollMs: number;
  /** How long size and mtime must stay unchanged before a checkpoint is parsed (ms). */
  settleMs: number;
  /** How long a checkpoint may stay stable yet unparsable before it is called corrupt (ms). */
  corruptAfterMs: number;
}

/** A watcher over one folder; implemented in src/core/watch/checkpointWatcher.ts. */
export interface CheckpointWatcherLike {
  /** Every checkpoint seen so far, in epoch order (deleted ones included). */
  snapshot(): WatchedCheckpoint[];
  /** Called after every poll that changed any checkpoint's state or key. */
  onChange(listener: (checkpoints: WatchedCheckpoint[]) => void): () => void;
  /** Lists once now (also what each poll does); resolves when the listing is processed. */
  poll(): Promise<void>;
  start(): void;
  stop(): void;
}
