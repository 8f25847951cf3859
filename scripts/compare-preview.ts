/**
 * Standalone preview of the compare panel, outside VS Code: builds comparisons and a trajectory from
 * real result JSONs (analysing the fixture models with the CLI when the results are missing), bundles
 * webview/compare/main.ts with esbuild, writes the panel's real HTML shell (same CSP) with a stub of
 * acquireVsCodeApi that applies a theme and posts the scenario's messages, screenshots it with headless
 * Chromium and reports script errors and CSP violations found in the page.
 *
 *   node --import tsx scripts/compare-preview.ts [--scenario name,three,relative,mismatch,trajectory,epochs,progress,failed]
 *        [--theme dark,light,hc] [--out /tmp/collapse-lens-compare-preview] [--results /tmp/collapse-lens-results]
 *        [--width 1400] [--height 2600] [--interact hide|select|focus|test|export|open] [--split] [--use-dist]
 *
 * Exit status 1 when a page reported an error or a CSP violation.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PNG } from 'pngjs';
import { compareResults } from '../src/core/compare/compareResult';
import type { TrajectoryResult } from '../src/core/compare/trajectory';
import { validateResult, type AnalysisResult } from '../src/core/result';
import type { HostToComparePanel, RunView } from '../src/protocol/webview';
import { panelHtml } from '../src/extension/panels/panelHtml';
import { BODY_CLASS, THEME_VARIABLES, type PreviewTheme } from '../test/webview/preview/themes';

const ROOT = resolve(__dirname, '..');
const SCENARIOS = ['name', 'three', 'relative', 'mismatch', 'trajectory', 'epochs', 'progress', 'failed'] as const;
type Scenario = (typeof SCENARIOS)[number];
const INTERACTIONS = ['', 'hide', 'select', 'focus', 'test', 'export'] as const;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const CLI = ['--import', 'tsx', join(ROOT, 'src/engine/main.ts')];
const DATA = ['--train', join(ROOT, 'test/fixtures/fashion'), '--test', join(ROOT, 'test/fixtures/fashion')];

/** A fixture model's result, analysed once by the CLI and cached in the results folder. */
function result(dir: string, model: string): AnalysisResult {
  const file = join(dir, `${model}.json`);
  if (!existsSync(file)) {
    console.log(`analysing ${model}.onnx …`);
    execFileSync(process.execPath, [...CLI, 'analyze', join(ROOT, `test/fixtures/models/${model}.onnx`), ...DATA, '--out', file, '-q'], { stdio: 'ignore' });
  }
  return validateResult(JSON.parse(readFileSync(file, 'utf8')) as unknown, file);
}

/** A two-checkpoint trajectory by the CLI: mlp_early as epoch 1, mlp as epoch 200. */
function trajectory(dir: string): TrajectoryResult {
  const file = join(dir, 'trajectory.json');
  if (!existsSync(file)) {
    const folder = join(dir, 'epochs');
    mkdirSync(folder, { recursive: true });
    copyFileSync(join(ROOT, 'test/fixtures/models/mlp_early.onnx'), join(folder, 'epoch_001.onnx'));
    copyFileSync(join(ROOT, 'test/fixtures/models/mlp.onnx'), join(folder, 'epoch_200.onnx'));
    console.log('analysing the trajectory …');
    execFileSync(process.execPath, [...CLI, 'trajectory', folder, ...DATA, '--out', file], { stdio: 'ignore' });
  }
  return JSON.parse(readFileSync(file, 'utf8')) as TrajectoryResult;
}

/**
 * More epochs for a layout check (log axis, many points): the real epoch-1 and epoch-200 numbers with
 * geometric interpolation between them. The in-between values are made up; only the drawing is checked.
 */
function moreEpochs(t: TrajectoryResult): TrajectoryResult {
  const epochs = [1, 2, 5, 10, 20, 50, 100, 200];
  const at = (a: number | null, b: number | null, f: number): number | null => {
    if (a === null || b === null) return null;
    return a > 0 && b > 0 ? a * (b / a) ** f : a + (b - a) * f;
  };
  const f = (e: number) => Math.log(e) / Math.log(200);
  const stretch = (v: (number | null)[]) => epochs.map((e) => at(v[0] ?? null, v[v.length - 1] ?? null, f(e)));
  const copy = structuredClone(t);
  copy.epochs = epochs;
  copy.checkpoints = epochs.map((e) => t.checkpoints[0]!.replace(/epoch_\d+/, `epoch_${String(e).padStart(3, '0')}`));
  for (const layer of Object.values(copy.series)) for (const m of Object.values(layer)) {
    m.train = stretch(m.train);
    if (m.test) m.test = stretch(m.test);
  }
  copy.classifier = { nc3: stretch(t.classifier.nc3), nc4Train: stretch(t.classifier.nc4Train), nc4Test: stretch(t.classifier.nc4Test) };
  copy.summaries = epochs.map((e, i) => ({ ...(i === epochs.length - 1 ? t.summaries[t.summaries.length - 1]! : t.summaries[0]!), label: `epoch ${e}`, checkpoint: copy.checkpoints[i]! }));
  const last = t.summaries[t.summaries.length - 1]!;
  copy.summaries[epochs.length - 1] = { ...last, label: 'epoch 200' };
  return copy;
}

