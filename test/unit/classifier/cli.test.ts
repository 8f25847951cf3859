/**
 * `collapse-lens classifier`: the table, the versioned JSON, epoch folders, and the plain line (with the
 * loader's reason) for a checkpoint without a classifier; the exit status the usage documents.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLASSIFIER_SCHEMA, type ClassifierReport } from '../../../src/core/classifierReport';
import { withTempDir } from '../dataset/helpers/writers';
import { convHead } from '../model/onnx/models';
import { MODELS_DIR, REPO_ROOT } from '../pipeline/helpers/paths';

function cli(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'src', 'engine', 'main.ts'), 'classifier', ...args], { encoding: 'utf8', cwd: REPO_ROOT, timeout: 120_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const reference = (name: string) => JSON.parse(readFileSync(join(MODELS_DIR, `${name}.classifier.json`), 'utf8')) as { etfDistance: number; equinorm: number };

test('a table row per checkpoint and the collapse-lens/classifier@1 JSON with the NumPy numbers', async () => {
  await withTempDir('classifier-cli', (dir) => {
    const out = join(dir, 'c.json');
    const r = cli(join(MODELS_DIR, 'mlp.onnx'), join(REPO_ROOT, 'test', 'fixtures', 'tfjs', 'layers-mlp'), '--out', out);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.match(lines[0], /^checkpoint\s+K\s+D\s+equinorm\s+equiangularity\s+max-angle\s+ETF dist\s+bias std$/);
    const mlpRow = lines.find((l) => l.includes('mlp.onnx')) ?? '';
    assert.match(mlpRow, new RegExp(`\\s10\\s+64\\s+${reference('mlp').equinorm.toFixed(4)}\\s.*\\s${reference('mlp').etfDistance.toFixed(4)}\\s`));
    assert.ok(lines.some((l) => l.includes('layers-mlp')), r.stdout);
    const report = JSON.parse(readFileSync(out, 'utf8')) as ClassifierReport;
    assert.equal(report.schema, CLASSIFIER_SCHEMA);
    assert.equal(report.checkpoints.length, 2);
    const [mlp, tfjs] = report.checkpoints;
    assert.equal(mlp.format, 'onnx');
    assert.equal(tfjs.format, 'tfjs-layers');
    assert.ok(mlp.classifier && tfjs.classifier);
    assert.ok(Math.abs(mlp.classifier.etfDistance! - reference('mlp').etfDistance) <= 1e-9 * reference('mlp').etfDistance);
    assert.equal(mlp.classifier.rowNorms.length, 10);
    assert.ok(Array.isArray(mlp.classifier.cosines), 'K = 10: the cosines stay rows');
    assert.equal(mlp.classifier.cosines.length, 10);
    assert.equal(mlp.classifier.input, '/relu3/Relu_output_0', 'the layer feeding the classifier, as the analysis names it');
  });
});

test('a checkpoint without a classifier: a plain line with the reason; exit 1 when none has one, 0 when another has', async () => {
  await withTempDir('classifier-none', (dir) => {
    const conv = join(dir, 'conv_head.onnx');
    writeFileSync(conv, convHead());
    const alone = cli(conv, '--out', join(dir, 'none.json'));
    assert.equal(alone.code, 1);
    assert.match(alone.stdout, /conv_head\.onnx: no classifier: the logits "\w+" come from a Conv node, not a linear map/);
    assert.doesNotMatch(alone.stdout, /equinorm/, 'no empty table');
    const report = JSON.parse(readFileSync(join(dir, 'none.json'), 'utf8')) as ClassifierReport;
    assert.equal(report.checkpoints[0].classifier, null);
    assert.match(report.checkpoints[0].classifierUnavailable ?? '', /Conv node/);
    const mixed = cli(join(MODELS_DIR, 'mlp.onnx'), conv);
    assert.equal(mixed.code, 0, mixed.stdout);
    assert.match(mixed.stdout, /mlp\.onnx\s+10\s+64/);
    assert.match(mixed.stdout, /conv_head\.onnx: no classifier:/);
  });
});

test('an unreadable checkpoint is named with why, the others still reported, exit 1; no checkpoint is a usage error', async () => {
  await withTempDir('classifier-bad', (dir) => {
    const notModel = join(dir, 'notes.onnx');
    writeFileSync(notModel, 'hello');
    const r = cli(join(MODELS_DIR, 'mlp.onnx'), notModel, join(dir, 'missing.onnx'));
    assert.equal(r.code, 1);
    assert.match(r.stdout, /mlp\.onnx\s+10\s+64/);
    assert.match(r.stdout, /notes\.onnx: cannot be read: .*notes\.onnx/);
    assert.match(r.stdout, /missing\.onnx: cannot be read: .*no such file or directory/);
    const none = cli();
    assert.equal(none.code, 2);
    assert.match(none.stderr, /classifier needs at least one checkpoint/);
  });
});

test('a folder of epoch checkpoints gives one row per epoch, in epoch order', async () => {
  await withTempDir('classifier-epochs', (dir) => {
    const folder = join(dir, 'run');
    mkdirSync(folder);
    copyFileSync(join(MODELS_DIR, 'mlp.onnx'), join(folder, 'epoch_10.onnx'));
    copyFileSync(join(MODELS_DIR, 'mlp_early.onnx'), join(folder, 'epoch_2.onnx'));
    const r = cli(folder, '--json');
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as ClassifierReport;
    assert.deepEqual(report.checkpoints.map((c) => c.epoch), [2, 10]);
    assert.ok(Math.abs(report.checkpoints[0].classifier!.etfDistance! - reference('mlp_early').etfDistance) < 1e-9);
    assert.ok(Math.abs(report.checkpoints[1].classifier!.etfDistance! - reference('mlp').etfDistance) < 1e-9);
  });
});
