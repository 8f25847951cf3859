/**
 * One watched training folder: hears the checkpoint watcher, analyses each `ready` checkpoint once (the
 * engine one checkpoint at a time, through `deps.exclusive`), and publishes the trajectory that grows from
 * it. No vscode import: the controller is unit-tested with a fake watcher and a fake engine.
 *
 * What it guarantees: a checkpoint is analysed once per key (path, size and mtime of its files): a stored
 * analysis is reused, never recomputed; a deleted checkpoint keeps its point (greyed by the panel); a
 * corrupt one is flagged and skipped with one warning; an engine failure on one checkpoint is logged and
 * the watch goes on with the next.
 */
import { basename, dirname } from 'node:path';
import type { AnalysisResult } from '../../core/result';
import type { CheckpointWatcherLike, WatchedCheckpoint } from '../../core/watch/types';
import { buildTrajectory, type TrajectoryResult } from '../../core/compare';
import { messageOf } from '../../core/messageOf';
import type { WatchCheckpointState } from '../../protocol/webview';

/** What one `ready` checkpoint gave: read back from the run store, or analysed now. */
export interface WatchOutcome {
  runId: string;
  result: AnalysisResult;
  source: 'stored' | 'analysed';
}

export interface WatchLog {
  info(line: string): void;
  warn(line: string): void;
}

export interface WatchControllerDeps {
  folder: string;
  watcher: CheckpointWatcherLike;
  /** Read before each pick, so a change of the setting applies to the next checkpoint. */
  newestFirst(): boolean;
  /** The stored analysis of the checkpoint if there is one for these choices, else the engine's. */
  analyse(checkpoint: WatchedCheckpoint, signal: AbortSignal): Promise<WatchOutcome>;
  /** Runs one engine job at a time across every watch. */
  exclusive<T>(task: () => Promise<T>): Promise<T>;
  /** Called after each checkpoint done, so a reload finds it (see watchMemory). */
  remember(checkpoint: WatchedCheckpoint, runId: string): void;
  log: WatchLog;
  onUpdate(view: WatchView): void;
}

/** The panel's states, plus 'failed': the file is fine but the engine could not analyse it. */
export type WatchedState = WatchCheckpointState | 'failed';

export interface WatchedStatus {
  epoch: number;
  label: string;
  state: WatchedState;
  reason?: string;
}

/** Everything the status bar and the trajectory panel show of one watch. */
export interface WatchView {
  folder: string;
  watching: boolean;
  checkpoints: WatchedStatus[];
  queued: number;
  /** The epoch the engine works on now. */
  analysing?: number;
  /** Checkpoints read back from the run store / analysed by the engine, since the watch (re)started. */
  stored: number;
  analysed: number;
  /** null until the first checkpoint is done. */
  trajectory: TrajectoryResult | null;
}

interface Point {
  key: string;
  epoch: number;
  runId: string;
  result: AnalysisResult;
}

/** What the panel calls a checkpoint: its file, or the folder of a TF.js model.json. */
export const checkpointLabel = (file: string): string => (basename(file) === 'model.json' ? basename(dirname(file)) : basename(file));

export class WatchController {
  private watching = false;
  private latest: WatchedCheckpoint[] = [];
  private readonly points = new Map<string, Point>();
  /** Checkpoints the engine failed on, by file: not tried again until their key changes. */
  private readonly failed = new Map<string, { key: string; reason: string }>();
  private readonly warnedCorrupt = new Set<string>();
  private queue: WatchedCheckpoint[] = [];
  /** Taken from the queue, waiting for its engine turn or analysed (`current` only once its turn came). */
  private taken: WatchedCheckpoint | undefined;
  private current: WatchedCheckpoint | undefined;
  private pumping: Promise<void> | undefined;
  private abort = new AbortController();
  private unsubscribe: (() => void) | undefined;
  private stored = 0;
  private analysed = 0;

  constructor(private readonly deps: WatchControllerDeps) {}

  get folder(): string {
    return this.deps.folder;
  }

  get isWatching(): boolean {
    return this.watching;
  }

  /** Starts (or resumes) watching: what the watcher already knows is queued at once. */
  start(): void {
    if (this.watching) return;
    this.watching = true;
    this.abort = new AbortController();
    this.stored = 0;
    this.analysed = 0;
    this.unsubscribe = this.deps.watcher.onChange((list) => this.heard(list));
    this.deps.watcher.start();
    this.heard(this.deps.watcher.snapshot());
  }

  /** Stops watching and cancels the analysis under way (its checkpoint is queued again on resume). */
  stop(): void {
    if (!this.watching) return;
    this.watching = false;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.deps.watcher.stop();
    this.abort.abort();
    this.queue = [];
    this.publish();
  }

  /** Resolves once nothing is queued or being analysed (tests, and the summary line in the log). */
  async idle(): Promise<void> {
    while (this.pumping) await this.pumping;
  }

  view(): WatchView {
    const points = [...this.points.values()];
    return {
      folder: this.deps.folder,
      watching: this.watching,
      checkpoints: this.latest.map((c) => this.statusOf(c)),
      // A checkpoint taken from the queue still waits while another watch has the engine.
      queued: this.queue.length + (this.taken && !this.current ? 1 : 0),
      ...(this.current ? { analysing: this.current.epoch } : {}),
      stored: this.stored,
      analysed: this.analysed,
      trajectory: points.length > 0 ? buildTrajectory(points.map((p) => ({ epoch: p.epoch, result: p.result }))) : null,
    };
  }

