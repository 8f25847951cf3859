import { totalmem } from 'node:os';
import { UserError } from '../errors';
import { MAX_BATCHES_IN_FLIGHT } from './reduceMessages';
import type { ReducerSetup } from './reducer';
import { isSpatialMap, type PlannedReduction } from '../../core/model/reduction';
import { GAP_CHOICE_LABEL } from '../../core/model/gapChoice';

/**
 * What an analysis will hold in memory, estimated before it starts. Memory does not grow with the
 * number of samples, but it does grow with classes x features: every probed layer keeps its K class
 * means in float64, and pass 2 works against copies of them (the centred means, the reference means,
 * the K x D product rows; the held-out split keeps the training means beside its own). A wide layer
 * with many classes (a 1.6-million-value activation and 1,000 classes: 13 GB per copy) would otherwise
 * run for minutes and then be killed by the system, with nothing to tell the user why.
 *
 * The copy counts were measured (peak RSS, K = 100, D = 200,704): ~3.5 copies of K x D x 8 bytes with
 * a training split alone, ~6.7 with a held-out split as well. The estimate rounds up.
 */

/**
 * An analysis refused for its size. It names the checkpoint, but the fault is the settings (layers,
 * classes, batch): a watch must stop on it rather than flag each checkpoint in turn as corrupt.
 */
export class MemoryRefusal extends UserError {}

export const MEAN_COPIES_TRAIN_ONLY = 4;
export const MEAN_COPIES_WITH_TEST = 7;
/** Batches of fetched outputs alive at once: one being reduced and those queued for the metrics worker. */
export const BATCHES_IN_FLIGHT = 1 + MAX_BATCHES_IN_FLIGHT;
/** The engine before any accumulator: Node, onnxruntime or TF.js, the model, the dataset reader. */
export const BASELINE_BYTES = 300 * 2 ** 20;
/** The share of the machine's memory an analysis may plan to use; the rest is the system's and the editor's. */
export const USABLE_SHARE = 0.8;

/**
 * A probe's name and values per sample, as the reducer's setup lists them; `fetchedDim`, where a
 * reduction (gap, cls, mean) shrinks it, is the whole tensor the runner returns first, one batch at a time.
 */
export type ProbeSize = ReducerSetup['layers'][number] & { fetchedDim?: number };

export interface MemoryEstimate {
  bytes: number;
  /** Each probe's share (its class means and their copies, its outputs in flight), largest first. */
  perLayer: { name: string; dim: number; bytes: number }[];
  /** The part that is batches of outputs in flight (what a smaller --batch-size shrinks). */
  batchBytes: number;
}

/**
 * Samples in one batch at most: the batch size, but never more than the largest split has (after the
 * per-class subsample), since the last (or only) batch of a split is cut to what is left.
 */
export function batchRowsInFlight(batchSize: number, splitSamples: readonly number[]): number {
  return Math.min(batchSize, Math.max(0, ...splitSamples));
}

/** `batchRows`: samples per batch as batchRowsInFlight counts them (0 where rows are read a layer at a time). */
export function estimateAnalysisMemory(probes: readonly ProbeSize[], numClasses: number, withTest: boolean, batchRows: number): MemoryEstimate {
  const copies = withTest ? MEAN_COPIES_WITH_TEST : MEAN_COPIES_TRAIN_ONLY;
  // Reduced batches wait in the worker's queue; the whole tensor exists for the one batch being reduced.
  const inFlight = (p: ProbeSize): number => BATCHES_IN_FLIGHT * batchRows * p.dim * 4 + (p.fetchedDim !== undefined && p.fetchedDim > p.dim ? batchRows * p.fetchedDim * 4 : 0);
  const perLayer = probes
    .map((p) => ({ name: p.name, dim: p.dim, bytes: copies * numClasses * p.dim * 8 + inFlight(p) }))
    .sort((a, b) => b.bytes - a.bytes);
  const batchBytes = probes.reduce((sum, p) => sum + inFlight(p), 0);
  return { bytes: BASELINE_BYTES + perLayer.reduce((sum, l) => sum + l.bytes, 0), perLayer, batchBytes };
}

