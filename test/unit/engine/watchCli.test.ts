/**
 * `collapse-lens watch` as a user runs it (from source, through tsx), on folders of fixture checkpoints.
 * Every wait is on a state (exit, a line on stdout), never on elapsed time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { TrajectoryResult } from '../../../src/core/compare';
import { validateResult } from '../../../src/core/resultValidation';
import { failedOnCheckpoint } from '../../../src/engine/cli/commands/watch';
import { MemoryRefusal } from '../../../src/engine/analyze/memoryEstimate';

const ROOT = join(__dirname, '..', '..', '..');
const MODELS = join(ROOT, 'test', 'fixtures', 'models');
const DATA = join(ROOT, 'test', 'fixtures', 'fashion');
const MAIN = join(ROOT, 'src', 'engine', 'main.ts');
/** The analysis options every run here shares (and trajectory gets the same). */
const ANALYSIS = ['--train', DATA, '--test', DATA, '--per-class', '20', '--quiet'];
/** No settle wait, a fast poll, corrupt at the first failed parse: the fixtures are complete when the watch starts. */
const FAST = ['--settle-ms', '0', '--poll-ms', '20', '--corrupt-after-ms', '0'];

function cli(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], { encoding: 'utf8', cwd: ROOT, timeout: 180_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const work = mkdtempSync(join(tmpdir(), 'collapse-lens-watch-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const read = <T>(p: string): T => JSON.parse(readFileSync(p, 'utf8')) as T;

/** A fresh training folder holding the given fixtures under the given names. */
function runFolder(name: string, files: Record<string, string>): string {
  const folder = join(work, name);
  mkdirSync(folder);
  for (const [target, fixture] of Object.entries(files)) copyFileSync(join(MODELS, fixture), join(folder, target));
  return folder;
}

function watch(folder: string, out: string, ...extra: string[]) {
  return cli('watch', folder, ...ANALYSIS, ...FAST, '--exit-when-idle', '--out', out, ...extra);
}

/** Relative tolerance with an absolute floor: the same float32 computation, so it should match to rounding. */
function assertClose(actual: (number | null)[], expected: (number | null)[], what: string) {
  assert.equal(actual.length, expected.length, what);
  actual.forEach((a, i) => {
    const e = expected[i];
    if (a === null || e === null) return assert.equal(a, e, `${what}[${i}]`);
    assert.ok(Math.abs(a - e) <= 1e-6 * Math.abs(e) + 1e-9, `${what}[${i}]: ${a} vs ${e}`);
  });
}

test('watch --exit-when-idle gives the trajectory command\'s numbers, and records each checkpoint', () => {
  const folder = runFolder('same', { 'epoch_1.onnx': 'mlp_early.onnx', 'epoch_2.onnx': 'mlp.onnx' });
  const out = join(work, 'same.json');
  const r = watch(folder, out);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^watch idle: 2 analysed \(2 now, 0 from before\), 0 corrupt, 0 deleted/m);
  const reference = join(work, 'same-trajectory.json');
  const t = cli('trajectory', folder, ...ANALYSIS, '--out', reference);
  assert.equal(t.code, 0, t.stderr);
  const watched = read<TrajectoryResult>(out);
  const expected = read<TrajectoryResult>(reference);
  assert.equal(watched.schema, 'collapse-lens/trajectory@1');
  assert.deepEqual(watched.epochs, [1, 2]);
  assert.deepEqual(watched.layers, expected.layers);
  for (const layer of expected.layers) {
    for (const metric of Object.keys(expected.series[layer]) as (keyof TrajectoryResult['series'][string])[]) {
      assertClose(watched.series[layer][metric].train, expected.series[layer][metric].train, `${layer} ${metric} train`);
      assertClose(watched.series[layer][metric].test ?? [], expected.series[layer][metric].test ?? [], `${layer} ${metric} test`);
    }
  }
  assertClose(watched.classifier.nc3, expected.classifier.nc3, 'nc3');
  // The watch block: what a resume needs, each analysis stored beside the JSON as a valid result.
  assert.equal(watched.watch?.folder, resolve(folder));
  assert.deepEqual(watched.watch?.checkpoints.map((c) => [c.epoch, c.state]), [[1, 'analysed'], [2, 'analysed']]);
  for (const c of watched.watch?.checkpoints ?? []) {
    assert.match(c.key, /epoch_\d\.onnx\|972163:/);
    const stored = join(dirname(out), c.result ?? '');
    assert.equal(validateResult(read<unknown>(stored), stored).checkpoint.path, c.file);
  }
});

test('a resume analyses only what is new; a deleted checkpoint is kept; other settings are refused', () => {
  const folder = runFolder('resume', { 'epoch_1.onnx': 'mlp_early.onnx', 'epoch_2.onnx': 'mlp.onnx' });
  const out = join(work, 'resume.json');
  assert.equal(watch(folder, out).code, 0);
  const first = read<TrajectoryResult>(out).watch?.checkpoints ?? [];

  const again = watch(folder, out);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /^resuming: 2 checkpoint\(s\) already analysed/m);
  assert.match(again.stdout, /^watch idle: 2 analysed \(0 now, 2 from before\)/m);
  assert.deepEqual(read<TrajectoryResult>(out).watch?.checkpoints.map((c) => c.analysedAt), first.map((c) => c.analysedAt));

  copyFileSync(join(MODELS, 'mlp.onnx'), join(folder, 'epoch_10.onnx'));
  rmSync(join(folder, 'epoch_1.onnx'));
  const grown = watch(folder, out);
  assert.equal(grown.code, 0, grown.stderr);
  assert.match(grown.stdout, /^watch idle: 3 analysed \(1 now, 2 from before\), 0 corrupt, 1 deleted/m);
  const t = read<TrajectoryResult>(out);
  // Deleted, greyed, never dropped: epoch 1 keeps its point and says why in the warnings.
  assert.deepEqual(t.epochs, [1, 2, 10]);
  assert.deepEqual(t.watch?.checkpoints.map((c) => [c.epoch, c.state]), [[1, 'deleted'], [2, 'analysed'], [10, 'analysed']]);
  assert.ok(t.warnings.some((w) => /epoch_1\.onnx was deleted from the folder; its analysis is kept/.test(w)), t.warnings.join('\n'));

  const other = cli('watch', folder, ...ANALYSIS, '--per-class', '10', ...FAST, '--exit-when-idle', '--out', out);
  assert.equal(other.code, 1);
  assert.match(other.stderr, /^collapse-lens watch: --out .*resume\.json was watched with other settings: perClass \(20 vs 10\); give another --out, or delete it/);
  assert.equal(read<TrajectoryResult>(out).epochs.length, 3, 'a refused resume leaves the JSON as it was');
});

test('an --out that is a trajectory not written by watch, or not JSON, is refused before any analysis', () => {
  const folder = runFolder('refuse', { 'epoch_1.onnx': 'mlp.onnx' });
  const plain = join(work, 'plain.json');
  writeFileSync(plain, JSON.stringify({ schema: 'collapse-lens/trajectory@1', epochs: [] }));
  const r = watch(folder, plain);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /plain\.json is a trajectory not written by a watch/);
  const garbage = join(work, 'garbage.json');
  writeFileSync(garbage, '{"schema": ');
  assert.match(watch(folder, garbage).stderr, /garbage\.json exists and is not JSON/);
  const typo = cli('watch', folder, ...ANALYSIS, '--settle-m', '5', '--out', join(work, 'typo.json'));
  assert.equal(typo.code, 2);
  assert.match(typo.stderr, /unknown option --settle-m \(did you mean --settle-ms\?\)/);
  assert.match(cli('watch', folder, ...ANALYSIS).stderr, /watch needs --out <trajectory\.json>/);
});

