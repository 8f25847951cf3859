/** The font size of tick labels and legends, px. */
export const TICK_FONT_SIZE = 11;

/**
 * Estimated text width (no layout pass needed): good enough to reserve margins, place labels and fit a
 * legend. DOM-free, so the layout helpers that use it are tested without a page.
 */
export function textWidth(text: string, fontSize = TICK_FONT_SIZE): number {
  return text.length * fontSize * 0.58;
}
