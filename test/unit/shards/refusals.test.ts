/**
 * A wrong mix of shard files is refused, naming the file and what is wrong: another checkpoint, dataset
 * or settings, a shard missing or given twice, the two phases mixed, means from another phase-1 merge,
 * and a file changed after it was written.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runShardPassOne, runShardPassTwo } from '../../../src/engine/shards/runShard';
import { mergeShardFiles } from '../../../src/engine/shards/mergeFiles';
import { PASS_ONE_SCHEMA, writeShardFile } from '../../../src/engine/shards/shardFile';
import { fixtureRequest, silentHooks } from '../pipeline/helpers/analyze';
import { mergeResult, writeMeans, writePassOne, writePassTwo } from './helpers';

const request = fixtureRequest('mlp');
let dir = '';
let part1: string[] = [];
let part2: string[] = [];
let means = '';

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shard-refusals-'));
  part1 = await writePassOne(request, 3, dir);
  means = await writeMeans(part1, dir);
  part2 = await writePassTwo(request, 3, means, dir);
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** Shard `index` of 3, phase 1, of another request, written beside the others. */
async function otherPassOne(name: string, overrides: Parameters<typeof fixtureRequest>[1], model = 'mlp', index = 2): Promise<string> {
  const path = join(dir, name);
  await writeShardFile(path, PASS_ONE_SCHEMA, await runShardPassOne(fixtureRequest(model, overrides), { index, count: 3 }, silentHooks));
  return path;
}

const refusal = (message: RegExp) => (err: unknown) => {
  assert.match((err as Error).message, message);
  return true;
};

test('the three files of each phase merge (the set the refusals below spoil)', async () => {
  const result = await mergeResult(part2);
  assert.equal(result.shards?.passTwo, 3);
});

test('a shard of another checkpoint is refused, naming its file', async () => {
  const other = await otherPassOne('other-checkpoint.json', {}, 'mlp_ls');
  await assert.rejects(mergeShardFiles([part1[0]!, other, part1[2]!], undefined), refusal(/other-checkpoint\.json: made with another checkpoint \(sha256 .*\) than .*part1-1\.json/));
});

