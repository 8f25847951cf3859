import { UserError } from '../errors';
import type { ReducerBatch } from './reducer';

/**
 * Pass 2 needs pass 1's class means, so an analysis used to run the model twice over every split. Where
 * pass 1's runner outputs (the probes' features after their reductions, and the logits: what the reducer
 * receives) fit in a memory budget, they are kept, and pass 2 replays those very float32 arrays instead of
 * running the model again: the same numbers, one inference instead of two.
 *
 * The default, 256 MiB: a penultimate-layer analysis of 50,000 samples (512 float32 features plus 10 to
 * 100 logits: 105-123 MB) fits, and so do the reduced default probes of a few thousand images, while the
 * engine (about 300 MB before any accumulator) stays well under 1 GB. First touch of fresh memory costs
 * about 3 s per GB on a small VM, so a budget in the gigabytes would cost more than the inference it saves.
 * Larger splits run pass 2 by inference, as before.
 */
export const DEFAULT_PASS2_CACHE_MB = 256;
export const PASS2_CACHE_ENV = 'COLLAPSE_LENS_PASS2_CACHE_MB';

/** The budget in bytes: COLLAPSE_LENS_PASS2_CACHE_MB (0 turns the cache off), else the default; a bad value is refused. */
export function passTwoCacheBudget(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[PASS2_CACHE_ENV];
  if (raw === undefined || raw.trim() === '') return DEFAULT_PASS2_CACHE_MB * 2 ** 20;
  const mb = Number(raw);
  if (!Number.isFinite(mb) || mb < 0) throw new UserError(`${PASS2_CACHE_ENV}="${raw}": expected a number of MiB, 0 or more (0 turns the pass-2 cache off)`);
  return Math.floor(mb * 2 ** 20);
}

/** What pass 2 of one split did: replayed pass 1's cached outputs, or ran the model again (and why). */
export type PassTwoSource = { kind: 'replayed'; bytes: number } | { kind: 'inferred'; why: string };

/**
 * One split's pass-1 batches, kept in order while they fit. `expectedSamples` is the split's sample count
 * (an upper bound: corrupt images skipped on the way are fewer): after the first batch the projected size
 * is known, and a split that would not fit is never cached at all, so no memory is spent on it.
 */
export class PassTwoCache {
  private readonly batches: ReducerBatch[] = [];
  private bytes = 0;
  private refused: string | null = null;

  constructor(
    private readonly budgetBytes: number,
    private readonly expectedSamples: number,
  ) {
    if (budgetBytes <= 0) this.refused = `the pass-2 cache is off (${PASS2_CACHE_ENV}=0)`;
  }

  /**
   * Keeps a pass-1 batch (its arrays are not copied: `owned` says the runner will not touch them again;
   * where it would, they are copied). Returns whether it was kept: a kept batch's arrays must not be
   * handed over (transferred) to the reducer, which then gets a copy.
   */
  keep(batch: ReducerBatch, owned: boolean): boolean {
    if (this.refused) return false;
    let batchBytes = batch.labels.byteLength + batch.indices.byteLength;
    for (const values of batch.outputs.values()) batchBytes += values.byteLength;
    const projected = this.batches.length === 0 ? (batchBytes / Math.max(1, batch.count)) * this.expectedSamples : this.bytes + batchBytes;
    if (projected > this.budgetBytes) {
      this.drop(`pass 1's outputs (about ${mib(projected)}) exceed the pass-2 cache's ${mib(this.budgetBytes)} (${PASS2_CACHE_ENV})`);
      return false;
    }
    const copy = (a: Float32Array) => (owned ? a : a.slice());
    this.batches.push({ outputs: new Map([...batch.outputs].map(([name, values]) => [name, copy(values)])), labels: batch.labels.slice(), indices: batch.indices.slice(), count: batch.count });
    this.bytes += batchBytes;
    return true;
  }

  /**
   * Hands the cached batches over for pass 2, in pass 1's order, once they are checked to be the whole
   * split: the samples pass 1 counted (`samplesSeen`, corrupt ones excluded), each once. Null, with the
   * reason, where pass 2 must infer instead. The cache lets go of them (the replay transfers them).
   */
  takeForReplay(samplesSeen: number): { batches: ReducerBatch[]; source: PassTwoSource } | { batches: null; source: PassTwoSource } {
    if (this.refused) return { batches: null, source: { kind: 'inferred', why: this.refused } };
    const cached = this.batches.reduce((n, b) => n + b.count, 0);
    const distinct = new Set<number>();
    for (const b of this.batches) for (let i = 0; i < b.count; i++) distinct.add(b.indices[i]!);
    if (cached !== samplesSeen || distinct.size !== cached) {
      // Never a silent replay of the wrong samples: pass 2 runs the model instead, and the result says so.
      this.drop(`the cached batches hold ${cached} samples (${distinct.size} distinct) where pass 1 counted ${samplesSeen}`);
      return { batches: null, source: { kind: 'inferred', why: this.refused! } };
    }
    const batches = this.batches.splice(0);
    return { batches, source: { kind: 'replayed', bytes: this.bytes } };
  }

  private drop(why: string): void {
    this.refused = why;
    this.batches.length = 0;
  }
}

const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
