/**
 * The "Classifier (from weights)" card at the top of the analysis panel: NC2 on the classifier rows,
 * which need the weights alone (docs/classifier.md). DOM-free, unit-tested in Node.
 */
import type { AnalysisResult, BiasSpread } from '../../../src/core/result';
import type { HeatmapSpec } from '../../charts/types';
import { classNames } from './layerDetail';
import { CLASSIFIER_NUMBERS } from '../../../src/core/classifierNumbers';
import { matrixRows } from '../../../src/core/packedMatrix';

export interface ClassifierCardNumber {
  id: 'equinorm' | 'equiangularity' | 'maxAngle' | 'etfDistance';
  label: string;
  value: number | null;
  /** What the number means, for its tooltip. */
  hint: string;
  /** Why it is null, when it is. */
  unavailable?: string;
}

export interface RowNormBar {
  name: string;
  value: number;
  /** value / the largest norm, for the bar's length (0..1). */
  fraction: number;
}

export type ClassifierCardModel =
  | { kind: 'none'; reason: string }
  | {
      kind: 'weights';
      /** "K classes x D features from <input>". */
      shape: string;
      numbers: ClassifierCardNumber[];
      /** Null in results written before the row norms were recorded. */
      rowNorms: RowNormBar[] | null;
      /** Undefined in older results; null when the classifier has no bias term. */
      bias: BiasSpread | null | undefined;
      heatmap: HeatmapSpec | null;
      /** Said under the numbers when the older result lacks the detail. */
      note: string | null;
    };

export function classifierCardModel(result: AnalysisResult): ClassifierCardModel {
  const c = result.classifier;
  if (!c) return { kind: 'none', reason: result.classifierUnavailable ?? 'no final linear layer (Gemm, MatMul or Dense) was found' };
  const numbers = CLASSIFIER_NUMBERS.map(({ id, label, meaning }): ClassifierCardNumber => {
    const why = c.unavailable?.[id];
    return { id, label, value: c.weights[id], hint: meaning, ...(c.weights[id] === null && why ? { unavailable: why } : {}) };
  });
  const norms = c.rowNorms ?? null;
  const names = classNames(result);
  const largest = norms ? Math.max(...norms, 0) : 0;
  const rowNorms = norms ? norms.map((value, i) => ({ name: names[i] ?? `class ${i}`, value, fraction: largest > 0 ? value / largest : 0 })) : null;
  const dim = result.layers.find((l) => l.name === c.input)?.dim;
  const old = c.rowNorms === undefined || c.cosines === undefined || c.bias === undefined;
  return {
    kind: 'weights',
    shape: `${result.classes.count} classes × ${dim ?? '?'} features, reading ${c.input}`,
    numbers,
    rowNorms,
    bias: c.bias,
    heatmap: c.cosines ? classifierCosineHeatmap(names, matrixRows(c.cosines)) : null,
    note: old ? 'This result was written before the row norms, bias spread and cosines were recorded: re-run the analysis to see them.' : null,
  };
}

export function classifierCosineHeatmap(names: string[], cosines: (number | null)[][]): HeatmapSpec {
  return {
    id: 'classifier-cosines',
    title: 'Cosines of the centred classifier rows',
    rowLabels: names,
    colLabels: names,
    values: cosines,
    colorScale: { kind: 'diverging', domain: [-1, 1] },
    valueLabel: 'cos',
    legendLabel: 'cos(w_c − w̄, w_c′ − w̄)',
  };
}
