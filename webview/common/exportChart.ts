/**
 * A chart as a file: a standalone SVG (theme colours and fonts made concrete, a background painted, so
 * it looks the same outside VS Code) and a PNG rendered from that SVG through a canvas.
 */
import type { ExportFormat, ExportMessage } from '../../src/protocol/webview';
import { h } from './dom';
import type { Theme } from './theme';

const SVG_NS = 'http://www.w3.org/2000/svg';

/** The formats a chart's own export buttons offer (the panels' header exports data as JSON and CSV). */
export type ChartExportFormat = Extract<ExportFormat, 'svg' | 'png'>;

/** The `export` message both panels post to the host for a chart. */
export type ChartExportMessage = ExportMessage<ChartExportFormat>;

/** Marks that only exist for interaction (hover guides, focus rings) carry this class and are dropped. */
export const INTERACTION_ONLY_CLASS = 'cl-interactive-only';

/** Room above the chart for its title, which lives outside the <svg> in the panel (in the card's heading). */
const TITLE_BAND = 28;

/**
 * `heading` is drawn above the chart (shrunk to fit its width); `description` goes in the file's <title>
 * (e.g. the heading plus the run's label).
 */
export function standaloneSvg(svg: SVGSVGElement, theme: Theme, heading: string, description: string): { text: string; width: number; height: number } {
  const width = Number(svg.getAttribute('width')) || svg.clientWidth || 600;
  const chartHeight = Number(svg.getAttribute('height')) || svg.clientHeight || 300;
  const height = chartHeight + TITLE_BAND;
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('xmlns', SVG_NS);
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  clone.setAttribute('viewBox', `0 0 ${width} ${height}`);
  clone.removeAttribute('tabindex');
  for (const el of Array.from(clone.querySelectorAll(`.${INTERACTION_ONLY_CLASS}`))) el.remove();
  for (const el of Array.from(clone.querySelectorAll('[tabindex]'))) el.removeAttribute('tabindex');
  // currentColor and the fonts resolve against these once the file leaves the webview.
  const computed = getComputedStyle(svg);
  clone.style.setProperty('color', theme.foreground);
  clone.style.setProperty('font-family', computed.fontFamily || theme.fontFamily);
  clone.style.setProperty('font-size', computed.fontSize || `${theme.fontSize}px`);
  clone.style.setProperty('background', theme.background);
  // Class-based styles (axis titles, labels) do not travel with the file: copy what they computed to.
  const originals = Array.from(svg.querySelectorAll<SVGElement>('text'));
  Array.from(clone.querySelectorAll<SVGElement>('text')).forEach((el, i) => {
    const source = originals[i];
    if (!source) return;
    const style = getComputedStyle(source);
    el.setAttribute('font-size', style.fontSize);
    el.setAttribute('fill', style.fill);
  });
  const body = document.createElementNS(SVG_NS, 'g');
  body.setAttribute('transform', `translate(0,${TITLE_BAND})`);
  while (clone.firstChild) body.append(clone.firstChild);
  const background = document.createElementNS(SVG_NS, 'rect');
  background.setAttribute('width', '100%');
  background.setAttribute('height', '100%');
  background.setAttribute('fill', theme.background);
  const headingEl = document.createElementNS(SVG_NS, 'text');
  headingEl.setAttribute('x', '8');
  headingEl.setAttribute('y', '18');
  headingEl.setAttribute('font-weight', '600');
  // About 0.6 em per character for a bold UI font: shrink a long heading rather than cut it.
  const fontSize = Math.max(8, Math.min(13, (width - 16) / Math.max(1, heading.length * 0.6)));
  headingEl.setAttribute('font-size', `${fontSize.toFixed(1)}px`);
  headingEl.setAttribute('fill', 'currentColor');
  headingEl.textContent = heading;
  const titleEl = document.createElementNS(SVG_NS, 'title');
  titleEl.textContent = description;
  clone.append(titleEl, background, headingEl, body);
  const text = `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(clone)}\n`;
  return { text, width, height };
}

/** Renders SVG text to a PNG data: URL at `scale` pixels per CSS pixel (2 keeps it sharp on hi-dpi). */
export function svgToPngDataUrl(svgText: string, width: number, height: number, scale = 2): Promise<string> {
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => {
      const canvas = document.createElement('canvas');
      canvas.width = Math.round(width * scale);
      canvas.height = Math.round(height * scale);
      const context = canvas.getContext('2d');
      if (!context) {
        reject(new Error('PNG export: this webview has no 2-D canvas'));
        return;
      }
      context.scale(scale, scale);
      context.drawImage(image, 0, 0, width, height);
      resolve(canvas.toDataURL('image/png'));
    };
    image.onerror = () => reject(new Error('PNG export: the chart could not be rendered to an image'));
    image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svgText)}`;
  });
}

/**
 * Exports a chart through `post`: the SVG at once, a PNG once rendered. A PNG that fails to render is not
 * a run failure: an error notice is appended to `noticeSlot` (beside the banner, gone at the next render).
 * `heading` and `description` as for standaloneSvg.
 */
export function postChartExport(
  chart: { svg: SVGSVGElement; heading: string; description: string },
  theme: Theme,
  file: { format: ChartExportFormat; suggestedName: string },
  post: (message: ChartExportMessage) => void,
  noticeSlot: HTMLElement,
): void {
  const { text, width, height } = standaloneSvg(chart.svg, theme, chart.heading, chart.description);
  const { format, suggestedName } = file;
  if (format === 'svg') {
    post({ kind: 'export', format, suggestedName, data: text });
    return;
  }
  svgToPngDataUrl(text, width, height)
    .then((data) => post({ kind: 'export', format: 'png', suggestedName, data }))
    .catch((error: unknown) => {
      noticeSlot.append(h('div', { className: 'cl-banner cl-banner-error', attrs: { role: 'alert' } }, [error instanceof Error ? error.message : String(error)]));
    });
}
