/**
 * A checkpoint watcher and an engine the watch tests drive by hand: the watcher reports the states a
 * test sets; each engine job waits until the test finishes it (or the watch aborts it).
 */
import type { CheckpointState, CheckpointWatcherLike, WatchedCheckpoint } from '../../../../src/core/watch/types';
import type { AnalysisResult } from '../../../../src/core/result';
import { WatchController, type WatchControllerDeps, type WatchOutcome } from '../../../../src/extension/watch/watchController';
import { syntheticResult } from '../../helpers/syntheticResult';
import type { MementoLike } from '../../../../src/extension/watch/watchMemory';

export class FakeWatcher implements CheckpointWatcherLike {
  private list: WatchedCheckpoint[] = [];
  private readonly listeners = new Set<(list: WatchedCheckpoint[]) => void>();
  started = 0;
  stopped = 0;
  snapshot(): WatchedCheckpoint[] {
    return this.list.map((c) => ({ ...c }));
  }
  onChange(listener: (list: WatchedCheckpoint[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  poll(): Promise<void> {
    return Promise.resolve();
  }
  start(): void {
    this.started++;
  }
  stop(): void {
    this.stopped++;
  }
  /** Sets the checkpoints (epoch order) and tells the listeners, as a poll that changed them does. */
  set(list: WatchedCheckpoint[]): void {
    this.list = [...list].sort((a, b) => a.epoch - b.epoch);
    for (const l of [...this.listeners]) l(this.snapshot());
  }
}

export const checkpoint = (epoch: number, state: CheckpointState = 'ready', key = `k${epoch}`, reason?: string): WatchedCheckpoint => ({
  file: `/run/epoch_${epoch}.onnx`,
  epoch,
  key,
  state,
  ...(reason ? { reason } : {}),
});

export const resultFor = (file: string, nc1 = 1): AnalysisResult => syntheticResult({ checkpoint: file, layers: [{ name: 'fc', nc1, ncc: 0.5 }] });

interface Job {
  checkpoint: WatchedCheckpoint;
  finish(): void;
  fail(message: string): void;
  aborted: boolean;
}

/** An engine whose jobs the test finishes one by one; `running` never holds more than the engine runs at once. */
export class FakeEngine {
  readonly jobs: Job[] = [];
  running = 0;
  maxRunning = 0;
  analyse = (c: WatchedCheckpoint, signal: AbortSignal): Promise<WatchOutcome> =>
    new Promise<WatchOutcome>((resolve, reject) => {
      this.running++;
      this.maxRunning = Math.max(this.maxRunning, this.running);
      let settled = false;
      const done = () => {
        if (!settled) this.running--;
        settled = true;
      };
      const job: Job = {
        checkpoint: c,
        aborted: false,
        finish: () => (done(), resolve({ runId: `run-${c.key}`, result: resultFor(c.file), source: 'analysed' })),
        fail: (message) => (done(), reject(new Error(message))),
      };
      signal.addEventListener('abort', () => {
        if (settled) return;
        job.aborted = true;
        done();
        reject(new Error('cancelled'));
      });
      this.jobs.push(job);
    });
  /** The epochs given to the engine, in order. */
  get epochs(): number[] {
    return this.jobs.map((j) => j.checkpoint.epoch);
  }
}

/** Lets the controller's pending promise callbacks run. */
export const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
};

/** One engine turn at a time, as the watch manager runs them. */
export function serial(): <T>(task: () => Promise<T>) => Promise<T> {
  let turn: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>) => {
    const job = turn.then(task);
    turn = job.catch(() => undefined);
    return job;
  };
}

export function controller(overrides: Partial<WatchControllerDeps> = {}) {
  const watcher = new FakeWatcher();
  const engine = new FakeEngine();
  const lines: string[] = [];
  const remembered: string[] = [];
  const deps: WatchControllerDeps = {
    folder: '/run',
    watcher,
    newestFirst: () => false,
    analyse: engine.analyse,
    exclusive: serial(),
    remember: (c, runId) => remembered.push(`${c.file}=${runId}`),
    log: { info: (l) => lines.push(`info ${l}`), warn: (l) => lines.push(`warn ${l}`) },
    onUpdate: () => undefined,
    ...overrides,
  };
  return { watch: new WatchController(deps), watcher, engine, lines, remembered };
}

/** workspaceState as VS Code keeps it: values copied through JSON, so a test sees what a reload would. */
export class MapMemento implements MementoLike {
  readonly values = new Map<string, unknown>();
  get<T>(key: string, defaultValue: T): T {
    return this.values.has(key) ? (this.values.get(key) as T) : defaultValue;
  }
  update(key: string, value: unknown): Promise<void> {
    this.values.set(key, JSON.parse(JSON.stringify(value)));
    return Promise.resolve();
  }
}
