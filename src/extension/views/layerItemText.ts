/**
 * The words of a layer row in the Layers view: its description (beside the name), its accessible label
 * and its Markdown tooltip. No vscode import, so the text is unit-tested in Node.
 */
import type { LayerResult, SplitLayerMetrics } from '../../core/result';
import { LOW_RANK_MARK, lowRankNc1Reason, lowRankOf } from '../../core/lowRankNc1';
import { layerSizeText } from '../../core/layerNames';

export const fmtMetric = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : v >= 100 || v < 0.01 ? v.toExponential(1) : v.toPrecision(3));
export const fmtPercent = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`);

export interface LayerItemText {
  description: string;
  accessibilityLabel: string;
  /** Markdown. */
  tooltip: string;
  /** The training NC1 is low-rank: the row's icon says so instead of a collapse colour. */
  lowRank: boolean;
}

/** An NC1 with the low-rank mark when it is low-rank. */
function nc1Text(m: SplitLayerMetrics | undefined, classCount: number): string {
  return fmtMetric(m?.nc1) + (lowRankOf(m, classCount) !== null ? LOW_RANK_MARK : '');
}

/** Markdown would read a "*" as emphasis or a list item: escaped where it is the low-rank mark. */
const markdownLiteral = (text: string): string => text.replace(/\*/g, '\\*');

export function layerItemText(layer: LayerResult, classCount: number, isClassifierInput: boolean): LayerItemText {
  const m = layer.metrics.train;
  const test = layer.metrics.test;
  const trainRank = lowRankOf(m, classCount);
  const testRank = lowRankOf(test, classCount);
  const description =
    `NC1 ${nc1Text(m, classCount)}${trainRank !== null ? ' (low rank)' : ''} · NCC ${fmtPercent(m.nccAccuracy)}` + (isClassifierInput ? ' · classifier input' : '');
  const reasons = [
    ...(trainRank !== null ? [`${LOW_RANK_MARK} train: ${lowRankNc1Reason(trainRank, classCount)}.`] : []),
    ...(testRank !== null ? [`${LOW_RANK_MARK} test: ${lowRankNc1Reason(testRank, classCount)}.`] : []),
  ];
  const tooltip =
    `**#${layer.depth} ${layer.name}** (${layer.op}, ${layerSizeText(layer.shape, layer.dim)})\n\n` +
    `| | train | test |\n|---|---|---|\n` +
    `| NC1 | ${markdownLiteral(nc1Text(m, classCount))} | ${markdownLiteral(nc1Text(test, classCount))} |\n` +
    `| NCC accuracy | ${fmtPercent(m.nccAccuracy)} | ${fmtPercent(test?.nccAccuracy)} |\n` +
    `| CDNV | ${fmtMetric(m.cdnv)} | ${fmtMetric(test?.cdnv)} |\n` +
    `| ETF distance | ${fmtMetric(m.etfDistance)} | ${fmtMetric(test?.etfDistance)} |` +
    (reasons.length > 0 ? `\n\n${reasons.map(markdownLiteral).join('\n\n')}` : '');
  return {
    description,
    accessibilityLabel: `#${layer.depth} ${layer.name}, ${description}${trainRank !== null ? `: ${lowRankNc1Reason(trainRank, classCount)}` : ''}`,
    tooltip,
    lowRank: trainRank !== null,
  };
}
