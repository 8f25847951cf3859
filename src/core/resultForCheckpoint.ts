import type { AnalysisResult } from './result';

/**
 * A stored result read back for `checkpointPath`. The run store keys analyses by the checkpoint's content,
 * so a copied or renamed checkpoint finds the analysis of the file first analysed: the same numbers, but
 * whatever names the checkpoint (a trajectory's point, a comparison's run) must name the file asked about.
 */
export function resultForCheckpoint(result: AnalysisResult, checkpointPath: string): AnalysisResult {
  return result.checkpoint.path === checkpointPath ? result : { ...result, checkpoint: { ...result.checkpoint, path: checkpointPath } };
}