function view(runs: RunView[], allowMismatch = false): HostToComparePanel {
  return { kind: 'compare', view: { runs, comparison: compareResults(runs.map((r) => r.result), runs.map((r) => r.label), allowMismatch) } };
}

function messages(scenario: Scenario, dir: string): HostToComparePanel[] {
  const run = (model: string, id = model): RunView => ({ runId: `run-${id}`, label: model, result: result(dir, model) });
  const progress: HostToComparePanel = {
    kind: 'progress',
    label: 'mlp_ls.onnx (2/2)',
    progress: { stage: 'pass2', split: 'train', layer: '/relu2/Relu_output_0', done: 1200, total: 2000, message: '' },
  };
  switch (scenario) {
    case 'name':
      return [view([run('mlp'), run('mlp_ls')])];
    case 'three':
      return [view([run('mlp_early'), run('mlp'), run('mlp_ls')])];
    case 'relative':
      return [view([run('cnn'), run('mlp')])];
    case 'mismatch': {
      const other = run('mlp_ls');
      const moved = structuredClone(other.result);
      moved.dataset.test = { ...moved.dataset.test!, source: '/data/fashion-other/t10k', fingerprint: 'different' };
      moved.dataset.preprocessing = { ...moved.dataset.preprocessing, scale: 1 };
      return [view([run('mlp'), { ...other, result: moved }], true)];
    }
    case 'trajectory':
      return [{ kind: 'trajectory', trajectory: trajectory(dir) }];
    case 'epochs':
      return [{ kind: 'trajectory', trajectory: moreEpochs(trajectory(dir)) }];
    case 'progress':
      return [progress];
    case 'failed':
      return [view([run('mlp'), run('mlp_ls')]), progress, { kind: 'failed', message: 'the stored analysis "mlp_ls" could not be read' }];
  }
}

