import type { AnalysisResult, SplitLayerMetrics } from '../../core/result';
import { imageReadCounts } from '../../core/imageReadReport';

const fmt = (v: number | null | undefined, digits = 4): string => (v === null || v === undefined ? '—' : Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2) : v.toFixed(digits));

/** The per-layer table a person reads in a terminal: depth, layer, width, NC1, NCC accuracy per split. */
export function formatLayerTable(result: AnalysisResult): string {
  const hasTest = result.splits.test !== undefined;
  const head = ['#', 'layer', 'op', 'dim', 'NC1 train', 'NCC train', 'CDNV train', 'ETF dist', ...(hasTest ? ['NC1 test', 'NCC test'] : [])];
  const rows = result.layers.map((l, i) => {
    const tr: SplitLayerMetrics = l.metrics.train;
    const te = l.metrics.test;
    return [String(i), l.name, l.op, String(l.dim), fmt(tr.nc1), fmt(tr.nccAccuracy), fmt(tr.cdnv), fmt(tr.etfDistance), ...(hasTest ? [fmt(te?.nc1), fmt(te?.nccAccuracy)] : [])];
  });
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => cells.map((s, c) => (c <= 2 ? s.padEnd(widths[c]) : s.padStart(widths[c]))).join('  ');
  const out = [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
  const acc = (a: number | null | undefined) => (a === null || a === undefined ? '—' : `${(a * 100).toFixed(2)}%`);
  out.push('');
  out.push(`classes: ${result.classes.count}   provider: ${result.provider}   train: ${result.splits.train.samples} samples, accuracy ${acc(result.splits.train.accuracy)}` + (result.splits.test ? `   test: ${result.splits.test.samples} samples, accuracy ${acc(result.splits.test.accuracy)}` : ''));
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
  for (const w of result.warnings ?? []) out.push(`warning: ${w}`);
  return out.join('\n');
}
