/**
 * What the analysis and its reduction worker say to each other (reducerClient.ts, reduceWorker.ts).
 * After its first message ('ready'), every request gets exactly one reply, in order, so the client
 * matches replies to requests by queue.
 */
import type { PassOneTotals } from '../../core/metrics';
import type { PassOneSummary, PassTwoSummary, PassTwoStart, ReducerBatch, ReducerSetup, ShardPassTwoTotals, SplitName } from './reducer';

/** Batches queued in the worker beyond the one it reduces: enough to keep it busy, few enough to bound memory. */
export const MAX_BATCHES_IN_FLIGHT = 2;

export type ReduceRequest =
  /** A new analysis: fresh accumulators for these probes (a worker serves one analysis after another). */
  | { kind: 'configure'; setup: ReducerSetup }
  | { kind: 'begin-pass-one'; split: SplitName }
  | ({ kind: 'add' } & ReducerBatch)
  | { kind: 'end-pass-one' }
  | { kind: 'end-pass-two' }
  /** A shard of the data (analyze --shard): its raw totals, and pass 2 on totals merged from every shard. */
  | { kind: 'end-pass-one-totals' }
  | { kind: 'begin-pass-two'; split: SplitName; own: PassOneTotals[]; train: PassOneTotals[] }
  | { kind: 'end-pass-two-totals' };

export type ReduceReply =
  | { kind: 'done' }
  /** Sent once, unasked, when the worker has loaded and can take requests. */
  | { kind: 'ready' }
  /**
   * Sent unasked while an 'add' is reduced, before each layer's turn, so progress can name the layer
   * (not a reply: the 'add' still gets its own 'done').
   */
  | { kind: 'layer'; layer: string }
  | { kind: 'pass-one'; summary: PassOneSummary }
  | { kind: 'pass-two'; summary: PassTwoSummary }
  | { kind: 'pass-one-totals'; totals: Map<string, PassOneTotals> }
  | { kind: 'pass-two-start'; start: PassTwoStart }
  | { kind: 'pass-two-totals'; totals: ShardPassTwoTotals }
  | { kind: 'failed'; message: string; stack?: string };

/** workerData of a reduction worker: marks the thread as one (the script does nothing elsewhere). */
export interface ReduceWorkerData {
  collapseLensReducer: true;
}
