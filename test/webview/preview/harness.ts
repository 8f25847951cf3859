/**
 * What the two standalone panel previews share (preview.ts here for the analysis panel,
 * scripts/compare-preview.ts for the compare panel): flags, the panel's bundle, its real HTML shell (same
 * CSP) with a stub of acquireVsCodeApi that applies a theme and posts the scenario's messages, and headless
 * Chromium runs that screenshot the page and read back what it reported (script errors, CSP violations,
 * what it posted, its saved state).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PNG } from 'pngjs';
import { panelHtml } from '../../../src/extension/panels/panelHtml';
import { BODY_CLASS, THEME_VARIABLES, type PreviewTheme } from './themes';

export const ROOT = resolve(__dirname, '../../..');

/** The value after `--name` on the command line, or the fallback. */
export function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

/** A panel's page files: its entry (relative to the repository) and the names its HTML shell links. */
export interface PreviewPanel {
  entry: string;
  /** The bundle's file name, as under dist/webview/. */
  script: string;
  /** The stylesheets under media/ the page needs (the first one is linked; it may import the others). */
  styles: string[];
}

/** Copies the stylesheets and bundles the entry with esbuild, or copies the production bundle (--use-dist). */
export function bundle(outDir: string, panel: PreviewPanel, useDist: boolean): void {
  for (const style of panel.styles) copyFileSync(join(ROOT, 'media', style), join(outDir, style));
  if (useDist) {
    // The production bundle webpack wrote (npm run build), to check it under the same CSP.
    const built = join(ROOT, 'dist/webview', panel.script);
    if (!existsSync(built)) throw new Error(`--use-dist: ${built} does not exist (run the webpack build first)`);
    copyFileSync(built, join(outDir, panel.script));
    return;
  }
  const esbuild = join(ROOT, 'node_modules/.bin/esbuild');
  execFileSync(esbuild, [join(ROOT, panel.entry), '--bundle', '--format=iife', '--target=chrome120', `--outfile=${join(outDir, panel.script)}`, '--log-level=warning'], {
    stdio: 'inherit',
  });
}

/**
 * The page's first script: theme variables, the acquireVsCodeApi stub, error and CSP-violation capture.
 * On `ready` the stub posts `messages`; `interaction.script` (JavaScript, with `payload.interact` the
 * --interact value and `click(element)` at hand) runs `interaction.delayMs` later, after the first render.
 * `--interact export` is handled here for both panels: every SVG/PNG/JSON/CSV export button is pressed.
 */
export function stubScript(theme: PreviewTheme, messages: unknown[], interact: string, interaction: { script: string; delayMs: number }): string {
  const payload = { variables: THEME_VARIABLES[theme], bodyClass: BODY_CLASS[theme], messages, interact };
  const json = JSON.stringify(payload).replace(/</g, '\\u003c');
  return `(() => {
  const payload = ${json};
  for (const [name, value] of Object.entries(payload.variables)) document.documentElement.style.setProperty(name, value);
  document.body.classList.add(payload.bodyClass);
  document.body.setAttribute('data-vscode-theme-kind', payload.bodyClass);
  const errors = [];
  const posted = [];
  let state;
  window.addEventListener('error', (e) => errors.push('error: ' + e.message));
  document.addEventListener('securitypolicyviolation', (e) => errors.push('CSP: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber));
  const report = () => {
    document.body.setAttribute('data-preview-errors', JSON.stringify(errors));
    document.body.setAttribute('data-preview-posted', JSON.stringify(posted.map((m) => m.kind === 'export' ? { kind: m.kind, format: m.format, name: m.suggestedName, bytes: m.data.length, head: m.data.slice(0, 40) } : m)));
    document.body.setAttribute('data-preview-state', JSON.stringify(state ?? null));
    const exports = posted.filter((m) => m.kind === 'export');
    if (exports.length > 0) {
      const holder = document.createElement('textarea');
      holder.id = 'preview-exports';
      holder.hidden = true;
      holder.textContent = JSON.stringify(exports);
      document.body.append(holder);
    }
    if (errors.length > 0) {
      const box = document.createElement('pre');
      box.className = 'preview-errors';
      box.textContent = errors.join('\\n');
      document.body.prepend(box);
    }
  };
  const click = (el) => el && el.dispatchEvent(new MouseEvent('click', { bubbles: true }));
  window.acquireVsCodeApi = () => ({
    postMessage(message) {
      posted.push(message);
      if (message.kind !== 'ready') return;
      for (const m of payload.messages) window.postMessage(m, '*');
      setTimeout(() => {
        if (payload.interact === 'export') for (const b of document.querySelectorAll('button')) if (/^(SVG|PNG|Export JSON|Export CSV)$/.test(b.textContent)) b.click();
        ${interaction.script}
      }, ${interaction.delayMs});
      setTimeout(report, 3000);
    },
    getState: () => state,
    setState: (s) => { state = s; },
  });
})();`;
}