/** The page's first script: theme variables, the acquireVsCodeApi stub, error and CSP-violation capture. */
function stubScript(theme: PreviewTheme, payloadMessages: HostToComparePanel[], interact: string): string {
  const payload = { variables: THEME_VARIABLES[theme], bodyClass: BODY_CLASS[theme], messages: payloadMessages, interact };
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
    document.body.setAttribute('data-preview-posted', JSON.stringify(posted.map((m) => m.kind === 'export' ? { kind: m.kind, format: m.format, name: m.suggestedName, bytes: m.data.length } : m)));
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
      box.textContent = errors.join('\\n');
      document.body.prepend(box);
    }
  };
  window.acquireVsCodeApi = () => ({
    postMessage(message) {
      posted.push(message);
      if (message.kind !== 'ready') return;
      for (const m of payload.messages) window.postMessage(m, '*');
      setTimeout(() => {
        const click = (el) => el && el.dispatchEvent(new MouseEvent('click', { bubbles: true }));
        if (payload.interact === 'hide') click(document.querySelector('.cl-legend-item'));
        if (payload.interact === 'select') click(document.querySelector('.cl-differences-table tbody tr'));
        if (payload.interact === 'test') click([...document.querySelectorAll('.cl-segment')].find((b) => b.textContent === 'Held-out split'));
        if (payload.interact === 'focus') {
          const mark = document.querySelector('[data-focus-group="chart-nc1"] [tabindex="0"]') || document.querySelector('[data-focus-group="chart-nc1-epochs"] [tabindex="0"]');
          if (mark) {
            mark.focus();
            mark.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
            mark.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
          }
        }
        if (payload.interact === 'export') for (const b of document.querySelectorAll('button')) if (/^(SVG|PNG|Export JSON|Export CSV)$/.test(b.textContent)) b.click();
        if (payload.interact === 'open') click(document.querySelector('.cl-run-name button'));
      }, 300);
      setTimeout(() => { document.body.setAttribute('data-preview-state', JSON.stringify(state ?? null)); report(); }, 3000);
    },
    getState: () => state,
    setState: (s) => { state = s; },
  });
})();`;
}

function bundle(outDir: string, useDist: boolean): void {
  copyFileSync(join(ROOT, 'media/panel.css'), join(outDir, 'panel.css'));
  copyFileSync(join(ROOT, 'media/compare.css'), join(outDir, 'compare.css'));
  if (useDist) {
    // The production bundle webpack wrote, to check it under the same CSP.
    const built = join(ROOT, 'dist/webview/compare.js');
    if (!existsSync(built)) throw new Error(`--use-dist: ${built} does not exist (run the webpack build first)`);
    copyFileSync(built, join(outDir, 'compare.js'));
    return;
  }
  const esbuild = join(ROOT, 'node_modules/.bin/esbuild');
  execFileSync(esbuild, [join(ROOT, 'webview/compare/main.ts'), '--bundle', '--format=iife', '--target=chrome120', `--outfile=${join(outDir, 'compare.js')}`, '--log-level=warning'], { stdio: 'inherit' });
}

function chromium(extra: string[], url: string): string {
  const profile = mkdtempSync(join(tmpdir(), 'cl-chromium-'));
  try {
    const r = spawnSync(
      '/usr/bin/chromium',
      ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--hide-scrollbars', '--allow-file-access-from-files', `--user-data-dir=${profile}`, '--virtual-time-budget=6000', ...extra, url],
      { encoding: 'utf8', timeout: 90_000, maxBuffer: 64 * 1024 * 1024 },
    );
    if (r.status !== 0) throw new Error(`chromium exited with ${r.status}: ${r.stderr.slice(-2000)}`);
    return r.stdout;
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

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

function main(): void {
  const themes = arg('theme', 'dark,light').split(',') as PreviewTheme[];
  const scenarios = arg('scenario', 'name,relative,trajectory').split(',') as Scenario[];
  const out = arg('out', join(tmpdir(), 'collapse-lens-compare-preview'));
  const results = arg('results', join(tmpdir(), 'collapse-lens-results'));
  const width = Number(arg('width', '1400'));
  const height = Number(arg('height', '2600'));
  const interact = arg('interact', '');
  if (!(INTERACTIONS as readonly string[]).includes(interact) && interact !== 'open') throw new Error(`--interact: unknown "${interact}" (${INTERACTIONS.join(', ')}, open)`);
  for (const t of themes) if (!(t in THEME_VARIABLES)) throw new Error(`--theme: unknown theme "${t}" (dark, light, hc)`);
  for (const s of scenarios) if (!SCENARIOS.includes(s)) throw new Error(`--scenario: unknown scenario "${s}" (${SCENARIOS.join(', ')})`);
  if (!existsSync('/usr/bin/chromium')) throw new Error('no /usr/bin/chromium: apt-get install -y chromium');
  mkdirSync(out, { recursive: true });
  mkdirSync(results, { recursive: true });
  bundle(out, process.argv.includes('--use-dist'));
  let failed = false;
  for (const scenario of scenarios) {
    const payload = messages(scenario, results);
    for (const theme of themes) {
      const nonce = 'cHJldmlldy1ub25jZQ==';
      const html = panelHtml({ title: `Compare preview ${scenario} ${theme}`, cspSource: 'file:', nonce, scriptUri: 'compare.js', styleUri: 'compare.css' });
      const file = join(out, `${scenario}-${theme}${interact ? `-${interact}` : ''}.html`);
      writeFileSync(file, html.replace('<script nonce=', `<script nonce="${nonce}">${stubScript(theme, payload, interact)}</script>\n<script nonce=`));
      const url = `file://${file}`;
      const png = file.replace(/\.html$/, '.png');
      chromium([`--screenshot=${png}`, `--window-size=${width},${height}`], url);
      const parts = process.argv.includes('--split') ? splitPng(png, 1100) : [];
      const dom = chromium(['--dump-dom', `--window-size=${width},${height}`], url);
      const decoded = (s: string | undefined) => (s ?? 'missing').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
      const errors = /data-preview-errors="([^"]*)"/.exec(dom)?.[1];
      const posted = /data-preview-posted="([^"]*)"/.exec(dom)?.[1];
      const state = /data-preview-state="([^"]*)"/.exec(dom)?.[1];
      saveExports(dom, join(out, 'exports'));
      const errorList = errors === undefined ? ['the page never reported (did the bundle run?)'] : (JSON.parse(decoded(errors)) as string[]);
      if (errorList.length > 0) failed = true;
      const stateText = decoded(state);
      console.log(`${png}${parts.length > 0 ? ` (+ ${parts.length} parts)` : ''}\n  posted: ${decoded(posted)}\n  state: ${stateText.length > 300 ? `${stateText.slice(0, 300)}…` : stateText}\n  errors: ${errorList.length === 0 ? 'none' : errorList.join(' | ')}`);
    }
  }
  process.exit(failed ? 1 : 0);
}

main();
