/**
 * What makes a run's numbers trustworthy, through the whole pipeline: an explicit mean/std on float data
 * is applied (flag and collapse-lens.json), the preprocessing and its origins are stated, a network at
 * chance on its own training data is flagged, and a held-out split that is training data is refused or
 * flagged.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { analyzeCheckpoint } from '../../../src/engine/analyze/pipeline';
import { nearChanceBound, nearChanceWarning } from '../../../src/engine/analyze/nearChance';
import { formatLayerTable, runNotes } from '../../../src/engine/cli/table';
import { openDataset, selectIndices } from '../../../src/core/dataset';
import { patternImage, withTempDir, writeNpz, writePng } from '../dataset/helpers/writers';
import { fixtureRequest, silentHooks } from './helpers/analyze';
import { FASHION_SLICE } from './helpers/paths';
import { rejection } from '../helpers/rejection';

const PER_CLASS = 10;

/** 10 per class of the Fashion-MNIST slice as floats f = 2 x/255 + 1: the mlp wants x/255, i.e. mean 1, std 2. */
async function writeShiftedFloats(path: string): Promise<void> {
  const source = await openDataset({ path: FASHION_SLICE, split: 'train' });
  try {
    const labels = await source.labels();
    const indices = selectIndices(labels, 10, PER_CLASS, 0);
    const raw = await source.read(indices);
    const x = Float32Array.from(raw.data, (v) => (2 * v) / 255 + 1);
    writeNpz(path, { x: { data: x, shape: [raw.count, 28, 28] }, y: { data: BigInt64Array.from(raw.labels, BigInt), shape: [raw.count] } });
  } finally {
    await source.close();
  }
}

test('an explicit mean/std on a float .npz is applied, from a flag and from collapse-lens.json, and the origin says so', async () => {
  await withTempDir('float-mean', async (dir) => {
    const data = join(dir, 'shifted.npz');
    await writeShiftedFloats(data);
    const run = (preprocessing: Record<string, unknown> = {}) => analyzeCheckpoint(fixtureRequest('mlp', { train: { path: data }, test: undefined, preprocessing }), silentHooks);

    const flagged = await run({ mean: [1], std: [2] });
    // The training split of a network trained to 100%: the mean/std made the input right again.
    assert.equal(flagged.splits.train.accuracy, 1);
    const info = flagged.dataset.preprocessing;
    assert.deepEqual([info.scale, info.mean, info.std, info.floatsTakenAsIs], [1, [1], [2], false]);
    assert.deepEqual([info.origin?.mean, info.origin?.std, info.origin?.normalizeFloats], ['flag', 'flag', 'implied by mean/std']);
    assert.match(formatLayerTable(flagged).split('\n')[0]!, /^preprocessing: scale 1 \(default\), mean 1 std 2 \(flag\), float samples normalised \(implied by mean\/std\), layout nchw \(model input\)$/);

    const configPath = join(dir, 'collapse-lens.json');
    writeFileSync(configPath, JSON.stringify({ preprocessing: { mean: [1], std: [2] } }));
    const fromFile = await run();
    assert.equal(fromFile.splits.train.accuracy, 1);
    assert.deepEqual([fromFile.dataset.preprocessing.origin?.mean, fromFile.dataset.preprocessing.configFile], ['collapse-lens.json', configPath]);
    assert.match(formatLayerTable(fromFile).split('\n')[0]!, new RegExp(`\\(collapse-lens\\.json\\).*; collapse-lens\\.json: ${configPath.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`));
    assert.deepEqual(fromFile.warnings, []);
  });
});

