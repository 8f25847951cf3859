import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AnalysisResult } from '../../../src/core/result';
import { validateResult } from '../../../src/core/resultValidation';
import { writeNpz } from '../dataset/helpers/writers';
import { cliProcess } from '../helpers/cliRuns';
import type { CompareResult, TrajectoryResult } from '../../../src/core/compare';

const ROOT = join(__dirname, '..', '..', '..');
const MODELS = join(ROOT, 'test', 'fixtures', 'models');
const DATA = join(ROOT, 'test', 'fixtures', 'fashion');

const cli = cliProcess;

const work = mkdtempSync(join(tmpdir(), 'collapse-lens-cli-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const read = <T>(p: string): T => JSON.parse(readFileSync(p, 'utf8')) as T;

function analyze(model: string, out: string, ...extra: string[]): AnalysisResult {
  const r = cli('analyze', join(MODELS, model), '--train', DATA, '--test', DATA, '--per-class', '50', '--quiet', '--out', out, ...extra);
  assert.equal(r.code, 0, r.stderr);
  // What the CLI writes must pass the check every reader applies.
  return validateResult(read<unknown>(out), out);
}

test('argument errors are one clear line with exit code 2', () => {
  const cases: [string[], RegExp][] = [
    [['analyze', join(MODELS, 'mlp.onnx')], /^collapse-lens analyze: analyze needs --train <dataset>/],
    [['analyze', join(MODELS, 'mlp.onnx'), '--train', DATA, '--per-class', 'abc'], /^collapse-lens analyze: --per-class: expected a whole number ≥ 1, got "abc"$/m],
    [['analyze', join(MODELS, 'mlp.onnx'), '--train', DATA, '--provider', 'tpu'], /--provider: expected one of auto, cpu, cuda, got "tpu"/],
    [['analyze', join(MODELS, 'mlp.onnx'), '--train', DATA, '--per-clas', '5'], /^collapse-lens analyze: unknown option --per-clas \(did you mean --per-class\?\)$/m],
    [['compare', 'only-one.json'], /compare needs at least two result files/],
    [['frobnicate'], /unknown command frobnicate/],
  ];
  for (const [args, message] of cases) {
    const r = cli(...args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split('\n').length, 1, `one line for ${args.join(' ')}: ${r.stderr}`);
  }
});

test('a missing file and a model.json that is not TF.js fail with the file named, exit 1, no stack', () => {
  const missing = cli('analyze', join(work, 'nope.onnx'), '--train', DATA, '--quiet');
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr, `collapse-lens analyze: ${join(work, 'nope.onnx')}: no such file or directory\n`);
  const fake = join(work, 'model.json');
  writeFileSync(fake, JSON.stringify({ name: 'my-package', version: '1.0.0' }));
  const notTfjs = cli('layers', fake);
  assert.equal(notTfjs.code, 1);
  assert.match(notTfjs.stderr, /model\.json: not a TF\.js model: it has no "modelTopology" field/);
  assert.doesNotMatch(notTfjs.stderr, /\n\s+at /);
});

test('layers lists the probes and names the classifier', () => {
  const r = cli('layers', join(MODELS, 'cnn.onnx'));
  assert.equal(r.code, 0, r.stderr);
  // The residual block is probed once, at the ReLU after its Add; the Add itself is listed, not a default.
  assert.match(r.stdout, /^\*\s+\d+\s+\/block\/relu_out\/Relu_output_0\s+Relu\s+16x14x14$/m);
  assert.match(r.stdout, /^ \s+\d+\s+\/block\/add\/Add_output_0\s+Add\s+16x14x14$/m);
  assert.match(r.stdout, /: \d+ layers, 9 probed by default/);
  assert.match(r.stdout, /^\* = a default probe \(--layers auto\): one per block/m);
  assert.match(r.stdout, /classifier: \/relu_fc\/Relu_output_0 -> logits \(Gemm/);
});

test('compare aligns same-architecture runs by name, different ones by relative depth, and refuses other data', () => {
  const a = join(work, 'mlp.json');
  const b = join(work, 'mlp_ls.json');
  const c = join(work, 'cnn.json');
  const mlp = analyze('mlp.onnx', a);
  const ls = analyze('mlp_ls.onnx', b);
  analyze('cnn.onnx', c);

  const byName = join(work, 'cmp.json');
  const r = cli('compare', a, b, '--labels', 'cross-entropy,label-smoothing', '--out', byName);
  assert.equal(r.code, 0, r.stderr);
  const cmp = read<CompareResult>(byName);
  assert.equal(cmp.schema, 'collapse-lens/compare@1');
  assert.equal(cmp.alignment, 'name');
  assert.deepEqual(cmp.rows.map((row) => row.key), mlp.layers.map((l) => l.name));
  // The change is the second run against the first, on the training split, log10 for NC1.
  for (const row of cmp.rows) {
    const nc1a = mlp.layers.find((l) => l.name === row.key)?.metrics.train.nc1 as number;
    const nc1b = ls.layers.find((l) => l.name === row.key)?.metrics.train.nc1 as number;
    assert.ok(Math.abs((row.change.nc1 as number) - Math.log10(nc1b / nc1a)) < 1e-12);
  }
  assert.ok(cmp.largestChanges[0].score >= cmp.largestChanges[cmp.largestChanges.length - 1].score);
  // Label smoothing collapses the penultimate layer more than cross-entropy (fixture reference: 0.043 vs 0.319).
  assert.ok((cmp.runs[1].summary.penultimateNc1 as number) < (cmp.runs[0].summary.penultimateNc1 as number));
  assert.match(r.stdout, /cross-entropy vs label-smoothing: layers aligned by name/);

  const relative = join(work, 'rel.json');
  assert.equal(cli('compare', a, c, '--out', relative).code, 0);
  const rel = read<CompareResult>(relative);
  assert.equal(rel.alignment, 'relative-depth');
  assert.equal(rel.rows.length, mlp.layers.length);
  assert.equal(rel.rows[rel.rows.length - 1].cells[1]?.layer, 'logits');

  const other = join(work, 'mlp-all.json');
  analyze('mlp.onnx', other, '--per-class', '20');
  const refused = cli('compare', a, other);
  assert.equal(refused.code, 1, 'runs on different data: the input is refused, the command line was fine');
  assert.match(refused.stderr, /not made on the same data: .*(sample counts differ|preprocessing differs)/);
  assert.equal(cli('compare', a, other, '--allow-mismatch', '--out', join(work, 'forced.json')).code, 0);
  assert.ok(read<CompareResult>(join(work, 'forced.json')).warnings.length > 0);
});

test('trajectory reads epochs from file names and lays each metric against epoch', () => {
  const folder = join(work, 'run');
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder);
  copyFileSync(join(MODELS, 'mlp_early.onnx'), join(folder, 'epoch_002.onnx'));
  copyFileSync(join(MODELS, 'mlp.onnx'), join(folder, 'epoch_300.onnx'));
  const out = join(work, 'traj.json');
  const r = cli('trajectory', folder, '--train', DATA, '--test', DATA, '--per-class', '50', '--quiet', '--out', out);
  assert.equal(r.code, 0, r.stderr);
  const t = read<TrajectoryResult>(out);
  assert.deepEqual(t.epochs, [2, 300]);
  const penultimate = t.series['/relu3/Relu_output_0'].nc1.train as number[];
  // The terminal phase collapses the penultimate layer (fixture reference: 5.5 at epoch 2, 0.32 at 300).
  assert.ok(penultimate[1] < penultimate[0] / 5, `NC1 ${penultimate.join(' -> ')}`);
  assert.equal(t.series['/relu3/Relu_output_0'].nccAccuracy.test?.length, 2);
});

test('metrics: a training file lacking a class fails naming it (exit 1, bad input); a held-out file lacking one warns on stderr', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cl-cli-metrics-'));
  try {
    const N = 30;
    const h = Float32Array.from({ length: N * 4 }, (_, i) => ((i % 4) === (Math.floor(i / 4) % 3) ? 2 : 0) + Math.sin(i));
    const labels = BigInt64Array.from({ length: N }, (_, i) => BigInt(i % 3));
    const train = writeNpz(join(dir, 'train.npz'), { labels: { data: labels, shape: [N] }, h: { data: h, shape: [N, 4] } });
    const sparse = writeNpz(join(dir, 'sparse.npz'), { labels: { data: labels.map((y) => (y === 2n ? 5n : y)), shape: [N] }, h: { data: h, shape: [N, 4] } });
    const refused = cli('metrics', sparse);
    assert.equal(refused.code, 1, refused.stderr);
    assert.match(refused.stderr, /sparse\.npz: classes 2, 3, 4 have no samples \(3 of the 6 classes have some\).*K = 6 is the largest label \+ 1/);
    const twoClasses = writeNpz(join(dir, 'test.npz'), { labels: { data: labels.subarray(0, 2), shape: [2] }, h: { data: h.subarray(0, 8), shape: [2, 4] } });
    const warned = cli('metrics', train, '--test', twoClasses, '--quiet');
    assert.equal(warned.code, 0, warned.stderr);
    assert.match(warned.stderr, /^warning: .*test\.npz: no test samples for class\(es\) 2: the held-out metrics that need every class are null/m);
    const result = JSON.parse(warned.stdout) as AnalysisResult;
    assert.equal(result.layers[0]!.metrics.test!.nc1, null);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
