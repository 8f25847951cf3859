import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { testPartOf } from '../../../src/extension/commands/testPart';
import { patternImage, withTempDir, writeNpz, writePng } from '../dataset/helpers/writers';

test('"Test part of X" is offered only when X has a test part', async () => {
  await withTempDir('test-part', async (dir) => {
    const png = (path: string) => writePng(path, 2, 2, 1, patternImage(0, 2, 2, 1));
    // One folder per class and nothing else: no test part (it used to be offered, and was the training data).
    png(join(dir, 'flat', 'cat', 'a.png'));
    png(join(dir, 'flat', 'dog', 'b.png'));
    assert.equal(await testPartOf({ path: join(dir, 'flat'), split: 'train' }), null);
    // train/ and test/: offered.
    for (const split of ['train', 'test']) {
      png(join(dir, 'split', split, 'cat', 'a.png'));
      png(join(dir, 'split', split, 'dog', 'b.png'));
    }
    assert.deepEqual(await testPartOf({ path: join(dir, 'split'), split: 'train' }), { path: join(dir, 'split'), split: 'test' });
    // An .npz: with x_test/y_test offered, with x/y alone not.
    const x = { data: new Float32Array(4), shape: [2, 2] };
    const y = { data: BigInt64Array.from([0n, 1n]), shape: [2] };
    const both = writeNpz(join(dir, 'both.npz'), { x_train: x, y_train: y, x_test: x, y_test: y });
    assert.deepEqual(await testPartOf({ path: both, split: 'train' }), { path: both, split: 'test' });
    assert.equal(await testPartOf({ path: writeNpz(join(dir, 'one.npz'), { x, y }) }), null);
    // A path that does not exist offers nothing (opening it says why).
    assert.equal(await testPartOf({ path: join(dir, 'missing') }), null);
  });
});
