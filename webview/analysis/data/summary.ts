/**
 * The summary a person can act on, as plain facts: accuracy, effective depth, the most collapsed layer,
 * how the run went; plus the conventions and warnings the result carries. DOM-free.
 */
import type { AnalysisResult } from '../../../src/core/result';
import { imageReadCounts } from '../../../src/core/imageReadReport';
import { formatCount, formatDuration, formatPercent, formatShort } from '../../common/format';
import { layerDepth, resultSplits } from './overview';

export interface SummaryFact {
  id: 'accuracy' | 'effectiveDepth' | 'mostCollapsed' | 'run' | 'preprocessing' | 'images';
  label: string;
  /** The sentence, with the layer's name (when there is one) left out: the UI shows it as a link. */
  text: string;
  /** A layer the fact points at, shown as a link that selects it. */
  layer?: { name: string; depth: number };
  /** Text after the layer link. */
  after?: string;
}

import { findMostCollapsed } from '../../../src/core/mostCollapsed';
import { describePreprocessing } from '../../../src/core/preprocessingLine';
export { mostCollapsedLayer, type CollapsedLayer } from '../../../src/core/mostCollapsed';

function accuracyFact(result: AnalysisResult): SummaryFact {
  const parts = resultSplits(result).map((split) => {
    const acc = result.splits[split]?.accuracy;
    const name = split === 'train' ? 'train' : 'held-out test';
    return `${acc === null || acc === undefined ? 'n/a' : formatPercent(acc)} ${name}`;
  });
  const none = resultSplits(result).every((s) => typeof result.splits[s]?.accuracy !== 'number');
  return {
    id: 'accuracy',
    label: 'Network accuracy',
    text: none ? 'not available (no logits: features-only input or no classifier found)' : parts.join(' · '),
  };
}

function effectiveDepthFact(result: AnalysisResult, complete: boolean): SummaryFact {
  const { epsilon, layer } = result.effectiveDepth;
  const label = `Effective depth (ε = ${epsilon})`;
  const index = layer === null ? -1 : result.layers.findIndex((l) => l.name === layer);
  if (layer !== null && index >= 0) {
    return {
      id: 'effectiveDepth',
      label,
      text: '',
      layer: { name: layer, depth: layerDepth(result.layers[index]!, index) },
      after: `: the first probed layer whose train NCC error is ≤ ${formatPercent(epsilon, epsilon < 0.01 ? 2 : 1)}`,
    };
  }
  if (layer !== null) return { id: 'effectiveDepth', label, text: layer };
  let bestAcc: number | null = null;
  for (const l of result.layers) {
    const acc = l.metrics.train.nccAccuracy;
    if (typeof acc === 'number' && (bestAcc === null || acc > bestAcc)) bestAcc = acc;
  }
  const best = bestAcc === null ? '' : ` (best train NCC accuracy ${formatPercent(bestAcc)})`;
  return {
    id: 'effectiveDepth',
    label,
    text: `${complete ? 'not reached' : 'not reached yet'}: no probed layer has train NCC error ≤ ${formatPercent(epsilon, epsilon < 0.01 ? 2 : 1)}${best}`,
  };
}

/** What was left out of the recommendation and why, as a clause; empty when nothing was. */
function lowRankClause(lowRank: readonly string[], classCount: number): string {
  if (lowRank.length === 0) return '';
  const names = lowRank.length <= 3 ? `: ${lowRank.join(', ')}` : '';
  return `${lowRank.length} layer(s) with a low-rank NC1 (Σ_B rank < K−1 = ${classCount - 1}, so a small NC1 there does not mean separated classes) left out${names}`;
}

function mostCollapsedFact(result: AnalysisResult, complete: boolean): SummaryFact {
  const label = complete ? 'Most collapsed layer' : 'Most collapsed layer so far';
  const { found, lowRank } = findMostCollapsed(result);
  const leftOut = lowRankClause(lowRank, result.classes.count);
  if (found === null && lowRank.length > 0) {
    return {
      id: 'mostCollapsed',
      label,
      text: `none recommended: the train NC1 of every layer is low-rank (Σ_B rank < K−1 = ${result.classes.count - 1}), and a small NC1 there does not mean the classes are separated`,
    };
  }
  if (found === null) return { id: 'mostCollapsed', label, text: 'no layer has a train NC1 yet' };
  return {
    id: 'mostCollapsed',
    label,
    text: '',
    layer: { name: found.layer.name, depth: layerDepth(found.layer, found.index) },
    after: ` (train NC1 ${formatShort(found.nc1)}): the best layer to cut at for a linear probe or to fine-tune from (Li et al. 2022)` + (leftOut ? `; ${leftOut}` : ''),
  };
}

/** The slower metrics fallback, said where the run's speed is (the WebAssembly kernels go unmentioned). */
function fallbackNote(result: AnalysisResult): string {
  return result.runtime?.metricsKernel === 'javascript' ? ` · metrics on the JavaScript fallback (slower, same numbers)` : '';
}

/** Where the per-batch sums and products ran, when not in JavaScript (the default goes unmentioned). */
function reductionPathNote(result: AnalysisResult): string {
  return result.runtime?.reductionPath === 'in-graph-float64' ? ' · reductions inside the ONNX graph (float64)' : '';
}

function runFact(result: AnalysisResult): SummaryFact {
  const runtime = result.runtime
    ? ` (${result.runtime.name} ${result.runtime.version}${result.runtime.threads ? `, ${result.runtime.threads} threads` : ''})`
    : '';
  const samples = resultSplits(result)
    .map((s) => {
      const info = result.splits[s];
      return info ? `${formatCount(info.samples)} ${s}` : null;
    })
    .filter((s): s is string => s !== null)
    .join(' / ');
  return {
    id: 'run',
    label: 'Run',
    text: `${result.provider}${runtime} in ${formatDuration(result.timing.totalSeconds)} · ${samples} samples · ${result.classes.count} classes · ${result.layers.length} layers${fallbackNote(result)}${reductionPathNote(result)}`,
  };
}

/** The preprocessing that ran and where each part came from (the CLI prints the same line). */
function preprocessingFact(result: AnalysisResult): SummaryFact | null {
  const line = describePreprocessing(result.dataset.preprocessing);
  return line ? { id: 'preprocessing', label: 'Preprocessing', text: line.replace(/^preprocessing: /, '') } : null;
}

/**
 * What reading the images changed, per split (skipped, resized, converted): only when something did.
 * The warnings below the facts name example files.
 */
function imagesFact(result: AnalysisResult): SummaryFact | null {
  const parts = resultSplits(result).flatMap((s) => {
    const counts = imageReadCounts(result.dataset[s]);
    return counts ? [`${s}: ${counts}`] : [];
  });
  return parts.length > 0 ? { id: 'images', label: 'Images read', text: parts.join('; ') } : null;
}

export function summaryFacts(result: AnalysisResult, complete: boolean): SummaryFact[] {
  const optional = [preprocessingFact(result), imagesFact(result)].filter((f): f is SummaryFact => f !== null);
  return [accuracyFact(result), effectiveDepthFact(result, complete), mostCollapsedFact(result, complete), runFact(result), ...optional];
}

/**
 * Everything a reader should not miss: the result's warnings (the engine writes one per kind of skipped,
 * resized or converted images, with example files) and a missing classifier.
 */
export function resultWarnings(result: AnalysisResult): string[] {
  const out = [...(result.warnings ?? [])];
  if (result.classifier === null && result.classifierUnavailable) out.push(`No NC3/NC4: ${result.classifierUnavailable}`);
  return out;
}
