import type { AnalysisResult, SplitLayerMetrics } from '../../core/result';
import { describeLowRankEntries, LOW_RANK_MARK, lowRankNc1Entries, nc1RankDeficient } from '../../core/lowRankNc1';
import { describePreprocessing } from '../../core/preprocessingLine';
import { imageReadCounts } from '../../core/imageReadReport';

/** A metric as the tables print it: 4 decimals, exponent notation for the very large or very small, — for none. */
export const fmt = (v: number | null | undefined, digits = 4): string => (v === null || v === undefined ? '—' : Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2) : v.toFixed(digits));

/**
 * An NC1 cell: marked when it is low-rank (see the footnote under the table). While any cell is marked the
 * others get a space in the mark's place, so the digits stay aligned.
 */
function nc1Cell(m: SplitLayerMetrics | undefined, classCount: number, anyMarked: boolean): string {
  return fmt(m?.nc1) + (nc1RankDeficient(m, classCount) ? LOW_RANK_MARK : anyMarked ? ' ' : '');
}

/** The footnote that explains the marked NC1 cells, or null when none is marked. */
function lowRankFootnote(result: AnalysisResult): string | null {
  const K = result.classes.count;
  const entries = lowRankNc1Entries(result.layers, K);
  if (entries.length === 0) return null;
  return (
    `${LOW_RANK_MARK} NC1 over rank r < K−1 = ${K - 1} of Σ_B (the layer is narrower than K−1 or class means coincide): it measures the spread ` +
    `inside an r-dimensional subspace only, so a small value does not mean the classes are separated. Marked: ${describeLowRankEntries(entries)}.`
  );
}

/**
 * The per-layer table a person reads in a terminal: the preprocessing that ran (and where each part came
 * from) above it; depth, layer, width, NC1, NCC accuracy per split.
 */
export function formatLayerTable(result: AnalysisResult): string {
  const hasTest = result.splits.test !== undefined;
  // The reduction shows where one layer is not a plain flatten, so a 64-wide ViT "Add" is read as its class token.
  const reduced = result.layers.some((l) => l.reduction !== undefined && l.reduction !== 'flatten');
  const head = ['#', 'layer', 'op', ...(reduced ? ['reduce'] : []), 'dim', 'NC1 train', 'NCC train', 'CDNV train', 'ETF dist', ...(hasTest ? ['NC1 test', 'NCC test'] : [])];
  const K = result.classes.count;
  const anyMarked = lowRankNc1Entries(result.layers, K).length > 0;
  const rows = result.layers.map((l, i) => {
    const tr: SplitLayerMetrics = l.metrics.train;
    const te = l.metrics.test;
    return [String(i), l.name, l.op, ...(reduced ? [l.reduction ?? 'flatten'] : []), String(l.dim), nc1Cell(tr, K, anyMarked), fmt(tr.nccAccuracy), fmt(tr.cdnv), fmt(tr.etfDistance), ...(hasTest ? [nc1Cell(te, K, anyMarked), fmt(te?.nccAccuracy)] : [])];
  });
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const leftAligned = reduced ? 3 : 2;
  const line = (cells: string[]) => cells.map((s, c) => (c <= leftAligned ? s.padEnd(widths[c]) : s.padStart(widths[c]))).join('  ');
  const preprocessing = describePreprocessing(result.dataset.preprocessing);
  const out = [...(preprocessing ? [preprocessing] : []), line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
  const footnote = lowRankFootnote(result);
  if (footnote) out.push(footnote);
  const acc = (a: number | null | undefined) => (a === null || a === undefined ? '—' : `${(a * 100).toFixed(2)}%`);
  out.push('');
  out.push(`classes: ${result.classes.count}   provider: ${result.provider}${result.runtime?.metricsKernel ? `   metrics: ${result.runtime.metricsKernel}` : ''}${result.runtime?.reductionPath ? `   reductions: ${result.runtime.reductionPath}` : ''}${result.runtime?.imageDecoder ? `   images: ${result.runtime.imageDecoder}` : ''}   train: ${result.splits.train.samples} samples, accuracy ${acc(result.splits.train.accuracy)}` + (result.splits.test ? `   test: ${result.splits.test.samples} samples, accuracy ${acc(result.splits.test.accuracy)}` : ''));
  // What reading the images changed, as counts; the warnings below name example files.
  for (const split of ['train', 'test'] as const) {
    const counts = imageReadCounts(result.dataset[split]);
    if (counts) out.push(`${split} images: ${counts}`);
  }
  if (result.classifier) {
    const c = result.classifier;
    out.push(`classifier input: ${c.input}   NC3 ${fmt(c.nc3)}   NC4 train ${fmt(c.nc4.train)}${c.nc4.test !== undefined ? `   NC4 test ${fmt(c.nc4.test)}` : ''}   W ETF distance ${fmt(c.weights.etfDistance)}`);
  } else if (result.classifierUnavailable) {
    out.push(`classifier: not found (${result.classifierUnavailable})`);
  }
  out.push(`effective depth (train NCC error <= ${result.effectiveDepth.epsilon}): ${result.effectiveDepth.layer ?? 'not reached'}`);
  out.push(`time: ${result.timing.totalSeconds.toFixed(2)} s`);
  if (result.runtime?.metricsKernelNote) out.push(`note: ${result.runtime.metricsKernelNote}`);
  if (result.runtime?.imageDecoder) out.push(`image decoder: ${result.runtime.imageDecoder}${result.runtime.imageDecoderNote ? ` (${result.runtime.imageDecoderNote})` : ''}`);
  if (result.runtime?.reductionPathNote) out.push(`note: ${result.runtime.reductionPathNote}`);
  for (const w of result.warnings ?? []) out.push(`warning: ${w}`);
  return out.join('\n');
}

/**
 * Without the table (the JSON goes to stdout), stderr still says which preprocessing ran and every
 * warning: a run at chance or on a held-out split that is training data must not pass unseen. --quiet
 * drops the preprocessing line, never a warning.
 */
export function runNotes(result: AnalysisResult, quiet: boolean): string {
  const preprocessing = quiet ? null : describePreprocessing(result.dataset.preprocessing);
  const lines = [...(preprocessing ? [preprocessing] : []), ...(result.warnings ?? []).map((w) => `warning: ${w}`)];
  return lines.map((l) => `${l}\n`).join('');
}
