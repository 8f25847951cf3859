import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { loadTfjsModelGraph } from '../../../../src/core/model/tfjs';
import { createTfjsRunner } from '../../../../src/engine/backends/tfjsRunner';
import { FASHION, GRAPH_MLP, LAYERS_MLP } from './helpers';

/** IDX (gzipped): big-endian dims after a magic whose low byte is the rank. */
function readIdx(file: string): { dims: number[]; data: Uint8Array } {
  const raw = zlib.gunzipSync(fs.readFileSync(file));
  const rank = raw[3];
  const dims = Array.from({ length: rank }, (_, i) => raw.readUInt32BE(4 + 4 * i));
  return { dims, data: raw.subarray(4 + 4 * rank) };
}

const sliceThere = fs.existsSync(path.join(FASHION, 'train-images-idx3-ubyte.gz'));

test('the committed fixtures classify the whole training slice correctly (the 100% they were trained to)', { skip: !sliceThere && 'no test/fixtures/fashion slice' }, async () => {
  const images = readIdx(path.join(FASHION, 'train-images-idx3-ubyte.gz'));
  const labels = readIdx(path.join(FASHION, 'train-labels-idx1-ubyte.gz'));
  const n = labels.dims[0];
  const x = Float32Array.from(images.data, (v) => v / 255);
  for (const [file, logitsName] of [[LAYERS_MLP, 'classifier/logits'], [GRAPH_MLP, 'classifier/BiasAdd']]) {
    const runner = await createTfjsRunner(loadTfjsModelGraph(file), { provider: 'auto', threads: 1, fetch: [logitsName] });
    try {
      const logits = (await runner.run(x, n)).get(logitsName) as Float32Array;
      let wrong = 0;
      for (let i = 0; i < n; i++) {
        const row = Array.from(logits.subarray(i * 10, (i + 1) * 10));
        if (row.indexOf(Math.max(...row)) !== labels.data[i]) wrong++;
      }
      assert.equal(wrong, 0, `${file}: ${wrong} of ${n} training images misclassified`);
    } finally {
      await runner.dispose();
    }
  }
});
