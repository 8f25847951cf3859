import type { CompareResult } from '../../core/compare';
import { nc1ChangeLowRank } from '../../core/compare/align';
import { LOW_RANK_MARK } from '../../core/lowRankNc1';

const fmt = (v: number | null) => (v === null ? '—' : (v >= 0 ? '+' : '') + v.toFixed(3));

/** A low-rank NC1 (Σ_B rank < K−1) is marked; the footnote under the table says why. */
const mark = (lowRank: boolean | undefined): string => (lowRank ? LOW_RANK_MARK : ' ');

/** The comparison a person reads in a terminal: the largest changes first, then one line per run. */
export function formatCompareTable(c: CompareResult): string {
  const lines = [`${c.runs.map((r) => r.label).join(' vs ')}: ${c.alignmentNote}`, ''];
  const rows = new Map(c.rows.map((r) => [r.key, r]));
  let marked = false;
  lines.push(`${'layer'.padEnd(40)}  Δlog10 NC1   ΔNCC acc  Δlog10 CDNV  ΔETF dist`);
  for (const r of c.largestChanges) {
    const row = rows.get(r.key);
    const lowRank = row !== undefined && nc1ChangeLowRank(row);
    marked ||= lowRank;
    lines.push(`${r.key.slice(0, 40).padEnd(40)}  ${fmt(r.change.nc1).padStart(10)}${mark(lowRank)}  ${fmt(r.change.nccAccuracy).padStart(8)}  ${fmt(r.change.cdnv).padStart(11)}  ${fmt(r.change.etfDistance).padStart(9)}`);
  }
  lines.push('');
  for (const r of c.runs) {
    const s = r.summary;
    marked ||= s.penultimateNc1LowRank === true;
    const penultimate = `${s.penultimateNc1?.toPrecision(3) ?? '—'}${s.penultimateNc1LowRank ? LOW_RANK_MARK : ''}`;
    lines.push(`${r.label}: accuracy ${s.trainAccuracy ?? '—'} / ${s.testAccuracy ?? '—'}, effective depth ${s.effectiveDepth ?? 'not reached'}, penultimate NC1 ${penultimate}, NC3 ${s.nc3?.toPrecision(3) ?? '—'}, NC4 ${s.nc4Train?.toPrecision(3) ?? '—'}`);
  }
  if (marked) {
    lines.push(
      `${LOW_RANK_MARK} involves an NC1 over a low-rank Σ_B (rank < K−1: the layer is narrower than K−1 or class means coincide); such an NC1 measures the spread inside that subspace only, so it does not show collapse`,
    );
  }
  for (const w of c.warnings) lines.push(`warning: ${w}`);
  return lines.join('\n');
}
