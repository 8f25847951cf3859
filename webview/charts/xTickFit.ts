/**
 * Fits a depth chart's x tick labels (short layer names, "block2/pool", "fc1") under the plot: level when
 * every label fits its slot, else slanted, and then only every n-th one when even slanted labels would
 * overlap. The full name of every layer stays in the points' tooltips. DOM-free, so the layout is tested
 * without a page.
 */
import { TICK_FONT_SIZE, textWidth } from './textWidth';
import type { XTick } from './types';

/** The slant of labels that do not fit level, degrees (counter-clockwise, read bottom-left to top-right). */
export const SLANT_DEGREES = 35;
/** A slanted label longer than this is cut at its end: the tooltip has the rest. */
export const MAX_SLANTED_CHARS = 16;
/** Room between two level labels, px. */
const LEVEL_GAP = 6;
/** The height a level tick label takes under the axis (tick, gap and one line), px. */
const LEVEL_LABEL_HEIGHT = 14;

export interface FittedXTicks {
  ticks: XTick[];
  slanted: boolean;
  /** Extra room the slanted labels need under the axis, beyond a level label's, px. */
  extraBottom: number;
}

const cutEnd = (label: string, max: number): string => (label.length <= max ? label : `${label.slice(0, max - 1)}…`);

/**
 * `ticks` as drawn when adjacent ticks are `spacing` px apart: level if every label fits its slot;
 * slanted (cut to MAX_SLANTED_CHARS) otherwise, keeping every n-th tick so that slanted labels, one line
 * high, do not overlap.
 */
export function fitXTicks(ticks: readonly XTick[], spacing: number): FittedXTicks {
  const widest = Math.max(0, ...ticks.map((t) => textWidth(t.label)));
  if (widest + LEVEL_GAP <= spacing) return { ticks: [...ticks], slanted: false, extraBottom: 0 };
  const angle = (SLANT_DEGREES * Math.PI) / 180;
  // Two slanted labels overlap unless their baselines are a line height apart, measured across the slant.
  const needed = (TICK_FONT_SIZE + 3) / Math.sin(angle);
  const every = Math.max(1, Math.ceil(needed / Math.max(spacing, 1)));
  const kept = ticks.filter((_, i) => i % every === 0).map((t) => ({ x: t.x, label: cutEnd(t.label, MAX_SLANTED_CHARS) }));
  const longest = Math.max(0, ...kept.map((t) => textWidth(t.label)));
  const drop = longest * Math.sin(angle) + TICK_FONT_SIZE * Math.cos(angle);
  return { ticks: kept, slanted: true, extraBottom: Math.max(0, Math.ceil(drop + 8 - LEVEL_LABEL_HEIGHT)) };
}
