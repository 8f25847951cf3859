/**
 * The reduction worker: a thread of the engine process that runs the metric accumulators (reducer.ts)
 * while the main thread decodes the next batch and runs the model on it. A failure (a NaN feature, a
 * label out of range) is sent back as the reply to the request that hit it; the analysis stops there.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SplitReducer } from './reducer';
import type { ReduceReply, ReduceRequest, ReduceWorkerData } from './reduceMessages';

function handle(reducer: SplitReducer, request: ReduceRequest): ReduceReply {
  switch (request.kind) {
    case 'begin-pass-one':
      reducer.beginPassOne(request.split);
      return { kind: 'done' };
    case 'add':
      reducer.add(request);
      return { kind: 'done' };
    case 'end-pass-one':
      return { kind: 'pass-one', summary: reducer.endPassOne() };
    case 'end-pass-two':
      return { kind: 'pass-two', summary: reducer.endPassTwo() };
  }
}

const port = parentPort;
const data = workerData as ReduceWorkerData | null;
if (port && data?.collapseLensReducer) {
  const reducer = new SplitReducer(data.collapseLensReducer);
  // After a failure the reducer's totals are partial: every later request fails with the same message.
  let failure: ReduceReply | null = null;
  port.on('message', (request: ReduceRequest) => {
    if (failure === null) {
      try {
        port.postMessage(handle(reducer, request));
        return;
      } catch (err) {
        failure = { kind: 'failed', message: err instanceof Error ? err.message : String(err), ...(err instanceof Error && err.stack ? { stack: err.stack } : {}) };
      }
    }
    port.postMessage(failure);
  });
  const ready: ReduceReply = { kind: 'ready' };
  port.postMessage(ready);
}
