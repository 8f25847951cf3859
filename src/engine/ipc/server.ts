import type { EngineToHost, HostToEngine } from '../../protocol/engine';
import type { AnalysisResult } from '../../core/result';
import { analyzeCheckpoint } from '../analyze/pipeline';
import { analyzeFeatures } from '../analyze/features';
import type { AnalysisHooks } from '../analyze/hooks';
import { describeLayers } from '../analyze/layers';
import { describeCheckpointClassifier } from '../../core/model/describeClassifier';
import { throttleProgress } from '../progress';
import { CancelledError, messageOf } from '../errors';
import { checkOutputTarget, writeJsonOutput } from '../cli/outputFile';

function send(msg: EngineToHost): void {
  process.send?.(msg);
}

/**
 * Serves the extension host over Node IPC. Jobs run one after another in this process; the host
 * forks a fresh engine per analysis, so a crash here only ever loses one job, and the host can kill
 * the process outright when a cancel is not honoured quickly enough.
 */
export function serveIpc(): void {
  const controllers = new Map<number, AbortController>();

  const runJob = async (id: number, job: (signal: AbortSignal, partial: (r: AnalysisResult) => void) => Promise<unknown>) => {
    const controller = new AbortController();
    controllers.set(id, controller);
    let lastPartial: AnalysisResult | undefined;
    try {
      await job(controller.signal, (r) => {
        lastPartial = r;
        send({ kind: 'partial', id, result: r });
      });
    } catch (err) {
      const message = err instanceof CancelledError ? 'Analysis cancelled.' : messageOf(err);
      const detail = err instanceof Error && !(err instanceof CancelledError) ? err.stack : undefined;
      send({ kind: 'error', id, message, ...(detail ? { detail } : {}), ...(lastPartial ? { partial: lastPartial } : {}) });
    } finally {
      controllers.delete(id);
    }
  };

  /** A checkpoint's or dumped features' analysis: progress at most every 250 ms, partial results, the result. */
  const runAnalysis = (id: number, out: string | undefined, analyze: (hooks: AnalysisHooks) => Promise<AnalysisResult>) =>
    runJob(id, async (signal, onPartial) => {
      const onProgress = throttleProgress((progress) => send({ kind: 'progress', id, progress }), 250);
      if (out) await checkOutputTarget(out);
      const result = await analyze({ onProgress, onPartial, signal });
      // Written here, before the host hears of it, so a host that dies now loses nothing.
      if (out) await writeJsonOutput(result, out);
      send({ kind: 'result', id, result });
    });

  process.on('message', (raw: unknown) => {
    const msg = raw as HostToEngine;
    switch (msg.kind) {
      case 'analyze':
        void runAnalysis(msg.id, msg.request.out, (hooks) => analyzeCheckpoint(msg.request, hooks));
        break;
      case 'metrics':
        void runAnalysis(msg.id, msg.request.out, (hooks) => analyzeFeatures(msg.request, hooks));
        break;
      case 'layers':
        void runJob(msg.id, async () => {
          const info = await describeLayers(msg.checkpoint);
          send({ kind: 'layers', id: msg.id, layers: info.layers, format: info.format, classifier: info.classifier, ...(info.tokens ? { tokens: info.tokens } : {}) });
        });
        break;
      case 'classifier':
        void runJob(msg.id, async () => {
          const entries = [];
          for (const checkpoint of msg.checkpoints) entries.push(await describeCheckpointClassifier(checkpoint));
          send({ kind: 'classifier', id: msg.id, entries });
        });
        break;
      case 'cancel':
        controllers.get(msg.id)?.abort();
        break;
    }
  });
  // The host going away (window closed, extension host crash) must not leave an orphan doing inference.
  process.on('disconnect', () => process.exit(0));
  send({ kind: 'ready', pid: process.pid });
}
