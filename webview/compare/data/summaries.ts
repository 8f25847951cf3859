/**
 * The facts a person compares runs (or epochs) by, one line each: accuracy (train / held-out), effective
 * depth, penultimate NC1, NC3, NC4, most collapsed layer. DOM-free.
 */
import type { RunSummary } from '../../../src/core/compare/summary';
import { formatPercent, formatShort, MISSING } from '../../common/format';
import { LOW_RANK_MARK } from '../../../src/core/lowRankNc1';
// Layers by their short names, as the charts and the analysis panel name them.
import { shortLayerName } from '../../../src/core/layerNames';

export interface SummaryColumn {
  id: 'accuracy' | 'effectiveDepth' | 'penultimateNc1' | 'nc3' | 'nc4' | 'mostCollapsed';
  label: string;
  /** The header's tooltip. */
  title: string;
  numeric: boolean;
}

export const SUMMARY_COLUMNS: readonly SummaryColumn[] = [
  { id: 'accuracy', label: 'Accuracy train / test', title: "The network's own top-1 accuracy on each split", numeric: true },
  { id: 'effectiveDepth', label: 'Effective depth', title: 'First probed layer whose training NCC error is at most ε', numeric: false },
  { id: 'penultimateNc1', label: 'Penultimate NC1', title: `Training NC1 at the classifier's input; ${LOW_RANK_MARK} = low-rank (Σ_B rank < K−1: a small value does not mean the classes are separated)`, numeric: true },
  { id: 'nc3', label: 'NC3', title: 'Self-duality: distance between the normalised classifier rows and class means (0 = aligned)', numeric: true },
  { id: 'nc4', label: 'NC4 train / test', title: 'Share of samples where the network and the nearest class centre disagree', numeric: true },
  { id: 'mostCollapsed', label: 'Most collapsed', title: 'Layer with the lowest training NC1 (the logits and layers whose NC1 is low-rank, Σ_B rank < K−1, excluded)', numeric: false },
];

/** The most collapsed layer, or why there is none when every candidate's NC1 is low-rank. */
function mostCollapsedCell(summary: RunSummary): string {
  if (summary.mostCollapsed) return `${shortLayerName(summary.mostCollapsed.layer)} (NC1 ${formatShort(summary.mostCollapsed.nc1)})`;
  return (summary.mostCollapsedLowRankExcluded?.length ?? 0) > 0 ? 'none (every NC1 is low-rank)' : MISSING;
}

const pair = (a: string, b: string): string => `${a} / ${b}`;

/** The cell texts of one run's line, keyed like SUMMARY_COLUMNS. */
export function summaryCells(summary: RunSummary): Record<SummaryColumn['id'], string> {
  return {
    accuracy: pair(formatPercent(summary.trainAccuracy), formatPercent(summary.testAccuracy)),
    effectiveDepth: summary.effectiveDepth === null ? 'not reached' : shortLayerName(summary.effectiveDepth),
    penultimateNc1: formatShort(summary.penultimateNc1) + (summary.penultimateNc1LowRank ? LOW_RANK_MARK : ''),
    nc3: formatShort(summary.nc3),
    nc4: pair(formatPercent(summary.nc4Train, 2), formatPercent(summary.nc4Test, 2)),
    mostCollapsed: mostCollapsedCell(summary),
  };
}

/** The same facts as one sentence, e.g. for a screen reader or a copied line. */
export function summaryLine(summary: RunSummary): string {
  const c = summaryCells(summary);
  return `${summary.label}: accuracy ${c.accuracy}, effective depth ${c.effectiveDepth}, penultimate NC1 ${c.penultimateNc1}, NC3 ${c.nc3}, NC4 ${c.nc4}`;
}
