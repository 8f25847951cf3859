import type { AnalysisResult } from '../result';

/**
 * Runs are comparable only on the same data with the same preprocessing: otherwise a difference in
 * NC1 may come from the data, not the network. Returns the differences found, in words; empty = same.
 */
export function datasetDifferences(a: AnalysisResult, b: AnalysisResult, labelA: string, labelB: string): string[] {
  const out: string[] = [];
  const same = (x: unknown, y: unknown) => JSON.stringify(x ?? null) === JSON.stringify(y ?? null);
  const describe = (r: AnalysisResult, split: 'train' | 'test') => {
    const d = r.dataset[split];
    return d ? d.fingerprint ?? `${d.format}:${d.source}` : 'none';
  };
  for (const split of ['train', 'test'] as const) {
    if (describe(a, split) !== describe(b, split))
      out.push(`${split} data differ: ${labelA} used ${a.dataset[split]?.source ?? 'none'}, ${labelB} used ${b.dataset[split]?.source ?? 'none'}`);
    else if ((a.splits[split]?.samples ?? 0) !== (b.splits[split]?.samples ?? 0))
      out.push(`${split} sample counts differ: ${a.splits[split]?.samples ?? 0} vs ${b.splits[split]?.samples ?? 0}`);
  }
  if (a.classes.count !== b.classes.count) out.push(`class counts differ: ${a.classes.count} vs ${b.classes.count}`);
  // Where a value came from (origin, the collapse-lens.json path) does not change the input the model saw.
  const pa = { ...a.dataset.preprocessing, origin: undefined, configFile: undefined };
  const pb = { ...b.dataset.preprocessing, origin: undefined, configFile: undefined };
  if (!same(pa, pb)) out.push(`preprocessing differs: ${JSON.stringify(pa)} vs ${JSON.stringify(pb)}`);
  return out;
}
