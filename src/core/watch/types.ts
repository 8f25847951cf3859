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

/** Where a checkpoint of a watched folder ended up, as recorded in the trajectory JSON (what a resume reads). */
export type WatchRecordState = 'analysed' | 'deleted' | 'corrupt';

export interface WatchRecord {
  /** The checkpoint's path, as WatchedCheckpoint.file. */
  file: string;
  epoch: number;
  /** WatchedCheckpoint.key of the bytes analysed (or found corrupt): a resume skips a checkpoint whose key is unchanged. */
  key: string;
  /** `deleted`: gone from the folder; its analysis (if it had one) is kept in the trajectory. */
  state: WatchRecordState;
  /** Why it is corrupt: the file and what is wrong (unparsable, a shard missing or short, an analysis that failed on it). */
  reason?: string;
  /** Its analysis result JSON (collapse-lens/result@1), relative to the trajectory JSON's folder; absent when never analysed. */
  result?: string;
  /** When it was analysed (ISO 8601): unchanged by a resume that reuses the analysis. */
  analysedAt?: string;
}

/** The `watch` block of a trajectory written by `collapse-lens watch` (or the extension's watch). */
export interface TrajectoryWatch {
  /** The watched folder, absolute. */
  folder: string;
  /**
   * The settings every checkpoint was analysed with (datasets, layers, reduction, samples per class, seed,
   * epsilon, preprocessing, strict): a resume with other settings is refused rather than mixing them.
   */
  settings: Record<string, unknown>;
  /** Every checkpoint seen, in epoch order: analysed, deleted (kept) and corrupt (with the reason). */
  checkpoints: WatchRecord[];
}
