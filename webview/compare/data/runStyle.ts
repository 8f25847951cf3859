/**
 * A stable look per run (or per layer in a trajectory): the theme's chart colours in a fixed order, so
 * run i has the same colour in every chart, the legend and the tables. VS Code defines six chart
 * colours; from the seventh on the colours repeat with a dashed line, so no two series look alike.
 * DOM-free.
 */
import type { ChartColor } from '../../charts/types';

export const SERIES_COLORS: readonly ChartColor[] = ['blue', 'orange', 'green', 'red', 'purple', 'yellow'];

export interface SeriesStyle {
  color: ChartColor;
  dashed: boolean;
}

export function seriesStyle(index: number): SeriesStyle {
  const n = SERIES_COLORS.length;
  return { color: SERIES_COLORS[index % n]!, dashed: Math.floor(index / n) % 2 === 1 };
}
