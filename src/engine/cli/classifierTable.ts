import type { CheckpointClassifierEntry } from '../../core/classifierReport';
import { fmt } from './table';

/**
 * One row per checkpoint: K, D and the weights' geometry; a checkpoint without a classifier gets a
 * plain line saying why (the loader's reason), so a missing head never looks like a row of dashes.
 */
export function formatClassifierTable(entries: CheckpointClassifierEntry[]): string {
  const withEpoch = entries.some((e) => e.epoch !== undefined);
  const head = [...(withEpoch ? ['epoch'] : []), 'checkpoint', 'K', 'D', 'equinorm', 'equiangularity', 'max-angle', 'ETF dist', 'bias std'];
  const rows: string[][] = [];
  const notes: string[] = [];
  for (const e of entries) {
    const c = e.classifier;
    const lead = [...(withEpoch ? [e.epoch !== undefined ? String(e.epoch) : ''] : []), e.path];
    if (c) {
      rows.push([...lead, String(c.numClasses), String(c.dim), fmt(c.equinorm), fmt(c.equiangularity), fmt(c.maxAngle), fmt(c.etfDistance), c.bias ? fmt(c.bias.std) : 'no bias']);
    } else {
      notes.push(e.error ? `${e.path}: cannot be read: ${e.error}` : `${e.path}: no classifier: ${e.classifierUnavailable ?? 'no final linear layer was found'}`);
    }
  }
  const out: string[] = [];
  if (rows.length > 0) {
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const pathColumn = withEpoch ? 1 : 0;
    const line = (cells: string[]) => cells.map((s, i) => (i === pathColumn ? s.padEnd(widths[i]) : s.padStart(widths[i]))).join('  ');
    out.push(line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line));
    out.push('', 'From the weights alone: the rows w_c centred by their mean (docs/classifier.md). ETF dist 0 = a simplex ETF.');
  }
  if (notes.length > 0 && rows.length > 0) out.push('');
  out.push(...notes);
  return out.join('\n');
}
