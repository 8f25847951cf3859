/**
 * The number written in a heatmap cell, fitted to the cell: "-0.088" or "0.0079" in a 34 px cell ran over
 * its neighbours. The shortest faithful form that fits is written ("−.09" for −0.088), and nothing when
 * even that does not fit; the exact value is always in the cell's tooltip. DOM-free, so it is tested
 * without a page.
 */
import { formatShort } from '../common/format';
import { textWidth } from './textWidth';

/** The font size of the cell values, px (media/panel.css, .cl-cell-value). */
export const CELL_FONT_SIZE = 10;
/** Room kept free on each side of a cell value, px. */
const CELL_PADDING = 3;

/** "0.063" -> ".063", "-0.088" -> "−.088": the leading zero says nothing in a cell, the minus sign is a real one. */
function compact(text: string): string {
  return text.replace(/^(-?)0\./, '$1.').replace(/^-/, '−');
}

/**
 * The text for `value` in a `cell`-px square, or null when no faithful form fits. A diverging (cosine)
 * value of ±1 to two digits reads "1" / "−1". Forms tried, longest first: two significant digits, then one.
 */
export function cellLabel(value: number, cell: number, diverging: boolean): string | null {
  const room = cell - 2 * CELL_PADDING;
  if (diverging && Math.abs(value) >= 0.995) return compact(value.toFixed(0));
  for (const digits of [2, 1]) {
    const text = compact(formatShort(value, digits));
    if (textWidth(text, CELL_FONT_SIZE) <= room) return text;
  }
  return null;
}
