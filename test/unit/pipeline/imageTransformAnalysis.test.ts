/**
 * The evaluation transform through a whole analysis: its result equals that of a folder holding the
 * transformed images themselves, whichever decoder ran; the transform, its origin and the decoder are in
 * the result and the table; a transform that cannot apply (array data, a crop the model does not take) is
 * refused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { AnalysisResult } from '../../../src/core/result';
import { resizeCropAntialiased } from '../../../src/core/dataset/images/antialiasResize';
import { planTransform } from '../../../src/core/dataset/images/imageTransform';
import { loadSharp } from '../../../src/core/dataset/images/sharpDecoder';
import { analyzeCheckpoint } from '../../../src/engine/analyze/pipeline';
import { formatLayerTable } from '../../../src/engine/cli/table';
import type { DatasetSpec, PreprocessingOptions } from '../../../src/protocol/engine';
import { patternImage, withTempDir, writeBytes, writeNpz, writePng } from '../dataset/helpers/writers';
import { fixtureRequest, silentHooks } from './helpers/analyze';

const CLASSES = 10;
const PER_CLASS = 3;
const TRANSFORM = { resizeShorter: 32, centerCrop: 28 };
/** Sizes that differ per image: landscape, portrait, odd. */
const sizeOf = (i: number): [number, number] => [[41, 33], [33, 47], [35, 35]][i]! as [number, number];

const analyze = (train: DatasetSpec, preprocessing: PreprocessingOptions): Promise<AnalysisResult> =>
  analyzeCheckpoint(fixtureRequest('mlp', { train, test: undefined, preprocessing }), silentHooks);

/** 10 class folders of grey PNGs of mixed sizes; with `transformed`, each image already transformed to 28x28. */
function writeFolder(dir: string, transformed: boolean): void {
  for (let c = 0; c < CLASSES; c++) {
    for (let i = 0; i < PER_CLASS; i++) {
      const [w, h] = sizeOf(i);
      const pixels = patternImage(c * PER_CLASS + i, h, w, 1);
      if (!transformed) {
        writePng(join(dir, String(c), `${i}.png`), w, h, 1, pixels);
        continue;
      }
      const plan = planTransform(w, h, { ...TRANSFORM }, 'x');
      writePng(join(dir, String(c), `${i}.png`), 28, 28, 1, resizeCropAntialiased(pixels, h, w, 1, plan.resizedHeight, plan.resizedWidth, plan.crop));
    }
  }
}

test('an analysis with the transform equals one on the transformed images, with sharp and with the JavaScript decoders; all of it in the result and the table', async () => {
  await withTempDir('transform-run', async (dir) => {
    writeFolder(join(dir, 'raw'), false);
    writeFolder(join(dir, 'done'), true);
    const reference = await analyze({ path: join(dir, 'done') }, {});
    const viaAuto = await analyze({ path: join(dir, 'raw') }, { transform: TRANSFORM });
    const viaJs = await analyze({ path: join(dir, 'raw'), imageDecoder: 'javascript' }, { transform: TRANSFORM });
    assert.deepEqual(viaAuto.layers, reference.layers);
    assert.deepEqual(viaJs.layers, reference.layers);

    const info = viaAuto.dataset.train;
    assert.deepEqual(info.transform, { resizeShorter: 32, centerCrop: 28, interpolation: 'pil-bilinear' });
    assert.equal(info.resized, undefined, 'the transform is not counted as stray resizes');
    assert.deepEqual(viaAuto.dataset.preprocessing.transform, TRANSFORM);
    assert.equal(viaAuto.dataset.preprocessing.origin?.transform, 'flag');
    const sharp = loadSharp().sharp !== null;
    assert.equal(viaAuto.runtime?.imageDecoder, sharp ? 'sharp' : 'javascript');
    assert.equal(viaJs.runtime?.imageDecoder, 'javascript');
    assert.match(String(viaJs.runtime?.imageDecoderNote), /JavaScript decoders .*asked for/);
    assert.ok((viaJs.warnings ?? []).some((w) => /^train: images decoded by the JavaScript fallback \(the JavaScript decoders were asked for\): colour JPEGs/.test(w)), (viaJs.warnings ?? []).join('\n'));
    if (sharp) assert.ok(!(viaAuto.warnings ?? []).some((w) => /JavaScript fallback/.test(w)));
    if (sharp) assert.match(String(viaAuto.runtime?.imageDecoderNote), /^sharp \d+\.\d+\.\d+, libvips \d+/);

    const table = formatLayerTable(viaAuto);
    assert.match(table, /resize shorter side 32 \(antialiased bilinear, as PIL\) \+ centre crop 28 \(flag\)/);
    assert.match(table, new RegExp(`images: ${sharp ? 'sharp' : 'javascript'}`));
    assert.match(table, /^image decoder: /m);
    // A run without the transform names no decoder: nothing changed for it.
    assert.equal(reference.runtime?.imageDecoder, undefined);
  });
});

test('a transform on array data, or a crop the model does not take, is refused before any inference', async () => {
  await withTempDir('transform-refused', async (dir) => {
    const N = 20;
    const npz = writeNpz(join(dir, 'x.npz'), {
      x: { data: new Uint8Array(N * 28 * 28), shape: [N, 28, 28] },
      y: { data: BigInt64Array.from({ length: N }, (_, i) => BigInt(i % 10)), shape: [N] },
    });
    await assert.rejects(analyze({ path: npz }, { transform: TRANSFORM }), /x\.npz: the evaluation transform \(resizeShorter\/centerCrop\) applies to image folders only, and this is npz data/);
    writeFolder(join(dir, 'raw'), false);
    await assert.rejects(analyze({ path: join(dir, 'raw') }, { transform: { resizeShorter: 32, centerCrop: 24 } }), /makes 24x24 images, but the model input takes 28x28; set transform\.centerCrop to 28/);
  });
});

test('collapse-lens.json beside the images declares the transform; the result names the file as its origin', async () => {
  await withTempDir('transform-config', async (dir) => {
    writeFolder(join(dir, 'raw'), false);
    writeBytes(join(dir, 'raw', 'collapse-lens.json'), JSON.stringify({ preprocessing: { transform: TRANSFORM } }));
    const result = await analyze({ path: join(dir, 'raw') }, {});
    assert.deepEqual(result.dataset.preprocessing.transform, TRANSFORM);
    assert.equal(result.dataset.preprocessing.origin?.transform, 'collapse-lens.json');
    assert.equal(result.dataset.preprocessing.configFile, join(dir, 'raw', 'collapse-lens.json'));
    assert.deepEqual(result.dataset.train.imageSize, { width: 28, height: 28, channels: 1, from: 'model-input' });
  });
});
