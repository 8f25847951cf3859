import { Worker } from 'node:worker_threads';
import * as os from 'node:os';
import { hasNativeCrc32 } from '../crc32';
import { decodeWorkerSource, type WorkerJob, type WorkerReply } from './decodeWorkerSource';

interface QueuedJob {
  job: WorkerJob;
  resolve(reply: WorkerReply): void;
  reject(err: Error): void;
}

interface PoolWorker {
  worker: Worker;
  current: QueuedJob | null;
}

function isReply(value: unknown): value is WorkerReply {
  return typeof value === 'object' && value !== null && 'id' in value && 'outcomes' in value && 'buffer' in value && value.buffer instanceof ArrayBuffer;
}

/**
 * A few worker threads that read and decode image files (see decodeWorkerSource.ts), started on first
 * use. A job is a list of paths; jobs queue and go to the first idle worker. Idle workers are unref'd,
 * so a pool never keeps the process alive. When a worker dies the pool stops (every queued and running
 * job is rejected, later jobs too) and callers decode on their own thread instead.
 */
export class ImageDecodePool {
  private readonly queue: QueuedJob[] = [];
  private readonly workers: PoolWorker[] = [];
  private nextId = 0;
  private failure: Error | null = null;

  constructor(
    readonly size: number,
    private readonly code: string = decodeWorkerSource(),
  ) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`an image decode pool needs at least one worker, got ${size}`);
  }

  /** Why the pool stopped, or null while it works. */
  get stopped(): Error | null {
    return this.failure;
  }

  run(paths: string[]): Promise<WorkerReply> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.queue.push({ job: { id: this.nextId++, paths }, resolve, reject });
      this.pump();
    });
  }

  /** Stops the workers; pending jobs are rejected. */
  async terminate(): Promise<void> {
    this.stop(new Error('the image decode pool was terminated'));
    await Promise.all(this.workers.splice(0).map((w) => w.worker.terminate()));
  }

  private pump(): void {
    while (this.queue.length > 0 && !this.failure) {
      let idle = this.workers.find((w) => w.current === null);
      if (!idle && this.workers.length < this.size) idle = this.spawn();
      if (!idle) return;
      const next = this.queue.shift()!;
      idle.current = next;
      idle.worker.ref();
      idle.worker.postMessage(next.job);
    }
  }

  private spawn(): PoolWorker {
    const entry: PoolWorker = { worker: new Worker(this.code, { eval: true }), current: null };
    entry.worker.on('message', (reply: unknown) => {
      const job = entry.current;
      entry.current = null;
      if (!job || !isReply(reply) || reply.id !== job.job.id) {
        this.stop(new Error('an image decoding worker sent an unexpected reply'));
        return;
      }
      job.resolve(reply);
      if (this.queue.length === 0) entry.worker.unref();
      this.pump();
    });
    entry.worker.on('error', (err) => this.stop(new Error(`an image decoding worker failed (${err.message})`)));
    entry.worker.on('exit', (code) => {
      if (!this.failure) this.stop(new Error(`an image decoding worker exited (code ${code})`));
    });
    this.workers.push(entry);
    return entry;
  }

  private stop(reason: Error): void {
    this.failure ??= reason;
    for (const w of this.workers) {
      w.current?.reject(this.failure);
      w.current = null;
      w.worker.unref();
    }
    for (const job of this.queue.splice(0)) job.reject(this.failure);
  }
}

/** Most workers a pool starts: decoding scales with cores, but a handful already outruns any reader. */
const MAX_WORKERS = 4;

let shared: ImageDecodePool | null | undefined;

/**
 * The process's pool, one worker per core up to MAX_WORKERS; null on a single core (a worker would only
 * compete with the main thread) or without node:zlib's native crc32 (Node < 20.15), which the workers use.
 */
export function sharedDecodePool(): ImageDecodePool | null {
  if (shared === undefined) {
    const cores = os.availableParallelism();
    shared = cores >= 2 && hasNativeCrc32 ? new ImageDecodePool(Math.min(cores, MAX_WORKERS)) : null;
  }
  return shared && !shared.stopped ? shared : null;
}
