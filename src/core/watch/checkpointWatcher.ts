/**
 * Watches one training folder for epoch checkpoints, by polling (fs.watch misses events on network and
 * container mounts; a poll misses nothing). Each checkpoint is `settling` until the size and modification
 * time of every file it reads have stayed unchanged for settleMs and it parses as a whole model; then
 * `ready`. One that stays stable yet unparsable for corruptAfterMs is `corrupt`, with the reason. One that
 * disappears is `deleted` and kept. One rewritten in place gets a new key and settles again.
 * Shared by `collapse-lens watch` and the extension's "Watch training folder"; no vscode import.
 */
import { listCheckpointEntries, type CheckpointEntry } from '../compare/epochFolder';
import { epochFromName, orderByEpoch } from '../compare/epochs';
import { checkpointProblem, checkpointSignature, type ShardCache } from './checkpointFiles';
import type { CheckpointWatcherLike, CheckpointWatcherOptions, WatchedCheckpoint } from './types';

export const DEFAULT_WATCH_OPTIONS: CheckpointWatcherOptions = { pollMs: 2000, settleMs: 3000, corruptAfterMs: 60_000 };

export interface CheckpointWatcherConfig extends CheckpointWatcherOptions {
  /** The clock the settle and corrupt times are measured on (ms); a test steps a fake one. */
  now: () => number;
}

interface Tracked {
  checkpoint: WatchedCheckpoint;
  /** When the current key was first seen (the settle time counts from here). */
  since: number;
  /** When the current key was first found stable but unparsable; null while it parsed or was not tried. */
  failingSince: number | null;
}

export class CheckpointWatcher implements CheckpointWatcherLike {
  private readonly config: CheckpointWatcherConfig;
  /** By checkpoint path (`<folder>/epoch_3.onnx`, `<folder>/ckpt-3/model.json`). */
  private readonly tracked = new Map<string, Tracked>();
  private readonly shardCache: ShardCache = new Map();
  private readonly listeners = new Set<(checkpoints: WatchedCheckpoint[]) => void>();
  private readonly errorListeners = new Set<(error: unknown) => void>();
  private skippedNames: string[] = [];
  private polling: Promise<void> = Promise.resolve();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;

  constructor(
    readonly folder: string,
    options: Partial<CheckpointWatcherConfig> = {},
  ) {
    this.config = { ...DEFAULT_WATCH_OPTIONS, now: Date.now, ...options };
  }

  snapshot(): WatchedCheckpoint[] {
    return [...this.tracked.values()].map((t) => ({ ...t.checkpoint })).sort((a, b) => a.epoch - b.epoch);
  }

  /**
   * Checkpoint names the watcher cannot place, with why: no epoch number in the name, or the same epoch
   * as another checkpoint. They are not watched; the caller shows them (a name is never skipped silently).
   */
  skipped(): string[] {
    return [...this.skippedNames];
  }

  onChange(listener: (checkpoints: WatchedCheckpoint[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A poll that failed while start()ed (the folder deleted or unreadable); the watch goes on polling. */
  onError(listener: (error: unknown) => void): () => void {
    this.errorListeners.add(listener);
    return () => this.errorListeners.delete(listener);
  }

  poll(): Promise<void> {
    // One listing at a time: two overlapping polls would each see the other's half-updated state.
    const next = this.polling.catch(() => undefined).then(() => this.pollOnce());
    this.polling = next;
    return next;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const tick = () => {
      this.poll()
        .catch((error: unknown) => this.errorListeners.forEach((l) => l(error)))
        .finally(() => {
          if (this.running) this.timer = setTimeout(tick, this.config.pollMs);
        });
    };
    tick();
  }

  stop(): void {
    this.running = false;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async pollOnce(): Promise<void> {
    const entries = await listCheckpointEntries(this.folder);
    const { placed, skipped } = this.place(entries);
    let changed = skipped.join('\n') !== this.skippedNames.join('\n');
    this.skippedNames = skipped;
    for (const entry of placed) if (await this.update(entry)) changed = true;
    const present = new Set(placed.map((p) => p.file));
    for (const t of this.tracked.values()) {
      if (!present.has(t.checkpoint.file) && t.checkpoint.state !== 'deleted') {
        t.checkpoint = { file: t.checkpoint.file, epoch: t.checkpoint.epoch, key: t.checkpoint.key, state: 'deleted' };
        changed = true;
      }
    }
    if (changed) {
      const snapshot = this.snapshot();
      this.listeners.forEach((l) => l(snapshot));
    }
  }

  /**
   * The entries that get an epoch, by orderByEpoch's rule, and the names refused: no number in the name,
   * or an epoch already taken (a checkpoint already watched keeps its epoch; two new ones both lose it).
   */
  private place(entries: CheckpointEntry[]): { placed: (CheckpointEntry & { epoch: number })[]; skipped: string[] } {
    const skipped: string[] = [];
    const byEpoch = new Map<number, CheckpointEntry[]>();
    for (const e of entries) {
      const epoch = epochFromName(e.name);
      if (epoch === null) skipped.push(`${e.file}: no epoch number in its name, so it cannot be placed in the trajectory`);
      else byEpoch.set(epoch, [...(byEpoch.get(epoch) ?? []), e]);
    }
    const kept: CheckpointEntry[] = [];
    for (const [epoch, group] of byEpoch) {
      if (group.length === 1) {
        kept.push(group[0]);
        continue;
      }
      const watched = group.find((e) => this.tracked.has(e.file) && this.tracked.get(e.file)?.checkpoint.state !== 'deleted');
      if (watched) kept.push(watched);
      const others = group.filter((e) => e !== watched).map((e) => e.file);
      skipped.push(`${others.join(', ')}: epoch ${epoch} already read from ${watched ? watched.file : 'another checkpoint'} (${group.map((e) => e.name).join(', ')} all read as epoch ${epoch})`);
    }
    const fileOf = new Map(kept.map((e) => [e.name, e.file]));
    const placed = orderByEpoch([...fileOf.keys()]).map((o) => ({ name: o.file, file: fileOf.get(o.file) as string, epoch: o.epoch }));
    return { placed, skipped: skipped.sort() };
  }

  /** Moves one present checkpoint along settling -> ready | corrupt; true when its state or key changed. */
  private async update(entry: CheckpointEntry & { epoch: number }): Promise<boolean> {
    const now = this.config.now();
    const key = await checkpointSignature(entry.file, this.shardCache);
    let t = this.tracked.get(entry.file);
    let changed = false;
    if (!t || t.checkpoint.state === 'deleted' || t.checkpoint.key !== key) {
      t = { checkpoint: { file: entry.file, epoch: entry.epoch, key, state: 'settling' }, since: now, failingSince: null };
      this.tracked.set(entry.file, t);
      changed = true;
    }
    if (t.checkpoint.state !== 'settling' || now - t.since < this.config.settleMs) return changed;
    const problem = await checkpointProblem(entry.file);
    // Written to while it was being checked: what was checked is not what is there; settle again.
    const after = await checkpointSignature(entry.file, this.shardCache);
    if (after !== key) {
      t.checkpoint = { ...t.checkpoint, key: after };
      t.since = now;
      t.failingSince = null;
      return true;
    }
    if (problem === null) {
      t.checkpoint = { ...t.checkpoint, state: 'ready' };
      return true;
    }
    // Stable yet unparsable: a TF.js shard may still be on its way, so it is only corrupt after a while.
    t.failingSince ??= now;
    if (now - t.failingSince < this.config.corruptAfterMs) return changed;
    t.checkpoint = { ...t.checkpoint, state: 'corrupt', reason: problem };
    return true;
  }
}
