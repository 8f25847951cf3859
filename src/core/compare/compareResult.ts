import type { AnalysisResult } from '../result';
import { alignRuns, type AlignedRow, type Alignment } from './align';
import { datasetDifferences } from './datasetMatch';
import { reductionDifferences } from './reductionMatch';
import { summarizeRun, type RunSummary } from './summary';

export const COMPARE_SCHEMA = 'collapse-lens/compare@1' as const;

export interface CompareResult {
  schema: typeof COMPARE_SCHEMA;
  createdAt: string;
  alignment: Alignment;
  /** Said on every chart: how layers of different runs were put side by side. */
  alignmentNote: string;
  runs: { label: string; checkpoint: string; sha256: string; provider: string; summary: RunSummary }[];
  /** Aligned per-layer rows in depth order. */
  rows: AlignedRow[];
  /** The same rows, largest change (last run against the first) first. */
  largestChanges: { key: string; score: number; change: AlignedRow['change'] }[];
  /** Dataset differences the user chose to accept, and layers the runs reduced differently; empty when all match. */
  warnings: string[];
}

export class DatasetMismatchError extends Error {
  constructor(readonly differences: string[]) {
    super(`the runs were not made on the same data: ${differences.join('; ')} (compare anyway with --allow-mismatch)`);
    this.name = 'DatasetMismatchError';
  }
}

/** Aligns two or more analyses; refuses runs on different data unless the caller accepts it. */
export function compareResults(results: AnalysisResult[], labels: string[], allowMismatch: boolean): CompareResult {
  const differences = results.slice(1).flatMap((r, i) => datasetDifferences(results[0], r, labels[0], labels[i + 1]));
  if (differences.length > 0 && !allowMismatch) throw new DatasetMismatchError(differences);
  const { alignment, rows } = alignRuns(results);
  return {
    schema: COMPARE_SCHEMA,
    createdAt: new Date().toISOString(),
    alignment,
    alignmentNote: alignment === 'name' ? 'layers aligned by name (same architecture)' : 'layers aligned by relative depth (0 = first probe, 1 = last): the architectures differ',
    runs: results.map((r, i) => ({ label: labels[i], checkpoint: r.checkpoint.path, sha256: r.checkpoint.sha256, provider: r.provider, summary: summarizeRun(r, labels[i]) })),
    rows,
    largestChanges: [...rows].sort((a, b) => b.score - a.score).map((r) => ({ key: r.key, score: r.score, change: r.change })),
    warnings: [...differences.map((d) => `compared on different data: ${d}`), ...reductionDifferences(results, labels)],
  };
}