test('a corrupt checkpoint is flagged on screen and in the JSON, and the watch goes on (newest first)', () => {
  const folder = runFolder('corrupt', { 'epoch_1.onnx': 'mlp_early.onnx', 'epoch_3.onnx': 'mlp.onnx' });
  writeFileSync(join(folder, 'epoch_2.onnx'), readFileSync(join(MODELS, 'mlp.onnx')).subarray(0, 40_000));
  // Whole, but NaN weights: it parses, and its analysis refuses it naming the file.
  const nan = readFileSync(join(MODELS, 'mlp.onnx'));
  nan.fill(0xff, 500_000, 500_064);
  writeFileSync(join(folder, 'epoch_4.onnx'), nan);
  const out = join(work, 'corrupt.json');
  const r = watch(folder, out, '--newest-first');
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.stdout.match(/^epoch \d+ analysed/gm), ['epoch 3 analysed', 'epoch 1 analysed']);
  assert.match(r.stderr, /^warning: corrupt checkpoint skipped: .*epoch_2\.onnx: truncated/m);
  assert.match(r.stderr, /^warning: corrupt checkpoint skipped: .*epoch_4\.onnx: analysis failed: .*epoch_4\.onnx: NaN weights/m);
  assert.match(r.stdout, /2 analysed \(2 now, 0 from before\), 2 corrupt/);
  const t = read<TrajectoryResult>(out);
  assert.deepEqual(t.epochs, [1, 3]);
  const record = t.watch?.checkpoints.find((c) => c.epoch === 2);
  assert.equal(record?.state, 'corrupt');
  assert.match(record?.reason ?? '', /epoch_2\.onnx: truncated/);
  assert.ok(t.warnings.some((w) => /corrupt checkpoint skipped: .*epoch_2\.onnx/.test(w)));
  assert.match(t.watch?.checkpoints.find((c) => c.epoch === 4)?.reason ?? '', /^analysis failed: .*NaN weights/);

  // A failure that is not the checkpoint's (the dataset is gone) stops the watch instead of flagging every epoch.
  const noData = cli('watch', folder, '--train', join(work, 'no-such-data'), '--quiet', ...FAST, '--exit-when-idle', '--out', join(work, 'nodata.json'));
  assert.equal(noData.code, 1);
  assert.match(noData.stderr, /^collapse-lens watch: .*no-such-data: no such file or directory$/m);
});

