import { availableParallelism } from 'node:os';

/**
 * The intra-op thread count of an onnxruntime CPU session. `requested` > 0 (the CLI's --threads) is kept;
 * 0 means "choose", and the choice is every core the process may use.
 *
 * onnxruntime's own default is not a choice we can stand behind: it counts physical cores, and on a 2-vCPU
 * VM it ran a ResNet-18 on one core of two (18.3 s of CPU in 18.4 s of wall time; with 2 threads the same
 * pass took 9.7 s, issue 16), while it gave the tiny CNN both. The metrics worker reduces while the next
 * batch infers, but the pool does not spin when idle (onnxSession.ts), so sharing the cores with it costs
 * less than leaving one idle: the default-probe ResNet-18 analysis took 58.8 s with 2 threads against 67.2 s
 * with onnxruntime's 1 (issue 16's table). The count used is recorded in the result's runtime.threads.
 */
export function intraOpThreads(requested: number, cores: number = availableParallelism()): number {
  if (requested > 0) return requested;
  return Math.max(1, cores);
}