/**
 * The memory this process can have: the machine's, or less where a container (cgroup) limits it, as
 * ML jobs often run; os.totalmem() reports the host's memory there.
 */
export function availableMemoryBytes(): number {
  return memoryLimit(totalmem(), typeof process.constrainedMemory === 'function' ? process.constrainedMemory() : undefined);
}

/** The machine's memory, or a cgroup's limit below it; unlimited cgroups report 2^64 - 1, no cgroup 0. */
export function memoryLimit(machineBytes: number, cgroupLimit: number | undefined): number {
  return cgroupLimit !== undefined && cgroupLimit > 0 && cgroupLimit < machineBytes ? cgroupLimit : machineBytes;
}

/**
 * What the machine's usable memory leaves beside an estimate that fits: the most the pass-2 cache
 * (passTwoCache.ts) may take, so that keeping pass 1's outputs never turns a run that fits into one that does not.
 */
export function memoryLeftFor(estimate: MemoryEstimate, machineBytes = availableMemoryBytes()): number {
  return Math.max(0, Math.floor(machineBytes * USABLE_SHARE - estimate.bytes));
}

const gib = (bytes: number): string => `${(bytes / 2 ** 30).toFixed(bytes < 10 * 2 ** 30 ? 1 : 0)} GiB`;

/** Flattened C x H x W maps (H x W > 1): what `gap` would shrink by a factor of H x W, named in a memory refusal. */
export function gapCandidates(plan: ReadonlyMap<string, PlannedReduction>): string[] {
  return [...plan].filter(([, p]) => p.reduction === 'flatten' && isSpatialMap(p.tensorShape)).map(([name]) => name);
}

/**
 * Refuses, before anything runs, an analysis that cannot fit in this machine's memory, naming the
 * layers that take it and what to change.
 */
export function checkMemoryFits(checkpoint: string, estimate: MemoryEstimate, numClasses: number, machineBytes = availableMemoryBytes(), gapOffers: readonly string[] = []): void {
  const usable = machineBytes * USABLE_SHARE;
  if (estimate.bytes <= usable) return;
  // The layers that make up most of it (at most three): the ones worth dropping.
  const heaviest: string[] = [];
  const heavyNames: string[] = [];
  let covered = BASELINE_BYTES;
  for (const l of estimate.perLayer) {
    if (heaviest.length === 3 || covered >= 0.9 * estimate.bytes) break;
    heaviest.push(`${l.name} (${l.dim.toLocaleString('en-US')} values: ${gib(l.bytes)})`);
    heavyNames.push(l.name);
    covered += l.bytes;
  }
  // A conv map among the heaviest: its channel means (gap) are the literature's usual smaller feature.
  const gapFor = heavyNames.filter((n) => gapOffers.includes(n));
  const gapHint = gapFor.length > 0
    ? `Or reduce the conv map${gapFor.length > 1 ? 's' : ''} to ${gapFor.length > 1 ? 'their' : 'its'} channel means with gap (spatial mean of C x H x W: --reduce gap for every conv map, ` +
      `or --reduce "${gapFor[0]}=gap"; in the editor, "${GAP_CHOICE_LABEL}" in the layers step, or the "collapseLens.reduction" setting). `
    : '';
  throw new MemoryRefusal(
    `${checkpoint}: this analysis would need about ${gib(estimate.bytes)} of memory, more than the ${gib(usable)} it may use ` +
      `(${Math.round(USABLE_SHARE * 100)}% of the ${gib(machineBytes)} this machine, or its container, allows). Each probed layer keeps its ${numClasses} class means in float64, with copies for pass 2; ` +
      `most of it for ${heaviest.join(', ')}. ${gapHint}Probe fewer or narrower layers (\`collapse-lens layers\` lists their sizes; choose with --layers, ` +
      `or "Choose layers…" in the editor), or analyse fewer classes` +
      (estimate.batchBytes >= 0.25 * estimate.bytes ? `, or use a smaller --batch-size (${BATCHES_IN_FLIGHT} batches of outputs in flight take ${gib(estimate.batchBytes)} of it).` : '.'),
  );
}