test('SIGINT mid-watch: exit 130 with one line, the JSON left whole', async () => {
  const folder = runFolder('sigint', { 'epoch_1.onnx': 'mlp_early.onnx', 'epoch_2.onnx': 'mlp.onnx' });
  const out = join(work, 'sigint.json');
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'watch', folder, ...ANALYSIS, ...FAST, '--out', out], { cwd: ROOT });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  // Interrupted as soon as the first checkpoint is written: the watch is then analysing the second, or polling.
  await new Promise<void>((done) => {
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (/^epoch 1 analysed/m.test(stdout)) done();
    });
    void exited.then(() => done());
  });
  child.kill('SIGINT');
  const code = await exited;
  assert.equal(code, 130, `${stdout}\n${stderr}`);
  assert.match(stderr, /^collapse-lens watch: stopped by SIGINT; .*sigint\.json holds \d analysed checkpoint\(s\)$/m);
  const t = read<TrajectoryResult>(out);
  assert.ok(t.epochs.includes(1));
  assert.ok(t.watch?.checkpoints.every((c) => c.state === 'analysed'));
  // No temporary of an interrupted write left beside it.
  assert.deepEqual(readdirSync(work).filter((f) => f.startsWith('.sigint.json.')), []);
});

test('a refusal for size stops the watch instead of flagging each checkpoint as corrupt; a fault of the checkpoint flags it', () => {
  const checkpoint = { file: '/runs/epoch_3.onnx', epoch: 3, key: 'k', state: 'ready' as const };
  const tooBig = new MemoryRefusal('/runs/epoch_3.onnx: this analysis would need about 12 GiB of memory, more than the 8 GiB it may use');
  assert.equal(failedOnCheckpoint(tooBig, checkpoint), false, 'the settings are at fault: the same for every epoch');
  assert.equal(failedOnCheckpoint(new Error('/runs/epoch_3.onnx: 2 weight tensors hold NaN'), checkpoint), true);
  assert.equal(failedOnCheckpoint(new Error('/data/train: no such file or directory'), checkpoint), false, 'the dataset is at fault');
});
