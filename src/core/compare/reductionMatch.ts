import type { AnalysisResult } from '../result';

/**
 * Layers of one name that two runs reduced differently (cls in one, mean or flatten in the other): their
 * numbers describe different feature vectors, so a change between them is not a change of the network.
 * A missing reduction (older results, a features .npz) reads as flatten.
 */
export function reductionDifferences(results: readonly AnalysisResult[], labels: readonly string[]): string[] {
  const first = new Map(results[0]?.layers.map((l) => [l.name, l.reduction ?? 'flatten']) ?? []);
  const out: string[] = [];
  results.slice(1).forEach((r, i) => {
    for (const l of r.layers) {
      const theirs = l.reduction ?? 'flatten';
      const ours = first.get(l.name);
      if (ours !== undefined && ours !== theirs) {
        out.push(`layer ${l.name} was reduced by ${ours} in ${labels[0]} and by ${theirs} in ${labels[i + 1]}: its numbers describe different features`);
      }
    }
  });
  return out;
}