  private statusOf(c: WatchedCheckpoint): WatchedStatus {
    const label = checkpointLabel(c.file);
    const failure = this.failed.get(c.file);
    if (c.state === 'deleted' || c.state === 'settling') return { epoch: c.epoch, label, state: c.state };
    if (c.state === 'corrupt') return { epoch: c.epoch, label, state: 'corrupt', ...(c.reason ? { reason: c.reason } : {}) };
    if (this.current?.file === c.file) return { epoch: c.epoch, label, state: 'analysing' };
    if (this.points.get(c.file)?.key === c.key) return { epoch: c.epoch, label, state: 'analysed' };
    if (failure?.key === c.key) return { epoch: c.epoch, label, state: 'failed', reason: failure.reason };
    return { epoch: c.epoch, label, state: 'queued' };
  }

  /** Whether a ready checkpoint still needs the engine (or the store). */
  private needsWork(c: WatchedCheckpoint): boolean {
    if (this.points.get(c.file)?.key === c.key) return false;
    if (this.failed.get(c.file)?.key === c.key) return false;
    return !(this.taken?.file === c.file && this.taken.key === c.key);
  }

  private heard(list: WatchedCheckpoint[]): void {
    if (!this.watching) return;
    this.latest = list;
    const byFile = new Map(list.map((c) => [c.file, c]));
    // Only what is ready, in its latest version, stays queued: a checkpoint rewritten (settling again),
    // deleted or turned corrupt leaves the queue.
    this.queue = this.queue.flatMap((q) => {
      const now = byFile.get(q.file);
      return now?.state === 'ready' && this.needsWork(now) ? [now] : [];
    });
    for (const c of list) {
      if (c.state === 'ready' && this.needsWork(c) && !this.queue.some((q) => q.file === c.file)) this.queue.push(c);
      // A checkpoint rewritten into a corrupt one: its earlier point is not of the bytes there now (as the CLI).
      if (c.state === 'corrupt' && this.points.has(c.file) && this.points.get(c.file)?.key !== c.key) this.points.delete(c.file);
      if (c.state === 'corrupt' && !this.warnedCorrupt.has(c.key)) {
        this.warnedCorrupt.add(c.key);
        this.deps.log.warn(`watch ${this.deps.folder}: ${checkpointLabel(c.file)} (epoch ${c.epoch}) is corrupt and skipped: ${c.reason ?? 'it does not parse'}`);
      }
    }
    this.publish();
    this.pump();
  }

  private next(): WatchedCheckpoint | undefined {
    if (this.queue.length === 0) return undefined;
    const newest = this.deps.newestFirst();
    const pick = this.queue.reduce((a, b) => ((newest ? b.epoch > a.epoch : b.epoch < a.epoch) ? b : a));
    this.queue = this.queue.filter((q) => q !== pick);
    return pick;
  }

  private pump(): void {
    if (this.pumping || !this.watching || this.queue.length === 0) return;
    this.pumping = (async () => {
      for (let c = this.next(); c && this.watching; c = this.next()) await this.work(c);
      this.pumping = undefined;
      this.summarise();
    })();
  }

  private async work(c: WatchedCheckpoint): Promise<void> {
    const signal = this.abort.signal;
    const label = `${checkpointLabel(c.file)} (epoch ${c.epoch})`;
    this.taken = c;
    try {
      const outcome = await this.deps.exclusive(async () => {
        if (signal.aborted) throw new Error('stopped');
        this.current = c;
        this.publish();
        return this.deps.analyse(c, signal);
      });
      this.points.set(c.file, { key: c.key, epoch: c.epoch, runId: outcome.runId, result: outcome.result });
      this.failed.delete(c.file);
      this.deps.remember(c, outcome.runId);
      if (outcome.source === 'stored') this.stored++;
      else this.analysed++;
      this.deps.log.info(`watch ${this.deps.folder}: ${label} ${outcome.source === 'stored' ? 'read from the run store (not analysed again)' : 'analysed'}`);
    } catch (error) {
      if (signal.aborted) {
        this.deps.log.info(`watch ${this.deps.folder}: stopped; ${label} will be analysed on resume`);
      } else if (this.latest.find((l) => l.file === c.file)?.state === 'deleted') {
        this.deps.log.info(`watch ${this.deps.folder}: ${label} was deleted while it was analysed`);
      } else {
        // One checkpoint the engine cannot analyse must not stop the watch: flagged, and the next one goes.
        const reason = messageOf(error);
        this.failed.set(c.file, { key: c.key, reason });
        // An older analysis of this file is not of the bytes the engine just failed on.
        if (this.points.get(c.file)?.key !== c.key) this.points.delete(c.file);
        this.deps.log.warn(`watch ${this.deps.folder}: the analysis of ${label} failed: ${reason}; the watch goes on`);
      }
    } finally {
      if (this.current === c) this.current = undefined;
      this.taken = undefined;
      // Stopped and resumed before this cancelled job ended: the checkpoint goes back in the queue.
      if (signal.aborted && this.watching) this.heard(this.deps.watcher.snapshot());
      else this.publish();
    }
  }

  private summarise(): void {
    const v = this.view();
    const count = (state: WatchedState) => v.checkpoints.filter((c) => c.state === state).length;
    this.deps.log.info(`watch ${this.deps.folder}: ${v.checkpoints.length} checkpoint(s): ${v.stored} stored, ${v.analysed} analysed, ${count('corrupt')} corrupt, ${count('failed')} failed, ${count('deleted')} deleted`);
  }

  private publish(): void {
    this.deps.onUpdate(this.view());
  }
}