test('a network near chance on its own training split gets a loud warning naming the preprocessing used', async () => {
  // Every input pushed to about -1000: the mlp answers one class for everything.
  const result = await analyzeCheckpoint(fixtureRequest('mlp', { test: undefined, perClass: PER_CLASS, preprocessing: { mean: [1000] } }), silentHooks);
  assert.equal(result.splits.train.accuracy, 0.1);
  const warning = result.warnings?.[0] ?? '';
  assert.match(warning, /^the network's own accuracy on the training split is 10\.0% \(chance is 10\.0%\): the preprocessing is probably not the one it was trained with/);
  assert.match(warning, /Used: scale 1\/255 \(collapse-lens\.json\), mean 1000 \(flag\), std 1 \(default\)/);
  assert.match(formatLayerTable(result), /^warning: the network's own accuracy on the training split is 10\.0%/m);
  // Without the table (JSON on stdout), stderr still gets the line and the warning; --quiet keeps the warning.
  assert.match(runNotes(result, false), /^preprocessing: scale 1\/255 .*\nwarning: the network's own accuracy/);
  assert.match(runNotes(result, true), /^warning: the network's own accuracy on the training split is 10\.0%[^\n]*\n$/);

  // The right preprocessing (the fixture's collapse-lens.json): no warning, and the line says where it came from.
  const right = await analyzeCheckpoint(fixtureRequest('mlp', { test: undefined, perClass: PER_CLASS }), silentHooks);
  assert.ok((right.warnings ?? []).every((w) => !/accuracy on the training split/.test(w)), String(right.warnings));
  assert.match(formatLayerTable(right).split('\n')[0]!, /^preprocessing: scale 1\/255 \(collapse-lens\.json\), mean\/std none \(default\), layout nchw \(model input\); collapse-lens\.json: .*fashion\/collapse-lens\.json$/);
});

test('the near-chance bound: a tenth of the way from chance to perfect, and nothing without logits', () => {
  assert.ok(Math.abs(nearChanceBound(10) - 0.19) < 1e-12);
  assert.ok(Math.abs(nearChanceBound(2) - 0.55) < 1e-12);
  assert.ok(Math.abs(nearChanceBound(100) - 0.109) < 1e-12);
  assert.equal(nearChanceWarning(null, 10, {}), null);
  assert.equal(nearChanceWarning(0.2, 10, {}), null);
  assert.match(nearChanceWarning(0.19, 10, {}) ?? '', /19\.0% \(chance is 10\.0%\)/);
});

test('the "test part" of an image folder without one is refused before anything runs', async () => {
  await withTempDir('test-part', async (dir) => {
    for (let s = 0; s < 20; s++) writePng(join(dir, `class${s % 10}`, `${s}.png`), 28, 28, 1, patternImage(s, 28, 28, 1));
    const message = await rejection(() => analyzeCheckpoint(fixtureRequest('mlp', { train: { path: dir, split: 'train' }, test: { path: dir, split: 'test' } }), silentHooks));
    assert.match(message, /the held-out split is the training split .* \(the same files\)/);
    assert.match(message, /has no test part/);
  });
});

test('a held-out .npz that shares samples with the training one: counted in dataset.test.overlap and warned about', async () => {
  await withTempDir('overlap', async (dir) => {
    const sample = (s: number) => Float32Array.from(patternImage(s, 28, 28, 1), (v) => v / 255);
    const write = (name: string, samples: number[]) => {
      const x = new Float32Array(samples.length * 784);
      samples.forEach((s, i) => x.set(sample(s), i * 784));
      return writeNpz(join(dir, name), { x: { data: x, shape: [samples.length, 28, 28] }, y: { data: BigInt64Array.from(samples, (s) => BigInt(s % 10)), shape: [samples.length] } });
    };
    const train = write('train.npz', Array.from({ length: 40 }, (_, s) => s));
    const test = write('test.npz', Array.from({ length: 20 }, (_, s) => s + 35));
    const result = await analyzeCheckpoint(fixtureRequest('mlp', { train: { path: train }, test: { path: test } }), silentHooks);
    const overlap = result.dataset.test?.overlap;
    assert.equal(overlap?.samples, 5);
    assert.equal(overlap?.of, 20);
    assert.deepEqual(overlap?.examples.slice(0, 2), ['held-out #0 = train #35', 'held-out #1 = train #36']);
    assert.ok(result.warnings?.some((w) => /^5 of the 20 held-out samples in .*test\.npz are also training samples in .*train\.npz/.test(w)), String(result.warnings));

    // Disjoint splits: checked, none.
    const apart = write('apart.npz', Array.from({ length: 20 }, (_, s) => s + 100));
    const clean = await analyzeCheckpoint(fixtureRequest('mlp', { train: { path: train }, test: { path: apart } }), silentHooks);
    assert.deepEqual(clean.dataset.test?.overlap, { samples: 0, of: 20, examples: [] });
  });
});
