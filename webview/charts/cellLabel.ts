/**
 * The numbers written in a heatmap's cells, fitted to the cells: "-0.088" or "0.0079" in a 34 px cell ran
 * over its neighbours. One form for the whole matrix, the most digits that fit every cell (two significant
 * digits, else one, without the leading zero: "−.09" for −0.088); when even one digit does not fit every
 * value, no cell is written: a matrix with some cells blank would read as if those were empty. The exact
 * value is always in the cell's tooltip. DOM-free, so it is tested without a page.
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

/** `value` to `digits` significant digits; a diverging (cosine) value of ±1 to two digits reads "1" / "−1". */
function cellText(value: number, digits: number, diverging: boolean): string {
  return diverging && Math.abs(value) >= 0.995 ? compact(value.toFixed(0)) : compact(formatShort(value, digits));
}

/**
 * How to write the values of a matrix in `cell`-px squares: a formatter when every value fits at the same
 * number of digits, or null when cells stay unlabelled.
 */
export function cellLabeler(values: readonly number[], cell: number, diverging: boolean): ((value: number) => string) | null {
  const room = cell - 2 * CELL_PADDING;
  for (const digits of [2, 1]) {
    if (values.every((v) => textWidth(cellText(v, digits, diverging), CELL_FONT_SIZE) <= room)) return (v) => cellText(v, digits, diverging);
  }
  return null;
}
