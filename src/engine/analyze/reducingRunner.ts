/**
 * Applies each probe's feature reduction (flatten, gap, cls, mean) to the fetched tensors of every batch,
 * before the metrics see them: the accumulators, the memory estimate and the result all work on the
 * reduced width. Tensors without a planned reduction (the logits when not probed) pass unchanged.
 */
import type { ModelRunner } from '../../core/model/types';
import { reduceRows, type PlannedReduction } from '../../core/model/reduction';

export function withReductions(runner: ModelRunner, plan: ReadonlyMap<string, PlannedReduction>): ModelRunner {
  const reducing = [...plan].filter(([, p]) => p.reduction !== 'flatten');
  if (reducing.length === 0) return runner;
  return {
    provider: runner.provider,
    runtime: runner.runtime,
    // A reduced array is a fresh one; a flattened one is the runner's own, as before.
    ...(runner.ownsOutputs !== undefined ? { ownsOutputs: runner.ownsOutputs } : {}),
    async run(input: Float32Array, batchSize: number): Promise<Map<string, Float32Array>> {
      const outputs = await runner.run(input, batchSize);
      for (const [name, planned] of reducing) {
        const values = outputs.get(name);
        if (values) outputs.set(name, reduceRows(values, batchSize, planned));
      }
      return outputs;
    },
    dispose: () => runner.dispose(),
  };
}
