/**
 * Standalone preview of the analysis panel, outside VS Code: bundles webview/analysis/main.ts with
 * esbuild, writes the panel's real HTML shell (same CSP) plus a stub of acquireVsCodeApi that applies a
 * theme's --vscode-* variables and posts a scenario's messages, then screenshots it with headless
 * Chromium and reports script errors and CSP violations found in the page.
 *
 *   node --import tsx test/webview/preview/preview.ts [--theme dark,light,hc] [--scenario full,starting,partial,failed,notest,select,many,lowrank]
 *        [--out /tmp/collapse-lens-preview] [--width 1400] [--height 3200] [--no-shot] [--split]
 *        [--interact focus|export|select] [--use-dist] [--result .artifacts/demo-result.json]
 *
 * Exit status 1 when a page reported an error or a CSP violation.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { AnalysisResult, SquareMatrix } from '../../../src/core/result';
import { matrixRowsOrNull } from '../../../src/core/packedMatrix';
import type { HostToAnalysisPanel } from '../../../src/protocol/webview';
import { packResultMatrices } from '../../../src/core/packResultMatrices';
import { holdBackLayerMatrices } from '../../../src/extension/panels/heldMatrices';
import { displayedLayer } from '../../../webview/analysis/data/layerDetail';
import { arg, bundle, inspectPage, ROOT, stubScript, writePage, type PreviewPanel } from './harness';
import { THEME_VARIABLES, type PreviewTheme } from './themes';

const PANEL: PreviewPanel = { entry: 'webview/analysis/main.ts', script: 'analysis.js', styles: ['panel.css'] };
const SCENARIOS = ['full', 'starting', 'partial', 'failed', 'notest', 'select', 'many', 'lowrank', 'held', 'heldFailed'] as const;
type Scenario = (typeof SCENARIOS)[number];

/** The committed sample, or the result JSON named by --result (e.g. the demo's, for the README's screenshot). */
function loadSample(): AnalysisResult {
  return JSON.parse(readFileSync(arg('result', join(ROOT, 'test/webview/fixtures/sample-result.json')), 'utf8')) as AnalysisResult;
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
  const tile = (packed: SquareMatrix | null, diagonal: number): (number | null)[][] | null => {
    const m = matrixRowsOrNull(packed);
    return m ? Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => (i === j ? diagonal : (m[i % 10]![j % 10] ?? 0) * jitter(i, j)))) : null;
  };
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

/**
 * Two layers whose NC1 is low-rank (Σ_B rank 6 < K−1 = 9), the deepest of them with the lowest NC1: the
 * marks in the table, the rings on the NC1 chart, the detail chip and the summary that skips the layer.
 */
function lowRank(result: AnalysisResult): AnalysisResult {
  const copy = structuredClone(result);
  const last = copy.layers.length - 1;
  for (const index of [2, last]) {
    const train = copy.layers[index]!.metrics.train;
    train.nc1Rank = 6;
    train.nc1LowRank = true;
  }
  copy.layers[last]!.metrics.train.nc1 = 1e-3;
  return copy;
}

function messages(scenario: Scenario): HostToAnalysisPanel[] {
  const sample = loadSample();
  // A --result is labelled by its checkpoint's file name, as the extension labels a run.
  const label = process.argv.includes('--result') ? basename(sample.checkpoint.path) : 'fashion-cnn.onnx · Fashion-MNIST';
  const run = (result: AnalysisResult) => ({ runId: 'run-2025-06-01-fashion-cnn', label, result });
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
    case 'lowrank':
      return [{ kind: 'show', run: run(lowRank(sample)), complete: true }];
    case 'held':
    case 'heldFailed': {
      // K = 100, packed, its layer matrices held back by the host; the stub never answers the page's
      // request (the cards stay "loading"), or answers it with the host's reason.
      const posted = holdBackLayerMatrices(run(packResultMatrices(hundredClasses(sample))));
      const shown = displayedLayer(posted.result, null)!.name;
      const reason = 'run run-2025-06-01-fashion-cnn is no longer held by the extension (the panel shows no result now); reopen it from the Runs view';
      return [
        { kind: 'show', run: posted, complete: true },
        ...(scenario === 'heldFailed' ? [{ kind: 'layerMatrices', runId: posted.runId, layer: shown, split: 'train', error: reason } as const] : []),
      ];
    }
    case 'notest':
      return [{ kind: 'show', run: run(withoutTest(sample)), complete: true }];
    case 'starting':
      // Pass 1 under way, nothing to draw yet: the chip, the body and the bar must tell one state.
      return [{ kind: 'progress', progress: { stage: 'pass1', split: 'train', layer: '', done: 192, total: 2000, message: '' } }];
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

/**
 * Optional interaction, after the first render: keyboard focus on a chart point (tooltip and ring visible
 * in the screenshot), or a click on a chart point (`export` is the harness's own).
 */
const INTERACTION = `
        if (payload.interact === 'focus') {
          const mark = document.querySelector('[data-focus-group="chart-ncc-accuracy"] [tabindex="0"]');
          if (mark) {
            mark.focus();
            mark.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowLeft', bubbles: true }));
          }
        }
        if (payload.interact === 'select') click(document.querySelector('[data-focus-group="chart-nc1"] .cl-focus-target'));`;

function page(outDir: string, theme: PreviewTheme, scenario: Scenario, interact: string): string {
  const file = join(outDir, `${scenario}-${theme}${interact ? `-${interact}` : ''}.html`);
  writePage(file, `Preview ${scenario} ${theme}`, PANEL, stubScript(theme, messages(scenario), interact, { script: INTERACTION, delayMs: 200 }));
  return file;
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
  bundle(out, PANEL, process.argv.includes('--use-dist'));
  let failed = false;
  for (const scenario of scenarios) {
    for (const theme of themes) {
      const file = page(out, theme, scenario, interact);
      if (!shoot) {
        console.log(`wrote ${file}`);
        continue;
      }
      if (!existsSync('/usr/bin/chromium')) throw new Error('no /usr/bin/chromium: apt-get install -y chromium');
      const { png, parts, errors, posted } = inspectPage(file, { width, height }, process.argv.includes('--split'), join(out, 'exports'));
      if (errors.length > 0) failed = true;
      console.log(`${png}${parts.length > 0 ? ` (+ ${parts.length} parts)` : ''}\n  posted: ${posted}\n  errors: ${errors.length === 0 ? 'none' : errors.join(' | ')}`);
    }
  }
  process.exit(failed ? 1 : 0);
}

main();
