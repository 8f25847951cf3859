/**
 * A small line-and-point sample of a series' look (colour, dashed or not), as the charts draw it, for the
 * legend and the tables. Drawn as SVG attributes (the CSP allows no inline style attributes).
 */
const SVG_NS = 'http://www.w3.org/2000/svg';

export function swatch(color: string, dashed: boolean, background: string): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('width', '24');
  svg.setAttribute('height', '10');
  svg.setAttribute('viewBox', '0 0 24 10');
  svg.setAttribute('class', 'cl-swatch');
  svg.setAttribute('aria-hidden', 'true');
  const line = document.createElementNS(SVG_NS, 'line');
  for (const [k, v] of Object.entries({ x1: '1', x2: '23', y1: '5', y2: '5', stroke: color, 'stroke-width': '2' })) line.setAttribute(k, v);
  if (dashed) line.setAttribute('stroke-dasharray', '4 3');
  const dot = document.createElementNS(SVG_NS, 'circle');
  for (const [k, v] of Object.entries({ cx: '12', cy: '5', r: '3.5', fill: dashed ? background : color, stroke: color, 'stroke-width': '1.5' })) dot.setAttribute(k, v);
  svg.append(line, dot);
  return svg;
}
