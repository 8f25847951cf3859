/**
 * Standalone preview of the analysis panel, outside VS Code: bundles webview/analysis/main.ts with
 * esbuild, writes the panel's real HTML shell (same CSP) plus a stub of acquireVsCodeApi that applies a
 * theme's --vscode-* variables and posts a scenario's messages, then screenshots it with headless
 * Chromium and reports script errors and CSP violations found in the page.
 *
 *   node --import tsx test/webview/preview/preview.ts [--theme dark,light,hc] [--scenario full,partial,failed,notest,select]
 *        [--out /tmp/collapse-lens-preview] [--width 1400] [--height 3200] [--no-shot] [--split]
 *        [--interact focus|export|select] [--use-dist]
 *
 * Exit status 1 when a page reported an error or a CSP violation.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PNG } from 'pngjs';
import type { AnalysisResult } from '../../../src/core/result';
import type { HostToAnalysisPanel } from '../../../src/protocol/webview';
import { panelHtml } from '../../../src/extension/panels/panelHtml';
import { BODY_CLASS, THEME_VARIABLES, type PreviewTheme } from './themes';

const ROOT = resolve(__dirname, '../../..');
const SCENARIOS = ['full', 'partial', 'failed', 'notest', 'select', 'many'] as const;
type Scenario = (typeof SCENARIOS)[number];

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

function loadSample(): AnalysisResult {
  return JSON.parse(readFileSync(join(ROOT, 'test/webview/fixtures/sample-result.json'), 'utf8')) as AnalysisResult;
}

function withoutTest(result: AnalysisResult): AnalysisResult {
  const copy = structuredClone(result);
  delete copy.splits.test;
  delete copy.dataset.test;
  for (const layer of copy.layers) delete layer.metrics.test;
  if (copy.classifier) delete copy.classifier.nc4.test;
  return copy;
}

function partial(result: AnalysisResult, layers: number): AnalysisResult {
  const copy = structuredClone(result);
  copy.layers = copy.layers.slice(0, layers);
  const inside = copy.layers.some((l) => l.name === copy.effectiveDepth.layer);
  if (!inside) copy.effectiveDepth = { ...copy.effectiveDepth, layer: null, depth: null };
  return copy;
}

/**
 * A 100-class layout check (CIFAR-100 sized): the sample's 10 x 10 matrices tiled with a little jitter.
 * The numbers do not agree with each other; only the panel's layout at K = 100 is being looked at.
 */
function hundredClasses(result: AnalysisResult): AnalysisResult {
  const copy = structuredClone(result);
  const k = 100;
  const jitter = (i: number, j: number): number => 1 + 0.15 * Math.sin(i * 12.9898 + j * 78.233);
  const tile = (m: (number | null)[][] | null, diagonal: number): (number | null)[][] | null =>
    m ? Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => (i === j ? diagonal : (m[i % 10]![j % 10] ?? 0) * jitter(i, j)))) : null;
  copy.classes = { count: k, names: Array.from({ length: k }, (_, i) => `class-${String(i).padStart(2, '0')}`) };
  for (const layer of copy.layers) {
    for (const m of Object.values(layer.metrics)) {
      m.meanCosines = tile(m.meanCosines, 1);
      m.cdnvMatrix = tile(m.cdnvMatrix, 0);
      m.classVariability = m.classVariability ? Array.from({ length: k }, (_, i) => (m.classVariability![i % 10] ?? 0) * jitter(i, 0)) : null;
      m.meanNorms = m.meanNorms ? Array.from({ length: k }, (_, i) => m.meanNorms![i % 10] ?? 0) : null;
      if (m.projection) {
        const means = m.projection.means;
        m.projection = {
          means: Array.from({ length: k }, (_, i): [number, number] => [means[i % 10]![0] * jitter(i, 1), means[i % 10]![1] * jitter(i, 2)]),
          points: (m.projection.points ?? []).map((p, n) => ({ ...p, label: p.label + 10 * (n % 10) })),
        };
      }
    }
  }
  return copy;
}

function messages(scenario: Scenario): HostToAnalysisPanel[] {
  const sample = loadSample();
  const run = (result: AnalysisResult) => ({ runId: 'run-2025-06-01-fashion-cnn', label: 'fashion-cnn.onnx · Fashion-MNIST', result });
  const progress: HostToAnalysisPanel = {
    kind: 'progress',
    progress: { stage: 'pass2', split: 'train', layer: sample.layers[4]!.name, done: 1200, total: 2000, message: '' },
  };
  switch (scenario) {
    case 'full':
      return [{ kind: 'show', run: run(sample), complete: true }];
    case 'select':
      return [
        { kind: 'show', run: run(sample), complete: true },
        { kind: 'selectLayer', layer: sample.layers[1]!.name },
      ];
    case 'many':
      return [{ kind: 'show', run: run(hundredClasses(sample)), complete: true }];
    case 'notest':
      return [{ kind: 'show', run: run(withoutTest(sample)), complete: true }];
    case 'partial':
      return [{ kind: 'show', run: run(partial(sample, 4)), complete: false }, progress];
    case 'failed':
      return [
        { kind: 'show', run: run(partial(sample, 4)), complete: false },
        progress,
        { kind: 'failed', message: "onnxruntime: Non-zero status code returned while running Gemm node. Name:'/fc1/Gemm' Status Message: out of memory" },
      ];
  }
}

