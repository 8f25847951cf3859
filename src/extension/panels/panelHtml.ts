/**
 * The HTML shell of a panel's webview. No vscode import, so the Content-Security-Policy it writes is
 * unit-tested in Node and the same page is used by the preview harness.
 *
 * The policy: nothing by default; scripts only with this page's nonce; styles only from the extension's
 * own files (no 'unsafe-inline': the panels set styles through the CSSOM); images from the extension and
 * data: URLs (the PNG export renders the chart's SVG through an <img>); no remote content of any kind.
 */
import { randomBytes } from 'node:crypto';

export interface PanelHtmlOptions {
  /** Page title (escaped here). */
  title: string;
  /** webview.cspSource: the origin VS Code serves the extension's local resources from. */
  cspSource: string;
  nonce: string;
  /** asWebviewUri(...) of the bundle, e.g. dist/webview/analysis.js. */
  scriptUri: string;
  /** asWebviewUri(...) of media/panel.css. */
  styleUri: string;
}

/** 128 random bits, base64: a fresh nonce for every page load. */
export function makeNonce(): string {
  return randomBytes(16).toString('base64');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

/** Escapes text for an element or a double-quoted attribute (single quotes stay readable: the CSP uses them). */
const escapeHtml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function panelHtml(options: PanelHtmlOptions): string {
  const nonce = escapeHtml(options.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(options.cspSource, options.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(options.styleUri)}">
<title>${escapeHtml(options.title)}</title>
</head>
<body>
<main id="app" aria-live="off"></main>
<script nonce="${nonce}" src="${escapeHtml(options.scriptUri)}"></script>
</body>
</html>
`;
}
