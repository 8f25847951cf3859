/**
 * The words of the Layers view's "Classifier (from weights)" node and its children, from the engine's
 * answer for one checkpoint. No vscode import, so the text is unit-tested in Node.
 */
import type { CheckpointClassifierEntry } from '../../core/classifierReport';
import { fmtMetric } from './layerItemText';
import { CLASSIFIER_NUMBERS } from '../../core/classifierNumbers';

export const CLASSIFIER_NODE_LABEL = 'Classifier (from weights)';

export interface ClassifierRow {
  label: string;
  description: string;
  /** Markdown. */
  tooltip: string;
}

export interface ClassifierNodeText {
  description: string;
  /** Markdown. */
  tooltip: string;
  /** One row per number; empty when there is no classifier. */
  rows: ClassifierRow[];
}

/** What the node says while the engine reads the weights, or when it could not. */
export function pendingClassifierText(): ClassifierNodeText {
  return { description: 'reading the weights…', tooltip: 'Reading the last layer\'s weights (no dataset needed).', rows: [] };
}

export function failedClassifierText(message: string): ClassifierNodeText {
  return { description: 'could not be read', tooltip: `The weights could not be read: ${message}`, rows: [] };
}

/** fmtMetric is for metrics (never negative); a bias has a sign. */
const fmtSigned = (v: number): string => (v < 0 ? `-${fmtMetric(-v)}` : fmtMetric(v));

/** Norms listed one by one in the tooltip; K = 1,000 would be a thousand numbers nobody reads in a hover. */
const NORMS_LISTED = 20;

function normsList(norms: number[]): string {
  const shown = norms.slice(0, NORMS_LISTED).map(fmtMetric).join(', ');
  return norms.length > NORMS_LISTED ? `${shown}, … (${norms.length - NORMS_LISTED} more: the classifier card in the panel has them all)` : shown;
}

const range = (values: number[]): string => (values.length ? `${fmtMetric(Math.min(...values))} – ${fmtMetric(Math.max(...values))}` : '—');

export function classifierNodeText(entry: CheckpointClassifierEntry): ClassifierNodeText {
  const c = entry.classifier;
  if (!c) {
    const why = entry.error ? `the checkpoint cannot be read: ${entry.error}` : entry.classifierUnavailable ?? 'no final linear layer was found';
    return { description: 'none found', tooltip: `No classifier: ${why}`, rows: [] };
  }
  const why = (name: string) => (c.unavailable?.[name] ? ` (not computed: ${c.unavailable[name]})` : '');
  const rows: ClassifierRow[] = [
    ...CLASSIFIER_NUMBERS.map((n) => ({ label: n.label, description: fmtMetric(c[n.id]), tooltip: `${n.meaning}${why(n.id)}` })),
    { label: 'Row norms', description: range(c.rowNorms), tooltip: `‖w_c − w̄‖ per class, smallest – largest: ${normsList(c.rowNorms)}` },
    c.bias
      ? { label: 'Bias', description: `std ${fmtMetric(c.bias.std)}, [${fmtSigned(c.bias.min)}, ${fmtSigned(c.bias.max)}]`, tooltip: `b over the classes: mean ${fmtSigned(c.bias.mean)}, population std ${fmtMetric(c.bias.std)}, smallest ${fmtSigned(c.bias.min)}, largest ${fmtSigned(c.bias.max)}` }
      : { label: 'Bias', description: 'no bias term', tooltip: 'The classifier has no bias term.' },
  ];
  const tooltip = [
    `**${CLASSIFIER_NODE_LABEL}**: ${c.numClasses} classes × ${c.dim} features, reading \`${c.input}\` (${c.description})`,
    '',
    'NC2 on the classifier rows w_c, centred by their mean; no dataset needed. 0 everywhere is a simplex ETF.',
    '',
    ...rows.map((r) => `- ${r.label}: ${r.description}`),
  ].join('\n');
  return { description: `ETF distance ${fmtMetric(c.etfDistance)}, K = ${c.numClasses}`, tooltip, rows };
}
