/**
 * One phrasing per fault across the CLI's commands, and one exit-code scheme: 2 when the command line
 * is wrong (nothing was read), 1 when an input or the analysis failed. Run in-process (runCli) so the
 * whole table stays quick; cli.test.ts runs the real binary.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliInProcess } from '../helpers/cliRuns';
import { buildAnalyzeRequest } from '../../../src/engine/cli/commands/analyze';
import { syntheticResult } from '../helpers/syntheticResult';
import { FASHION_SLICE, MODELS_DIR, modelPath } from '../pipeline/helpers/paths';
import { withTempDir } from '../dataset/helpers/writers';

const cli = cliInProcess;

const FEATURES = join(MODELS_DIR, 'mlp_features.npz');

test('a missing file reads "<path>: no such file or directory" and exits 1, whichever command meets it', async () => {
  await withTempDir('cli-missing', async (dir) => {
    const gone = (name: string) => join(dir, name);
    const result = join(dir, 'real.json');
    writeFileSync(result, JSON.stringify(syntheticResult({ layers: [{ name: 'a', nc1: 1, ncc: 0.5 }] })));
    const cases: [string[], string, string][] = [
      [['analyze', gone('model.onnx'), '--train', FASHION_SLICE, '--quiet'], 'analyze', gone('model.onnx')],
      [['analyze', modelPath('mlp'), '--train', gone('data'), '--quiet'], 'analyze', gone('data')],
      [['layers', gone('model.onnx')], 'layers', gone('model.onnx')],
      [['layers', gone('model.json')], 'layers', gone('model.json')],
      [['metrics', gone('features.npz'), '--quiet'], 'metrics', gone('features.npz')],
      [['metrics', FEATURES, '--test', gone('test.npz'), '--quiet'], 'metrics', gone('test.npz')],
      [['compare', result, gone('other.json')], 'compare', gone('other.json')],
      [['trajectory', gone('run'), '--train', FASHION_SLICE, '--quiet'], 'trajectory', gone('run')],
      [['watch', gone('run'), '--train', FASHION_SLICE, '--quiet', '--exit-when-idle', '--out', gone('t.json')], 'watch', gone('run')],
    ];
    for (const [args, command, path] of cases) {
      const r = await cli(...args);
      assert.equal(r.stderr, `collapse-lens ${command}: ${path}: no such file or directory\n`, args.join(' '));
      assert.equal(r.code, 1, args.join(' '));
    }
  });
});

test('an unknown option is one line naming it, with the closest known option, and exits 2', async () => {
  const cases: [string[], string][] = [
    [['analyze', modelPath('mlp'), '--train', FASHION_SLICE, '--per-clas', '20'], 'collapse-lens analyze: unknown option --per-clas (did you mean --per-class?)'],
    [['analyze', modelPath('mlp'), '--train', FASHION_SLICE, '--frobnicate'], 'collapse-lens analyze: unknown option --frobnicate'],
    [['analyze', modelPath('mlp'), '--train', FASHION_SLICE, '-x'], 'collapse-lens analyze: unknown option -x'],
    [['layers', modelPath('mlp'), '--jsno'], 'collapse-lens layers: unknown option --jsno (did you mean --json?)'],
    [['metrics', FEATURES, '--epsilom', '0.1'], 'collapse-lens metrics: unknown option --epsilom (did you mean --epsilon?)'],
    [['compare', 'a.json', 'b.json', '--lables', 'x,y'], 'collapse-lens compare: unknown option --lables (did you mean --labels?)'],
    // Before the folder is read: a typo is reported even when the folder is also wrong.
    [['trajectory', '/no/such/run', '--train', FASHION_SLICE, '--batch-sise', '8'], 'collapse-lens trajectory: unknown option --batch-sise (did you mean --batch-size?)'],
    [['watch', '/no/such/run', '--train', FASHION_SLICE, '--pol-ms', '8'], 'collapse-lens watch: unknown option --pol-ms (did you mean --poll-ms?)'],
  ];
  for (const [args, line] of cases) {
    const r = await cli(...args);
    assert.equal(r.stderr, `${line}\n`, args.join(' '));
    assert.equal(r.code, 2, args.join(' '));
  }
});

test('flag values that are not what they must be are refused by name, exit 2, before anything is read', async () => {
  const model = join('/no/such', 'model.onnx');
  const analyze = (...flags: string[]) => ['analyze', model, '--train', FASHION_SLICE, ...flags];
  const cases: [string[], string][] = [
    [analyze('--per-class', '0x14'), '--per-class: expected a whole number ≥ 1, got "0x14"'],
    [analyze('--per-class', ''), '--per-class: expected a whole number ≥ 1, got ""'],
    [analyze('--per-class', ' 20'), '--per-class: expected a whole number ≥ 1, got " 20"'],
    [analyze('--per-class', '20abc'), '--per-class: expected a whole number ≥ 1, got "20abc"'],
    [analyze('--per-class', '2.5'), '--per-class: expected a whole number ≥ 1, got "2.5"'],
    [analyze('--per-class', '1e3'), '--per-class: expected a whole number ≥ 1, got "1e3"'],
    [analyze('--batch-size', '0'), '--batch-size: expected a whole number ≥ 1, got "0"'],
    [analyze('--batch-size', '99999999999999999999'), '--batch-size: expected a whole number ≥ 1, got "99999999999999999999"'],
    [analyze('--threads', '-1'), '--threads: expected a whole number ≥ 0, got "-1"'],
    [analyze('--seed', '4294967296'), '--seed: expected a whole number from 0 to 4294967295, got "4294967296"'],
    [analyze('--epsilon', 'NaN'), '--epsilon: expected a number in [0, 1), got "NaN"'],
    [analyze('--epsilon', 'Infinity'), '--epsilon: expected a number in [0, 1), got "Infinity"'],
    [analyze('--scale', '0x1'), '--scale: expected a positive number, got "0x1"'],
    [analyze('--mean', ''), '--mean: expected comma-separated values with none empty (item 1 of 1 is empty), got ""'],
    [analyze('--mean', '0.5,,0.4'), '--mean: expected comma-separated values with none empty (item 2 of 3 is empty), got "0.5,,0.4"'],
    [analyze('--mean', '0.5,0x1,0.4'), '--mean: expected comma-separated numbers (item 2 is "0x1"), got "0.5,0x1,0.4"'],
    [analyze('--std', '0.2,0,0.2'), '--std: expected comma-separated positive numbers (item 2 is "0"), got "0.2,0,0.2"'],
    [analyze('--provider', 'tpu'), '--provider: expected one of auto, cpu, cuda, got "tpu"'],
    [analyze('--arrays', 'x'), '--arrays: expected "x,y" (the images and labels array names), got "x"'],
    [analyze('--out', ''), '--out: expected a value, got ""'],
    [analyze('--quiet=yes'), '--quiet takes no value, got "yes"'],
    [analyze('--out'), '--out needs a value'],
    [analyze('--out', '--quiet'), '--out needs a value (got the option --quiet; write --out=--quiet if that is the value)'],
    [['metrics', FEATURES, '--epsilon', '0x0'], '--epsilon: expected a number in [0, 1), got "0x0"'],
    [['compare', 'a.json', 'b.json', '--labels', 'x,,y'], '--labels: expected comma-separated values with none empty (item 2 of 3 is empty), got "x,,y"'],
  ];
  for (const [args, message] of cases) {
    const r = await cli(...args);
    assert.equal(r.stderr, `collapse-lens ${args[0]}: ${message}\n`, args.join(' '));
    assert.equal(r.code, 2, args.join(' '));
  }
});

test('plain decimal values are taken as written, negative means included', () => {
  const { request } = buildAnalyzeRequest(['m.onnx', '--train', 'd', '--per-class', '20', '--batch-size', '100000', '--seed', '4294967295', '--epsilon', '1e-3', '--mean', '-0.5, 0.25,.5', '--std', '0.2,1E-1,2', '--scale', '0.00392']);
  assert.equal(request.perClass, 20);
  assert.equal(request.batchSize, 100000);
  assert.equal(request.seed, 4294967295);
  assert.equal(request.epsilon, 0.001);
  assert.deepEqual(request.preprocessing?.mean, [-0.5, 0.25, 0.5]);
  assert.deepEqual(request.preprocessing?.std, [0.2, 0.1, 2]);
  assert.equal(request.preprocessing?.scale, 0.00392);
  // Given twice, the last one counts (an alias's default overridden).
  assert.equal(buildAnalyzeRequest(['m.onnx', '--train', 'd', '--per-class', '50', '--per-class', '20']).request.perClass, 20);
});

test('--out in a missing folder, or on a device, is refused before the analysis starts (no progress), exit 1', async () => {
  await withTempDir('cli-out', async (dir) => {
    const missing = join(dir, 'no-such-folder', 'result.json');
    const cases: [string[], string][] = [
      // Without --quiet: any progress line would mean the analysis had started.
      [['analyze', modelPath('mlp'), '--train', FASHION_SLICE, '--out', missing], `collapse-lens analyze: --out ${missing}: the folder ${join(dir, 'no-such-folder')} does not exist`],
      [['metrics', FEATURES, '--out', missing], `collapse-lens metrics: --out ${missing}: the folder ${join(dir, 'no-such-folder')} does not exist`],
      [['analyze', modelPath('mlp'), '--train', FASHION_SLICE, '--out', '/dev/null'], 'collapse-lens analyze: --out /dev/null: is a character device, not a regular file; refusing to replace it (leave out --out to write the JSON to stdout)'],
    ];
    for (const [args, line] of cases) {
      const r = await cli(...args);
      assert.equal(r.stderr, `${line}\n`, args.join(' '));
      assert.equal(r.code, 1, args.join(' '));
    }
    const run = join(dir, 'run');
    mkdirSync(run);
    writeFileSync(join(run, 'epoch_001.onnx'), '');
    const r = await cli('trajectory', run, '--train', FASHION_SLICE, '--out', missing);
    assert.equal(r.stderr, `collapse-lens trajectory: --out ${missing}: the folder ${join(dir, 'no-such-folder')} does not exist\n`);
  });
});

test('--reduce: one reduction, per-layer ones, and a refusal naming what is wrong (exit 2)', async () => {
  const { request } = buildAnalyzeRequest(['m.onnx', '--train', 'd', '--reduce', 'gap, /a/b=cls']);
  assert.deepEqual(request.reduction, { all: 'gap', layers: { '/a/b': 'cls' } });
  assert.equal(buildAnalyzeRequest(['m.onnx', '--train', 'd']).request.reduction, undefined);
  const r = await cli('analyze', modelPath('mlp'), '--train', FASHION_SLICE, '--reduce', 'avgpool');
  assert.equal(r.stderr, 'collapse-lens analyze: --reduce: "avgpool" is not a reduction (auto, flatten, gap, cls, mean, or <layer>=<reduction>)\n');
  assert.equal(r.code, 2);
});

test('metrics --reduce takes the same reductions and refuses anything else (exit 2)', async () => {
  const r = await cli('metrics', 'features.npz', '--reduce', 'token0');
  assert.equal(r.stderr, 'collapse-lens metrics: --reduce: "token0" is not a reduction (auto, flatten, gap, cls, mean, or <layer>=<reduction>)\n');
  assert.equal(r.code, 2);
});

test('--reduce on a layer it does not fit is refused before the data are read (exit 1)', async () => {
  const r = await cli('analyze', modelPath('cnn'), '--train', '/nonexistent', '--reduce', '/relu_fc/Relu_output_0=gap', '--quiet');
  assert.match(r.stderr, /cnn\.onnx: layer "\/relu_fc\/Relu_output_0": gap needs a C x H x W map, and this tensor is \[64\]/);
  assert.equal(r.code, 1);
});