/** Writes the panel's real HTML shell with the stub as its first script (same nonce, so the CSP allows it). */
export function writePage(file: string, title: string, panel: PreviewPanel, stub: string): void {
  const nonce = 'cHJldmlldy1ub25jZQ==';
  const html = panelHtml({ title, cspSource: 'file:', nonce, scriptUri: panel.script, styleUri: panel.styles[0]! });
  writeFileSync(file, html.replace('<script nonce=', `<script nonce="${nonce}">${stub}</script>\n<script nonce=`));
}

function chromium(extra: string[], url: string, timeoutMs = 60_000): string {
  const profile = mkdtempSync(join(tmpdir(), 'cl-chromium-'));
  try {
    const r = spawnSync(
      '/usr/bin/chromium',
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--hide-scrollbars',
        '--allow-file-access-from-files',
        `--user-data-dir=${profile}`,
        '--virtual-time-budget=6000',
        ...extra,
        url,
      ],
      { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
    );
    if (r.status !== 0) throw new Error(`chromium exited with ${r.status}: ${r.stderr.slice(-2000)}`);
    return r.stdout;
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

/** Writes what the page posted as `export` messages to files, as the host would (PNG data: URLs decoded). */
function saveExports(dom: string, dir: string): void {
  const match = /<textarea id="preview-exports" hidden="">([\s\S]*?)<\/textarea>/.exec(dom);
  if (!match) return;
  const text = match[1]!.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  const exports = JSON.parse(text) as { format: string; suggestedName: string; data: string }[];
  mkdirSync(dir, { recursive: true });
  for (const e of exports) {
    const bytes = e.format === 'png' ? Buffer.from(e.data.replace(/^data:image\/png;base64,/, ''), 'base64') : Buffer.from(e.data, 'utf8');
    writeFileSync(join(dir, e.suggestedName), bytes);
  }
  console.log(`  ${exports.length} exports written to ${dir}`);
}

/** Cuts a tall screenshot into parts of `partHeight` rows (easier to look at than one 3000-px image). */
function splitPng(file: string, partHeight: number): string[] {
  const image = PNG.sync.read(readFileSync(file));
  const parts: string[] = [];
  for (let top = 0, n = 1; top < image.height; top += partHeight, n++) {
    const h = Math.min(partHeight, image.height - top);
    const part = new PNG({ width: image.width, height: h });
    PNG.bitblt(image, part, 0, top, image.width, h, 0, 0);
    const name = file.replace(/\.png$/, `.part${n}.png`);
    writeFileSync(name, PNG.sync.write(part));
    parts.push(name);
  }
  return parts;
}

export interface PageReport {
  png: string;
  /** The screenshot's parts (--split), else none. */
  parts: string[];
  /** Script errors and CSP violations; one entry when the page never reported. */
  errors: string[];
  /** What the page posted (JSON text, exports summarised) and its saved state (JSON text). */
  posted: string;
  state: string;
}

/**
 * Screenshots a written page, then loads it again to read what it reported; its exports are written under
 * `exportsDir`. `split`: also cut the screenshot into 1100-row parts.
 */
export function inspectPage(file: string, size: { width: number; height: number }, split: boolean, exportsDir: string, timeoutMs?: number): PageReport {
  const url = `file://${file}`;
  const png = file.replace(/\.html$/, '.png');
  const windowSize = `--window-size=${size.width},${size.height}`;
  chromium([`--screenshot=${png}`, windowSize], url, timeoutMs);
  const parts = split ? splitPng(png, 1100) : [];
  const dom = chromium(['--dump-dom', windowSize], url, timeoutMs);
  const decoded = (s: string | undefined) => (s ?? 'missing').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  const errors = /data-preview-errors="([^"]*)"/.exec(dom)?.[1];
  saveExports(dom, exportsDir);
  return {
    png,
    parts,
    errors: errors === undefined ? ['the page never reported (did the bundle run?)'] : (JSON.parse(decoded(errors)) as string[]),
    posted: decoded(/data-preview-posted="([^"]*)"/.exec(dom)?.[1]),
    state: decoded(/data-preview-state="([^"]*)"/.exec(dom)?.[1]),
  };
}
