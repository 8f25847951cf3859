/**
 * The cells of a large heatmap (K = 100 is 10^4 cells, K = 1,000 is 10^6) as one bitmap instead of one
 * SVG <rect> per cell: one pixel per cell is painted on a K x K <canvas>, which the SVG shows scaled as a
 * single <image> (so SVG / PNG exports still carry the cells). Hover and keyboard find the cell from the
 * pointer position, so a million cells cost no DOM nodes and no listeners.
 */
import type { Theme } from '../common/theme';
import { INTERACTION_ONLY_CLASS } from '../common/exportChart';
import { ariaLabelOf, type ChartInteraction, type Group } from './chartKit';
import { cellAt, moveCursor, rasterPixels, type CellPaint, type GridCell, type GridGeometry } from './gridLookup';
import type { TooltipContent } from './types';

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

