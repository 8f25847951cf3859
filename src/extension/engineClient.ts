import { fork, type ChildProcess } from 'node:child_process';
import type { AnalysisResult } from '../core/result';
import type { AnalyzeRequest, EngineToHost, FeaturesRequest, HostToEngine, ProgressInfo } from '../protocol/engine';
import type { LayerInfo } from '../core/model/types';
import type { CheckpointClassifierEntry } from '../core/classifierReport';

export interface JobCallbacks {
  onProgress?(p: ProgressInfo): void;
  onPartial?(r: AnalysisResult): void;
}

/** A failure of the engine, carrying whatever it had finished so nothing computed is lost. */
export class EngineError extends Error {
  constructor(message: string, readonly detail?: string, readonly partial?: AnalysisResult, readonly cancelled = false) {
    super(message);
    this.name = 'EngineError';
  }
}

export interface LayersReply {
  layers: LayerInfo[];
  format: string;
  classifier: string | null;
  /** Set for a transformer: whether a class token was found (the reduction step is offered then). */
  tokens?: { classToken: boolean };
}

export interface EngineOptions {
  /** dist/engine.js inside the installed extension. */
  enginePath: string;
  log(line: string): void;
  /** How long a cancel may take before the process is killed. */
  cancelGraceMs?: number;
}

/**
 * Runs each job in a fresh engine process. onnxruntime works synchronously and natively: a crash, an
 * out-of-memory or a hang must cost one job, never the extension host, so nothing heavy runs here.
 */
export class EngineClient {
  private nextId = 1;
  private readonly live = new Set<ChildProcess>();

  constructor(private readonly options: EngineOptions) {}

  analyze(request: AnalyzeRequest, callbacks: JobCallbacks, cancel?: { onCancellationRequested(listener: () => void): unknown }): Promise<AnalysisResult> {
    return this.job<AnalysisResult>({ kind: 'analyze', id: this.nextId++, request }, callbacks, cancel);
  }

  metrics(request: FeaturesRequest, callbacks: JobCallbacks, cancel?: { onCancellationRequested(listener: () => void): unknown }): Promise<AnalysisResult> {
    return this.job<AnalysisResult>({ kind: 'metrics', id: this.nextId++, request }, callbacks, cancel);
  }

  layers(checkpoint: string): Promise<LayersReply> {
    return this.job<LayersReply>({ kind: 'layers', id: this.nextId++, checkpoint }, {});
  }

  /**
   * The classifier's geometry of each checkpoint from its weights alone. Read in the engine, never here:
   * decoding a model is synchronous and would block the extension host.
   */
  classifier(checkpoints: string[]): Promise<CheckpointClassifierEntry[]> {
    return this.job<CheckpointClassifierEntry[]>({ kind: 'classifier', id: this.nextId++, checkpoints }, {});
  }

  /** Kills every engine still running (extension deactivation). */
  dispose(): void {
    for (const child of this.live) child.kill('SIGKILL');
    this.live.clear();
  }

  private job<T>(message: HostToEngine & { id: number }, callbacks: JobCallbacks, cancel?: { onCancellationRequested(listener: () => void): unknown }): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const child = fork(this.options.enginePath, ['--ipc'], {
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
        // The engine is plain Node even though the host runs inside Electron.
        env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
        execArgv: [],
      });
      this.live.add(child);
      let settled = false;
      let cancelled = false;
      let partial: AnalysisResult | undefined;
      let stderrTail = '';
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        this.live.delete(child);
        fn();
        if (child.exitCode === null && child.signalCode === null) child.kill();
      };
      child.stdout?.on('data', (d: Buffer) => this.options.log(`[engine ${child.pid}] ${d.toString().trimEnd()}`));
      child.stderr?.on('data', (d: Buffer) => {
        const text = d.toString();
        stderrTail = (stderrTail + text).slice(-4000);
        this.options.log(`[engine ${child.pid} stderr] ${text.trimEnd()}`);
      });
      child.on('message', (raw: unknown) => {
        const msg = raw as EngineToHost;
        switch (msg.kind) {
          case 'ready':
            child.send(message);
            break;
          case 'progress':
            callbacks.onProgress?.(msg.progress);
            break;
          case 'partial':
            partial = msg.result;
            callbacks.onPartial?.(msg.result);
            break;
          case 'result':
            finish(() => resolve(msg.result as T));
            break;
          case 'layers':
            finish(() => resolve({ layers: msg.layers, format: msg.format, classifier: msg.classifier, ...(msg.tokens ? { tokens: msg.tokens } : {}) } as T));
            break;
          case 'classifier':
            finish(() => resolve(msg.entries as T));
            break;
          case 'log':
            this.options.log(`[engine ${child.pid} ${msg.level}] ${msg.message}`);
            break;
          case 'error':
            finish(() => reject(new EngineError(msg.message, msg.detail, msg.partial ?? partial, cancelled)));
            break;
        }
      });
      child.on('error', (err) => finish(() => reject(new EngineError(`Could not start the analysis engine: ${err.message}`, err.stack, partial))));
      child.on('exit', (code, signal) => {
        const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        const oom = /heap out of memory|Allocation failed|std::bad_alloc/i.test(stderrTail);
        // A SIGKILL we did not send (cancel sends it only after the grace period) comes from outside:
        // on Linux that is most often the kernel's out-of-memory killer, which leaves no trace in stderr.
        const killedFromOutside = signal === 'SIGKILL' ? ' (from outside the editor: on Linux, most often the system running out of memory). Fewer or narrower layers, or a smaller batch size, need less memory.' : '.';
        const why = cancelled
          ? 'Analysis cancelled.'
          : oom
            ? `The analysis engine ran out of memory and ${how}. Try a smaller --batch-size or fewer layers.`
            : `The analysis engine ${how} before finishing${killedFromOutside}`;
        finish(() => reject(new EngineError(why, stderrTail || undefined, partial, cancelled)));
      });
      cancel?.onCancellationRequested(() => {
        cancelled = true;
        if (child.connected) child.send({ kind: 'cancel', id: message.id } satisfies HostToEngine);
        // A synchronous native call cannot see the cancel until it returns: stop waiting for it.
        setTimeout(() => {
          if (!settled) child.kill('SIGKILL');
        }, this.options.cancelGraceMs ?? 1000).unref();
      });
    });
  }
}
