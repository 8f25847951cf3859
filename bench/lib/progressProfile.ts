/**
 * Where an analysis spends its time, read from the progress events it already emits (no change to the
 * engine): per batch, the pipeline reports the batch boundary, then each layer just before reducing it,
 * so the gap boundary -> first layer is "wait for the decoded batch + inference + copy-out", and the gap
 * layer -> next event is that layer's accumulator work.
 */
import type { ProgressInfo } from '../../src/protocol/engine';

interface Stamped {
  t: number;
  p: ProgressInfo;
}

export interface PassProfile {
  /** Waiting for the batch (decode not hidden by prefetch) + runner.run (inference and output copies). */
  batchAndInferenceSeconds: number;
  /** Accumulator add() per layer, summed over batches. */
  layerSeconds: Record<string, number>;
  batches: number;
}

export interface AnalysisProfile {
  /** Until the first pass-1 event: reading the graph, shape inference, sessions, opening the data. */
  setupSeconds: number;
  passes: Record<string, PassProfile>;
  /** Between one pass's last batch and the next pass's first: pass-1 finish (class stats, eigen) etc. */
  betweenSeconds: Record<string, number>;
  /** After the last batch: finishing pass 2 and assembling the result. */
  finishSeconds: number;
}

export class ProgressRecorder {
  private readonly events: Stamped[] = [];
  private readonly started = performance.now();

  readonly onProgress = (p: ProgressInfo): void => {
    this.events.push({ t: performance.now(), p });
  };

  /**
   * `reducedInWorker`: the metrics worker reduced the passes; its layer events arrive while the main
   * thread already runs the next batch, so they mark no boundary here and are left out.
   */
  profile(ended: number, reducedInWorker = false): AnalysisProfile {
    const key = (p: ProgressInfo) => `${p.split ?? '-'} ${p.stage}`;
    const passes: Record<string, PassProfile> = {};
    const between: Record<string, number> = {};
    let setup = 0;
    let previous: Stamped | null = null;
    for (const e of this.events) {
      if (e.p.stage !== 'pass1' && e.p.stage !== 'pass2') continue;
      if (reducedInWorker && e.p.layer !== undefined) continue;
      const pass = (passes[key(e.p)] ??= { batchAndInferenceSeconds: 0, layerSeconds: {}, batches: 0 });
      if (previous === null) {
        setup = (e.t - this.started) / 1000;
      } else if (key(previous.p) !== key(e.p)) {
        between[`${key(previous.p)} -> ${key(e.p)}`] = (e.t - previous.t) / 1000;
      } else {
        const gap = (e.t - previous.t) / 1000;
        if (previous.p.layer !== undefined) pass.layerSeconds[previous.p.layer] = (pass.layerSeconds[previous.p.layer] ?? 0) + gap;
        else if (e.p.layer !== undefined) {
          pass.batchAndInferenceSeconds += gap;
          pass.batches++;
        } else pass.batchAndInferenceSeconds += gap;
      }
      previous = e;
    }
    return { setupSeconds: setup, passes, betweenSeconds: between, finishSeconds: previous ? (ended - previous.t) / 1000 : 0 };
  }
}
