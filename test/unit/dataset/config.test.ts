import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describeWorkspaceDatasets, loadDatasetConfig, resolvePreprocessing } from '../../../src/core/dataset';
import { withTempDir, writeBytes, writeIdx } from './helpers/writers';

test('loadDatasetConfig looks in the data folder, beside the data, then beside the checkpoint', async () => {
  await withTempDir('config', async (dir) => {
    writeBytes(join(dir, 'models', 'collapse-lens.json'), JSON.stringify({ preprocessing: { scale: 1 } }));
    writeBytes(join(dir, 'models', 'net.onnx'), 'x');
    writeBytes(join(dir, 'data', 'mnist', 'x'), 'x');
    const fromCheckpoint = await loadDatasetConfig(join(dir, 'data', 'mnist'), join(dir, 'models', 'net.onnx'));
    assert.deepEqual(fromCheckpoint, { path: join(dir, 'models', 'collapse-lens.json'), config: { preprocessing: { scale: 1 } } });
    writeBytes(join(dir, 'data', 'collapse-lens.json'), JSON.stringify({ preprocessing: { scale: 2 } }));
    assert.equal((await loadDatasetConfig(join(dir, 'data', 'mnist'), join(dir, 'models', 'net.onnx')))?.path, join(dir, 'data', 'collapse-lens.json'));
    writeBytes(join(dir, 'data', 'mnist', 'collapse-lens.json'), JSON.stringify({ preprocessing: { scale: 3 } }));
    assert.equal((await loadDatasetConfig(join(dir, 'data', 'mnist'), null))?.config.preprocessing?.scale, 3);
    assert.equal(await loadDatasetConfig(join(dir, 'elsewhere', 'file.npz'), null), null);
  });
});

test('a bad collapse-lens.json is an error naming the file and the key', async () => {
  await withTempDir('config-bad', async (dir) => {
    const file = join(dir, 'collapse-lens.json');
    const expectError = async (text: string, pattern: RegExp): Promise<void> => {
      writeBytes(file, text);
      await assert.rejects(loadDatasetConfig(dir, null), pattern);
    };
    await expectError('{ "preprocessing": { "scale": 1, } }', /collapse-lens\.json: not valid JSON/);
    await expectError('{ "preprocesing": {} }', /collapse-lens\.json: unknown key "preprocesing" \(known: datasets, preprocessing, classNames\)/);
    await expectError('{ "classNames": ["only one"] }', /collapse-lens\.json: "classNames" must be an array of at least two non-empty strings/);
    await expectError('{ "preprocessing": { "std": [0.5, 0] } }', /collapse-lens\.json: preprocessing\.std: must be an array of non-zero numbers/);
    await expectError('{ "preprocessing": { "channelOrder": "grb" } }', /preprocessing\.channelOrder: must be "rgb" or "bgr", got "grb"/);
    await expectError('{ "preprocessing": { "meen": [0.1] } }', /collapse-lens\.json: preprocessing: unknown key "meen"/);
    await expectError('{ "datasets": [{ "name": "a", "train": "x" }, { "name": "a", "train": "y" }] }', /datasets\[1\]\.name: "a" is used twice/);
    await expectError('{ "datasets": [{ "name": "a" }] }', /datasets\[0\]: needs "path" \(a root with both splits\) or "train"/);
    await expectError('{ "datasets": [{ "name": "a", "train": { "path": "x", "split": "val" } }] }', /datasets\[0\]\.train\.split: must be "train" or "test"/);
  });
});

test('resolvePreprocessing: flags > collapse-lens.json > VS Code settings > defaults, with origins', () => {
  const resolved = resolvePreprocessing({ scale: 1 }, { scale: 2, mean: [0.5], seed: 7 }, { scale: 3, mean: [0.1], std: [0.2], perClass: 100 });
  assert.deepEqual(
    { scale: resolved.scale, mean: resolved.mean, std: resolved.std, seed: resolved.seed, perClass: resolved.perClass, channelOrder: resolved.channelOrder, layout: resolved.layout },
    { scale: 1, mean: [0.5], std: [0.2], seed: 7, perClass: 100, channelOrder: 'rgb', layout: undefined },
  );
  assert.equal(resolved.origin.scale, 'flag');
  assert.equal(resolved.origin.mean, 'collapse-lens.json');
  assert.equal(resolved.origin.std, 'vscode-settings');
  assert.equal(resolved.origin.channelOrder, 'default');
  assert.equal(resolved.origin.layout, undefined);
  // perClass: null set explicitly is a value (all samples), not a fall-through.
  assert.equal(resolvePreprocessing({ perClass: null }, null, { perClass: 5 }).perClass, null);
  assert.throws(() => resolvePreprocessing({ scale: -1 }, null, null), /command-line flags\.scale: must be a positive number, got -1/);
  assert.throws(() => resolvePreprocessing(null, null, { bogus: 1 } as never), /VS Code settings \(collapseLens\.preprocessing\): unknown key "bogus"/);
});

test('describeWorkspaceDatasets resolves paths against the file and expands a root into its splits', async () => {
  await withTempDir('workspace', async (dir) => {
    writeIdx(join(dir, 'data', 'mnist', 'train-images-idx3-ubyte'), 'uint8', [1, 2, 2], [1, 2, 3, 4]);
    writeIdx(join(dir, 'data', 'mnist', 't10k-images-idx3-ubyte'), 'uint8', [1, 2, 2], [1, 2, 3, 4]);
    const file = writeBytes(
      join(dir, 'collapse-lens.json'),
      JSON.stringify({
        datasets: [
          { name: 'mnist', path: 'data/mnist', description: 'digits' },
          { name: 'pairs', train: { path: 'data/x_train.npy', labels: 'data/y_train.npy' }, test: '/abs/test.npz' },
        ],
        preprocessing: { mean: [0.1307], std: [0.3081] },
      }),
    );
    const datasets = await describeWorkspaceDatasets(file);
    assert.deepEqual(datasets, [
      { name: 'mnist', description: 'digits', configPath: file, train: { path: join(dir, 'data', 'mnist'), split: 'train' }, test: { path: join(dir, 'data', 'mnist'), split: 'test' } },
      { name: 'pairs', configPath: file, train: { path: join(dir, 'data', 'x_train.npy'), labelsPath: join(dir, 'data', 'y_train.npy') }, test: { path: '/abs/test.npz' } },
    ]);
  });
});
