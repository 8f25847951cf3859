/**
 * The cells of a large heatmap (K = 100 is 10^4 cells, K = 1,000 is 10^6) as one bitmap instead of one
 * SVG <rect> per cell: one pixel per cell is painted on a K x K <canvas>, which the SVG shows scaled as a
 * single <image> (so SVG / PNG exports still carry the cells). Hover and keyboard find the cell from the
 * pointer position, so a million cells cost no DOM nodes and no listeners.
 */
import * as d3 from 'd3';
import type { Theme } from '../common/theme';
import { INTERACTION_ONLY_CLASS } from '../common/exportChart';
import { ariaLabelOf, type ChartInteraction, type Group } from './chartKit';
import type { TooltipContent } from './types';

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

/**
 * Paints the cells into the SVG as one <image> and wires hover and keyboard on one transparent overlay.
 * Without a 2-D canvas context (a test DOM) the image is left out; the overlay and its lookups still work.
 */
export function drawRasterCells(
  root: Group,
  grid: GridGeometry,
  paint: CellPaint,
  tooltipOf: (cell: GridCell) => TooltipContent,
  theme: Theme,
  interaction: ChartInteraction,
): void {
  const { left, top, cell, k } = grid;
  const size = cell * k;
  const canvas = document.createElement('canvas');
  canvas.width = k;
  canvas.height = k;
  let context: CanvasRenderingContext2D | null = null;
  try {
    context = canvas.getContext('2d');
  } catch {
    context = null;
  }
  if (context) {
    const image = context.createImageData(k, k);
    image.data.set(rasterPixels(k, paint));
    context.putImageData(image, 0, 0);
    root
      .append('image')
      .attr('class', 'cl-heatmap-raster')
      .attr('x', left)
      .attr('y', top)
      .attr('width', size)
      .attr('height', size)
      .attr('preserveAspectRatio', 'none')
      // Enlarged cells stay crisp squares; shrunk ones (K = 1,000 on a 700-pixel grid) are averaged, so no cell simply vanishes.
      .style('image-rendering', cell >= 1 ? 'pixelated' : 'auto')
      .attr('href', canvas.toDataURL('image/png'));
  }

  const ring = root
    .append('rect')
    .attr('class', `cl-focus-ring ${INTERACTION_ONLY_CLASS}`)
    .attr('fill', 'none')
    .attr('stroke', theme.focus)
    .attr('stroke-width', 2)
    .attr('pointer-events', 'none')
    .attr('visibility', 'hidden');
  const overlay = root
    .append('rect')
    .attr('class', `cl-heatmap-overlay ${INTERACTION_ONLY_CLASS}`)
    .attr('x', left)
    .attr('y', top)
    .attr('width', size)
    .attr('height', size)
    .attr('fill', 'transparent')
    .attr('tabindex', 0)
    .attr('role', 'img')
    .attr('aria-roledescription', 'heatmap')
    .attr('aria-label', `${k} × ${k} cells; arrow keys move between cells, Home and End to a row's ends`);
  if (interaction.tooltip) overlay.attr('aria-describedby', interaction.tooltip.id);
  const node = overlay.node();
  if (!node) return;

  /** The pointer in SVG units: the overlay's box on screen maps onto the grid (1:1 when the chart is not scaled). */
  const cellOfEvent = (event: PointerEvent): GridCell | null => {
    const box = node.getBoundingClientRect();
    const sx = box.width > 0 ? size / box.width : 1;
    const sy = box.height > 0 ? size / box.height : 1;
    return cellAt(grid, left + (event.clientX - box.left) * sx, top + (event.clientY - box.top) * sy);
  };
  const hover = (event: PointerEvent): void => {
    const at = cellOfEvent(event);
    if (at) interaction.tooltip?.show(tooltipOf(at), event.clientX, event.clientY);
    else interaction.tooltip?.hide();
  };
  node.addEventListener('pointerenter', hover);
  node.addEventListener('pointermove', hover);
  node.addEventListener('pointerleave', () => interaction.tooltip?.hide());

  // Keyboard: one tab stop; a cursor cell moves with the arrows, its tooltip shown as on hover.
  let cursor: GridCell = { row: 0, col: 0 };
  const showCursor = (): void => {
    const side = Math.max(cell, 8);
    ring
      .attr('x', left + cursor.col * cell + cell / 2 - side / 2)
      .attr('y', top + cursor.row * cell + cell / 2 - side / 2)
      .attr('width', side)
      .attr('height', side)
      .attr('visibility', 'visible');
    const content = tooltipOf(cursor);
    overlay.attr('aria-label', ariaLabelOf(content));
    const box = node.getBoundingClientRect();
    const scale = box.width > 0 ? box.width / size : 1;
    interaction.tooltip?.show(content, box.left + (cursor.col + 1) * cell * scale, box.top + (cursor.row + 1) * cell * scale);
  };
  node.addEventListener('focus', showCursor);
  node.addEventListener('blur', () => {
    ring.attr('visibility', 'hidden');
    interaction.tooltip?.hide();
  });
  node.addEventListener('keydown', (event: KeyboardEvent) => {
    const next = moveCursor(cursor, event.key, k);
    if (event.key === 'Escape') interaction.tooltip?.hide();
    if (!next) return;
    event.preventDefault();
    cursor = next;
    showCursor();
  });
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
