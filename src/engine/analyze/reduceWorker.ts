/**
 * The reduction worker: a thread of the engine process that runs the metric accumulators (reducer.ts)
 * while the main thread decodes the next batch and runs the model on it. A failure (a NaN feature, a
 * label out of range) is sent back as the reply to the request that hit it; the analysis stops there.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SplitReducer } from './reducer';
import { messageOf } from '../errors';
import type { ReduceReply, ReduceRequest, ReduceWorkerData } from './reduceMessages';

const port = parentPort;

/** The analysis being served; null until the first 'configure'. */
let reducer: SplitReducer | null = null;

function handle(request: ReduceRequest): ReduceReply {
  if (request.kind === 'configure') {
    reducer = new SplitReducer(request.setup);
    return { kind: 'done' };
  }
  if (reducer === null) throw new Error(`the metrics worker got "${request.kind}" before any analysis was configured`);
  switch (request.kind) {
    case 'begin-pass-one':
      reducer.beginPassOne(request.split);
      return { kind: 'done' };
    case 'add':
      reducer.add(request, (layer) => port?.postMessage({ kind: 'layer', layer } satisfies ReduceReply));
      return { kind: 'done' };
    case 'end-pass-one':
      return { kind: 'pass-one', summary: reducer.endPassOne() };
    case 'end-pass-two':
      return { kind: 'pass-two', summary: reducer.endPassTwo() };
    case 'end-pass-one-totals':
      return { kind: 'pass-one-totals', totals: reducer.endPassOneTotals() };
    case 'begin-pass-two':
      return { kind: 'pass-two-start', start: reducer.beginPassTwo(request.split, request.own, request.train) };
    case 'end-pass-two-totals':
      return { kind: 'pass-two-totals', totals: reducer.endPassTwoTotals() };
  }
}

const data = workerData as ReduceWorkerData | null;
if (port && data?.collapseLensReducer === true) {
  // After a failure the totals are partial: every later request of that analysis fails with the same
  // message, until the next 'configure' starts another.
  let failure: ReduceReply | null = null;
  port.on('message', (request: ReduceRequest) => {
    if (request.kind === 'configure') failure = null;
    if (failure === null) {
      try {
        port.postMessage(handle(request));
        return;
      } catch (err) {
        failure = { kind: 'failed', message: messageOf(err), ...(err instanceof Error && err.stack ? { stack: err.stack } : {}) };
      }
    }
    port.postMessage(failure);
  });
  const ready: ReduceReply = { kind: 'ready' };
  port.postMessage(ready);
}
