/**
 * Where a horizontal reference line's label goes ("network test 83.8%"): at either end of the line,
 * above or below it, wherever it crosses the fewest series and no label placed before it. A label on
 * a series hides points or gets struck through; in a depth chart the free corner depends on the data
 * (NCC accuracy rises from the left, NC1 falls), so it is chosen per chart, not fixed.
 */
import { textWidth } from './textWidth';

export interface Point {
  x: number;
  y: number;
}

/** A text's box in pixels; y is the top edge. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LabelPlace {
  /** Anchor x, baseline y, and the anchor's side, as an SVG text element takes them. */
  x: number;
  y: number;
  anchor: 'start' | 'end';
  box: Box;
}

/** The reference lines' label font, px. */
const LABEL_FONT_PX = 10.5;

/** Whether the segment a-b passes through the box (Liang-Barsky clipping). */
export function segmentCrossesBox(a: Point, b: Point, box: Box): boolean {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  let t0 = 0;
  let t1 = 1;
  const edges: [number, number][] = [
    [-dx, a.x - box.x],
    [dx, box.x + box.width - a.x],
    [-dy, a.y - box.y],
    [dy, box.y + box.height - a.y],
  ];
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q < 0) return false;
      continue;
    }
    const t = q / p;
    if (p < 0) t0 = Math.max(t0, t);
    else t1 = Math.min(t1, t);
    if (t0 > t1) return false;
  }
  return true;
}

/** How many segments of the polylines pass through the box (a lone point counts when inside it). */
export function crossings(box: Box, polylines: readonly (readonly Point[])[]): number {
  let count = 0;
  for (const line of polylines) {
    if (line.length === 1 && segmentCrossesBox(line[0]!, line[0]!, box)) count++;
    for (let i = 1; i < line.length; i++) if (segmentCrossesBox(line[i - 1]!, line[i]!, box)) count++;
  }
  return count;
}

const overlaps = (a: Box, b: Box): boolean => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

export interface PlotArea {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/**
 * Places the labels of horizontal lines at pixel heights `lineYs`, in order. Candidates: below the
 * line at its left end (the old fixed place, preferred on a tie), above it at the left, below and
 * above at the right. Cost: series segments crossed, plus a heavy penalty for touching an earlier
 * label or leaving the plot.
 */
export function placeLineLabels(labels: readonly { text: string; lineY: number }[], polylines: readonly (readonly Point[])[], plot: PlotArea, inset = 6, lineHeight = 13): LabelPlace[] {
  const placed: LabelPlace[] = [];
  for (const { text, lineY } of labels) {
    const width = textWidth(text, LABEL_FONT_PX);
    const boxAt = (anchor: 'start' | 'end', baseline: number): LabelPlace => {
      const x = anchor === 'start' ? plot.left + inset : plot.right - inset;
      return { x, y: baseline, anchor, box: { x: anchor === 'start' ? x : x - width, y: baseline - lineHeight + 3, width, height: lineHeight - 1 } };
    };
    const candidates = [boxAt('start', lineY + lineHeight), boxAt('start', lineY - 4), boxAt('end', lineY + lineHeight), boxAt('end', lineY - 4)];
    let best = candidates[0]!;
    let bestCost = Infinity;
    for (const candidate of candidates) {
      const { box } = candidate;
      const outside = box.y < plot.top || box.y + box.height > plot.bottom ? 1 : 0;
      const onLabel = placed.filter((p) => overlaps(p.box, box)).length;
      const cost = crossings(box, polylines) + 100 * (outside + onLabel);
      if (cost < bestCost) {
        best = candidate;
        bestCost = cost;
      }
    }
    placed.push(best);
  }
  return placed;
}
