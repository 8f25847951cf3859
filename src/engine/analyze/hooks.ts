import type { AnalysisResult } from '../../core/result';
import type { ProgressSink } from '../progress';
import { CancelledError } from '../errors';

export interface AnalysisHooks {
  onProgress: ProgressSink;
  /** Called with the metrics finished so far (the panel fills in; a later failure keeps them). */
  onPartial?: (result: AnalysisResult) => void;
  signal?: AbortSignal;
}

export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError();
}
