/**
 * The legend above a line chart is one row: with several long layer names (a trajectory's layers) it
 * ran past the chart's right edge and was cut off. Labels that do not fit are shortened in the middle,
 * keeping both ends: ONNX names differ at the start ("/relu2/…", "/relu3/…") and end alike
 * ("…Relu_output_0"), Keras names often the other way round. The full name stays in the item's tooltip.
 */
import { textWidth } from './textWidth';

/** The swatch (line and dot) and the gap after an item. */
export const LEGEND_ITEM_PX = 40;

/** An item's width in the legend's font (the tick font), the same estimate the items are spaced with. */
export const legendItemWidth = (label: string): number => LEGEND_ITEM_PX + textWidth(label);

/** The labels as drawn in `width` pixels: unchanged when they fit, else the longest cut to a shared length. */
export function fitLegendLabels(labels: readonly string[], width: number): string[] {
  const total = (ls: readonly string[]) => ls.reduce((sum, l) => sum + legendItemWidth(l), 0);
  if (total(labels) <= width) return [...labels];
  // The largest per-label length that fits: only labels longer than it are cut.
  let longest = Math.max(...labels.map((l) => l.length));
  const cut = (max: number) => labels.map((l) => (l.length <= max ? l : shortenMiddle(l, max)));
  while (longest > 4 && total(cut(longest)) > width) longest--;
  return cut(longest);
}

/** `label` in `max` characters: its start and end around an ellipsis. */
export function shortenMiddle(label: string, max: number): string {
  if (label.length <= max) return label;
  const head = Math.ceil((max - 1) / 2);
  const tail = max - 1 - head;
  return `${label.slice(0, head)}…${tail > 0 ? label.slice(label.length - tail) : ''}`;
}
