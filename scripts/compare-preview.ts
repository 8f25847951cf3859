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
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareResults } from '../src/core/compare/compareResult';
import { emptyTrajectory, type TrajectoryResult } from '../src/core/compare/trajectory';
import type { AnalysisResult } from '../src/core/result';
import { validateResult } from '../src/core/resultValidation';
import type { HostToComparePanel, RunView } from '../src/protocol/webview';
import { arg, bundle, inspectPage, ROOT, stubScript, writePage, type PreviewPanel } from '../test/webview/preview/harness';
import { THEME_VARIABLES, type PreviewTheme } from '../test/webview/preview/themes';

// compare.css imports panel.css (the page links one stylesheet).
const PANEL: PreviewPanel = { entry: 'webview/compare/main.ts', script: 'compare.js', styles: ['compare.css', 'panel.css'] };
const SCENARIOS = ['name', 'three', 'relative', 'mismatch', 'trajectory', 'epochs', 'watch', 'watchEmpty', 'progress', 'failed'] as const;
type Scenario = (typeof SCENARIOS)[number];
const INTERACTIONS = ['', 'hide', 'select', 'focus', 'test', 'export'] as const;

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
    case 'watch': {
      // A live watch: the first update, then one more checkpoint analysed, one deleted, one corrupt, two pending.
      const t = moreEpochs(trajectory(dir));
      const label = (e: number) => `epoch_${String(e).padStart(3, '0')}.onnx`;
      const first = { ...t, epochs: t.epochs.slice(0, 4), checkpoints: t.checkpoints.slice(0, 4) };
      return [
        { kind: 'trajectoryUpdate', trajectory: emptyTrajectory(), watch: { checkpoints: [], queued: 0, watching: true } },
        { kind: 'trajectoryUpdate', trajectory: first, watch: { checkpoints: first.epochs.map((e) => ({ epoch: e, label: label(e), state: 'analysed' as const })), queued: 4, watching: true } },
        {
          kind: 'trajectoryUpdate',
          trajectory: t,
          watch: {
            checkpoints: [
              ...t.epochs.map((e) => ({ epoch: e, label: label(e), state: e === 5 ? ('deleted' as const) : ('analysed' as const) })),
              { epoch: 300, label: label(300), state: 'corrupt', reason: 'epoch_300.onnx: the protobuf ends inside a tensor (truncated at byte 81920)' },
              { epoch: 400, label: label(400), state: 'analysing' },
              { epoch: 500, label: label(500), state: 'settling' },
            ],
            queued: 1,
            watching: true,
          },
        },
      ];
    }
    case 'watchEmpty':
      return [{ kind: 'trajectoryUpdate', trajectory: emptyTrajectory(), watch: { checkpoints: [{ epoch: 1, label: 'epoch_001.onnx', state: 'settling' }], queued: 0, watching: true } }];
    case 'progress':
      return [progress];
    case 'failed':
      return [view([run('mlp'), run('mlp_ls')]), progress, { kind: 'failed', message: 'the stored analysis "mlp_ls" could not be read' }];
  }
}

/** Optional interaction, after the first render (`export` is the harness's own). */
const INTERACTION = `
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
        if (payload.interact === 'open') click(document.querySelector('.cl-run-name button'));`;

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
  bundle(out, PANEL, process.argv.includes('--use-dist'));
  let failed = false;
  for (const scenario of scenarios) {
    const payload = messages(scenario, results);
    for (const theme of themes) {
      const file = join(out, `${scenario}-${theme}${interact ? `-${interact}` : ''}.html`);
      writePage(file, `Compare preview ${scenario} ${theme}`, PANEL, stubScript(theme, payload, interact, { script: INTERACTION, delayMs: 300 }));
      const { png, parts, errors, posted, state } = inspectPage(file, { width, height }, process.argv.includes('--split'), join(out, 'exports'), 90_000);
      if (errors.length > 0) failed = true;
      console.log(`${png}${parts.length > 0 ? ` (+ ${parts.length} parts)` : ''}\n  posted: ${posted}\n  state: ${state.length > 300 ? `${state.slice(0, 300)}…` : state}\n  errors: ${errors.length === 0 ? 'none' : errors.join(' | ')}`);
    }
  }
  process.exit(failed ? 1 : 0);
}

main();
