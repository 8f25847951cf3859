/**
 * The DOM-free half of a bitmap heatmap (heatmapRaster.ts): which cell a point or a key lands on, the
 * K x K pixels, and a colour table cheap enough for 10^6 cells. Tested without a page.
 */
import * as d3 from 'd3';

/**
 * Above this many classes the cells are painted as one bitmap (heatmapRaster.ts): K = 100 would be
 * 10^4 SVG rects with a listener each, K = 1,000 a million, which no webview keeps responsive.
 */
export const RASTER_MIN_CLASSES = 40;

/** Where the K x K grid sits in the chart, in SVG units: cell (row, col) covers [left + col*cell, +cell) x [top + row*cell, +cell). */
export interface GridGeometry {
  left: number;
  top: number;
  cell: number;
  k: number;
}

export interface GridCell {
  row: number;
  col: number;
}

/** The cell under a point given in SVG units, or null outside the grid. */
export function cellAt(grid: GridGeometry, x: number, y: number): GridCell | null {
  if (!(grid.cell > 0) || !Number.isFinite(x) || !Number.isFinite(y)) return null;
  const col = Math.floor((x - grid.left) / grid.cell);
  const row = Math.floor((y - grid.top) / grid.cell);
  if (row < 0 || col < 0 || row >= grid.k || col >= grid.k) return null;
  return { row, col };
}

/** How a value is painted: its colour as [r, g, b], or null for a blank cell. */
export type CellPaint = (row: number, col: number) => readonly [number, number, number];

/** RGBA bytes of a K x K image, one pixel per cell, row-major (row = y). */
export function rasterPixels(k: number, paint: CellPaint): Uint8ClampedArray {
  const pixels = new Uint8ClampedArray(k * k * 4);
  for (let r = 0; r < k; r++) {
    for (let c = 0; c < k; c++) {
      const [red, green, blue] = paint(r, c);
      const at = (r * k + c) * 4;
      pixels[at] = red;
      pixels[at + 1] = green;
      pixels[at + 2] = blue;
      pixels[at + 3] = 255;
    }
  }
  return pixels;
}

/**
 * A colour function made cheap for 10^6 calls: `position` maps a value to [0, 1] along the scale and the
 * colour is read from a 256-entry table of the interpolator, instead of parsing a CSS colour per cell.
 */
export function colourTable(interpolate: (t: number) => string, steps = 256): (t: number) => readonly [number, number, number] {
  const table = Array.from({ length: steps }, (_, i) => {
    const rgb = d3.rgb(interpolate(i / (steps - 1)));
    return [Math.round(rgb.r), Math.round(rgb.g), Math.round(rgb.b)] as const;
  });
  return (t) => table[Math.min(steps - 1, Math.max(0, Math.round((Number.isFinite(t) ? t : 0) * (steps - 1))))]!;
}

export function rgbOf(colour: string): readonly [number, number, number] {
  const rgb = d3.rgb(colour);
  return [Math.round(rgb.r), Math.round(rgb.g), Math.round(rgb.b)];
}

/** The cell a key moves the cursor to (arrows by one cell, PageUp/PageDown by ten rows, Home/End to the row's ends), or null. */
export function moveCursor(from: GridCell, key: string, k: number): GridCell | null {
  const clamp = (v: number): number => Math.min(k - 1, Math.max(0, v));
  switch (key) {
    case 'ArrowRight':
      return { row: from.row, col: clamp(from.col + 1) };
    case 'ArrowLeft':
      return { row: from.row, col: clamp(from.col - 1) };
    case 'ArrowDown':
      return { row: clamp(from.row + 1), col: from.col };
    case 'ArrowUp':
      return { row: clamp(from.row - 1), col: from.col };
    case 'PageDown':
      return { row: clamp(from.row + 10), col: from.col };
    case 'PageUp':
      return { row: clamp(from.row - 10), col: from.col };
    case 'Home':
      return { row: from.row, col: 0 };
    case 'End':
      return { row: from.row, col: k - 1 };
    default:
      return null;
  }
}