/** The page's first script: theme variables, the acquireVsCodeApi stub, error and CSP-violation capture. */
function stubScript(theme: PreviewTheme, scenario: Scenario, interact: string): string {
  const payload = {
    variables: THEME_VARIABLES[theme],
    bodyClass: BODY_CLASS[theme],
    messages: messages(scenario),
    interact,
  };
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
  window.acquireVsCodeApi = () => ({
    postMessage(message) {
      posted.push(message);
      if (message.kind === 'ready') {
        for (const m of payload.messages) window.postMessage(m, '*');
        // Optional interaction, after the first render: keyboard focus on a chart point (tooltip and ring
        // visible in the screenshot), or every export button pressed (the posted messages are reported).
        setTimeout(() => {
          if (payload.interact === 'focus') {
            const mark = document.querySelector('[data-focus-group="chart-ncc-accuracy"] [tabindex="0"]');
            if (mark) {
              mark.focus();
              mark.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowLeft', bubbles: true }));
            }
          }
          if (payload.interact === 'export') {
            for (const b of document.querySelectorAll('button')) if (/^(SVG|PNG|Export JSON|Export CSV)$/.test(b.textContent)) b.click();
          }
          if (payload.interact === 'select') {
            const mark = document.querySelector('[data-focus-group="chart-nc1"] .cl-focus-target');
            if (mark) mark.dispatchEvent(new MouseEvent('click', { bubbles: true }));
          }
        }, 200);
        setTimeout(report, 3000);
      }
    },
    getState: () => state,
    setState: (s) => { state = s; },
  });
})();`;
}

function bundle(outDir: string, useDist: boolean): void {
  copyFileSync(join(ROOT, 'media/panel.css'), join(outDir, 'panel.css'));
  if (useDist) {
    // The production bundle webpack wrote (npm run build), to check it under the same CSP.
    const built = join(ROOT, 'dist/webview/analysis.js');
    if (!existsSync(built)) throw new Error(`--use-dist: ${built} does not exist (run the webpack build first)`);
    copyFileSync(built, join(outDir, 'analysis.js'));
    return;
  }
  const esbuild = join(ROOT, 'node_modules/.bin/esbuild');
  execFileSync(esbuild, [join(ROOT, 'webview/analysis/main.ts'), '--bundle', '--format=iife', '--target=chrome120', `--outfile=${join(outDir, 'analysis.js')}`, '--log-level=warning'], {
    stdio: 'inherit',
  });
}

function page(outDir: string, theme: PreviewTheme, scenario: Scenario, interact: string): string {
  const nonce = 'cHJldmlldy1ub25jZQ==';
  const html = panelHtml({ title: `Preview ${scenario} ${theme}`, cspSource: 'file:', nonce, scriptUri: 'analysis.js', styleUri: 'panel.css' });
  const withStub = html.replace('<script nonce=', `<script nonce="${nonce}">${stubScript(theme, scenario, interact)}</script>\n<script nonce=`);
  const file = join(outDir, `${scenario}-${theme}${interact ? `-${interact}` : ''}.html`);
  writeFileSync(file, withStub);
  return file;
}

function chromium(extra: string[], url: string): string {
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
      { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
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

function main(): void {
  const themes = arg('theme', 'dark,light,hc').split(',') as PreviewTheme[];
  const scenarios = arg('scenario', 'full').split(',') as Scenario[];
  const out = arg('out', join(tmpdir(), 'collapse-lens-preview'));
  const width = Number(arg('width', '1400'));
  const height = Number(arg('height', '3200'));
  const shoot = !process.argv.includes('--no-shot');
  const interact = arg('interact', '');
  if (!['', 'focus', 'export', 'select'].includes(interact)) throw new Error(`--interact: unknown "${interact}" (focus, export, select)`);
  for (const t of themes) if (!(t in THEME_VARIABLES)) throw new Error(`--theme: unknown theme "${t}" (dark, light, hc)`);
  for (const s of scenarios) if (!SCENARIOS.includes(s)) throw new Error(`--scenario: unknown scenario "${s}" (${SCENARIOS.join(', ')})`);
  mkdirSync(out, { recursive: true });
  bundle(out, process.argv.includes('--use-dist'));
  let failed = false;
  for (const scenario of scenarios) {
    for (const theme of themes) {
      const file = page(out, theme, scenario, interact);
      if (!shoot) {
        console.log(`wrote ${file}`);
        continue;
      }
      if (!existsSync('/usr/bin/chromium')) throw new Error('no /usr/bin/chromium: apt-get install -y chromium');
      const url = `file://${file}`;
      const png = file.replace(/\.html$/, '.png');
      chromium([`--screenshot=${png}`, `--window-size=${width},${height}`], url);
      const parts = process.argv.includes('--split') ? splitPng(png, 1100) : [];
      const dom = chromium(['--dump-dom', `--window-size=${width},${height}`], url);
      const errors = /data-preview-errors="([^"]*)"/.exec(dom)?.[1];
      const posted = /data-preview-posted="([^"]*)"/.exec(dom)?.[1];
      const decoded = (s: string | undefined) => (s ?? 'missing').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
      saveExports(dom, join(out, 'exports'));
      const errorList = errors === undefined ? ['the page never reported (did the bundle run?)'] : (JSON.parse(decoded(errors)) as string[]);
      if (errorList.length > 0) failed = true;
      console.log(`${png}${parts.length > 0 ? ` (+ ${parts.length} parts)` : ''}\n  posted: ${decoded(posted)}\n  errors: ${errorList.length === 0 ? 'none' : errorList.join(' | ')}`);
    }
  }
  process.exit(failed ? 1 : 0);
}

main();