test('a shard of another dataset is refused: a run without the held-out split', async () => {
  const { test: _held, ...trainOnly } = request;
  const path = join(dir, 'no-test.json');
  await writeShardFile(path, PASS_ONE_SCHEMA, await runShardPassOne({ ...trainOnly }, { index: 2, count: 3 }, silentHooks));
  await assert.rejects(mergeShardFiles([part1[0]!, path, part1[2]!], undefined), refusal(/no-test\.json: made with another dataset \(no held-out split/));
});

test('a shard of other data files is refused: the training split\'s fingerprint differs', async () => {
  const file = JSON.parse(readFileSync(part1[1]!, 'utf8'));
  file.body.identity.dataset.train.fingerprint = 'another-folder';
  const path = join(dir, 'other-data.json');
  await writeShardFile(path, PASS_ONE_SCHEMA, file.body);
  await assert.rejects(mergeShardFiles([part1[0]!, path, part1[2]!], undefined), refusal(/other-data\.json: made with another dataset \(the train split's fingerprint: another-folder against /));
});

test('a shard of other settings is refused, naming the setting: seed, probes, samples per class', async () => {
  const seed = await otherPassOne('seed.json', { seed: 7 });
  await assert.rejects(mergeShardFiles([part1[0]!, seed, part1[2]!], undefined), refusal(/seed\.json: made with other settings \(seed: 7 against 0\)/));
  const layers = await otherPassOne('layers.json', { layers: 'all' });
  await assert.rejects(mergeShardFiles([part1[0]!, layers, part1[2]!], undefined), refusal(/layers\.json: made with other settings \(layers: "all" against "auto"\)/));
  const perClass = await otherPassOne('per-class.json', { perClass: 50 });
  await assert.rejects(mergeShardFiles([part1[0]!, perClass, part1[2]!], undefined), refusal(/per-class\.json: made with another dataset \(the train split's chosen samples: 500 against 2000\)/));
});

test('a missing shard, a shard given twice, and shards of another cut are refused', async () => {
  await assert.rejects(mergeShardFiles([part1[0]!, part1[2]!], undefined), refusal(/^shard 2 of 3 is missing \(given: 1, 3\)/));
  await assert.rejects(mergeShardFiles([part2[1]!, part2[2]!], undefined), refusal(/^shard 1 of 3 is missing \(given: 2-3\)/));
  const copy = join(dir, 'copy-of-1.json');
  writeFileSync(copy, readFileSync(part1[0]!));
  await assert.rejects(mergeShardFiles([...part1, copy], undefined), refusal(/^shard 1\/3 is given twice: .*part1-1\.json and .*copy-of-1\.json/));
  const whole = join(dir, 'whole.json');
  await writeShardFile(whole, PASS_ONE_SCHEMA, await runShardPassOne(request, { index: 1, count: 1 }, silentHooks));
  await assert.rejects(mergeShardFiles([...part1, whole], undefined), refusal(/whole\.json: is shard 1\/1, and .*part1-1\.json is shard 1\/3/));
});

test('phase 1 and phase 2 files mixed, or the means file among them, are refused', async () => {
  await assert.rejects(mergeShardFiles([part1[0]!, part2[1]!], undefined), refusal(/part2-2\.json: is a phase-2 shard file .* and .*part1-1\.json is a phase-1 shard file .*; merge takes the files of one phase/));
  await assert.rejects(mergeShardFiles([...part1, means], undefined), refusal(/means\.json: is a class-means file/));
  await assert.rejects(mergeShardFiles(part1, means), refusal(/--means goes with phase-2 files/));
});

test('phase-2 shards run against means of another phase-1 merge are refused, and so is another means file', async () => {
  const sub = mkdtempSync(join(dir, 'other-'));
  // The same data in one phase-1 shard: the same numbers, but another merge (another means file).
  const otherMeans = await writeMeans(await writePassOne(request, 1, sub), sub, 'means-1.json');
  const [, stray] = await writePassTwo({ ...request }, 2, otherMeans, sub, 'stray');
  const renamed = join(dir, 'stray-2of3.json');
  const file = JSON.parse(readFileSync(stray!, 'utf8'));
  file.body.shard = { index: 2, count: 3 };
  await writeShardFile(renamed, 'collapse-lens/shard-pass2@1', file.body);
  await assert.rejects(mergeShardFiles([part2[0]!, renamed, part2[2]!], undefined), refusal(/stray-2of3\.json: ran against other class means \(checksum .*, from .*means-1\.json\) than .*means\.json/));
  await assert.rejects(mergeShardFiles(part2, otherMeans), refusal(/part2-1\.json: ran against other class means .* than .*means-1\.json/));
  await assert.rejects(mergeShardFiles(part2, part1[0]!), refusal(/part1-1\.json: is a phase-1 shard file .*, not a class-means file/));
});

test('phase 2 refuses means of other settings, naming the means file', async () => {
  await assert.rejects(runShardPassTwo(fixtureRequest('mlp', { seed: 3 }), { index: 1, count: 3 }, means, silentHooks), refusal(/means\.json: made with other settings \(seed: 0 against 3\) than this run/));
  await assert.rejects(runShardPassTwo(request, { index: 1, count: 3 }, part1[0]!, silentHooks), refusal(/part1-1\.json: is a phase-1 shard file .*, not a class-means file .*; --means takes/));
});

test('a file changed after it was written, cut short, or of another format version is refused', async () => {
  const text = readFileSync(part1[1]!, 'utf8');
  const edited = join(dir, 'edited.json');
  writeFileSync(edited, text.replace('"seed":0', '"seed":1'));
  await assert.rejects(mergeShardFiles([part1[0]!, edited, part1[2]!], undefined), refusal(/edited\.json: checksum mismatch .* the file was changed or damaged after it was written/));
  const cut = join(dir, 'cut.json');
  writeFileSync(cut, text.slice(0, text.length / 2));
  await assert.rejects(mergeShardFiles([part1[0]!, cut, part1[2]!], undefined), refusal(/cut\.json: not a shard file of collapse-lens \(not JSON: .*a copy cut short\?\)/));
  const future = join(dir, 'future.json');
  writeFileSync(future, text.replace('"schema":"collapse-lens/shard-pass1@1"', '"schema":"collapse-lens/shard-pass1@2"'));
  await assert.rejects(mergeShardFiles([part1[0]!, future, part1[2]!], undefined), refusal(/future\.json: collapse-lens\/shard-pass1@2 is another version of the shard format than this collapse-lens reads \(collapse-lens\/shard-pass1@1\)/));
});

test('shards whose model ran on different providers merge with a warning that says so', async () => {
  const file = JSON.parse(readFileSync(part2[2]!, 'utf8'));
  file.body.context.provider = 'cuda';
  const path = join(dir, 'cuda-3.json');
  await writeShardFile(path, 'collapse-lens/shard-pass2@1', file.body);
  const result = await mergeResult([part2[0]!, part2[1]!, path]);
  assert.ok(
    result.warnings?.includes(
      'the shards ran the model on different providers (cpu in 5, cuda in 1 of the 6 shard runs); `provider` names the first phase-2 shard\'s. Their features differ by float32 rounding, so the numbers match a single run to that precision, not to the last bit',
    ),
    JSON.stringify(result.warnings),
  );
  assert.ok(!(await mergeResult(part2)).warnings?.some((w) => w.includes('different providers')));
});

test('the final merge finds the means file where phase 2 recorded it, and says so when it is gone', async () => {
  const sub = mkdtempSync(join(dir, 'moved-'));
  const gone = await writeMeans(part1, sub, 'means-gone.json');
  const parts = await writePassTwo(request, 1, gone, sub, 'gone');
  rmSync(gone);
  await assert.rejects(mergeShardFiles(parts, undefined), refusal(/the class-means file .*gone-1\.json ran against, .*means-gone\.json, is not there; give it with --means <file>/));
});
