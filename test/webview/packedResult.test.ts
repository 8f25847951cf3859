/**
 * The analysis panel on a result whose K x K matrices are packed (K > 64, src/core/packedMatrix.ts):
 * it shows the same heatmaps, pairs, projection highlights, classifier card and CSV as from the rows, and
 * unpacks only the layer it shows.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { packResultMatrices } from '../../src/core/packResultMatrices';
import { isPackedMatrix } from '../../src/core/packedMatrix';
import type { AnalysisResult, PackedMatrix } from '../../src/core/result';
import { largeResult } from '../unit/helpers/largeResult';
import { cdnvHeatmap, cosineHeatmap, layerMatrix, mostConfusedPairs, projectionScatter, worstEtfDeviation } from '../../webview/analysis/data/layerDetail';
import { classifierCardModel } from '../../webview/analysis/data/classifierCard';
import { layerTableCsv } from '../../webview/analysis/data/layerTable';

/** The rows result and its packed twin as the panel receives it (posted: a JSON-like copy). */
function twins(): { rows: AnalysisResult; packed: AnalysisResult } {
  const rows = largeResult();
  for (const layer of rows.layers) {
    const k = rows.classes.count;
    layer.metrics.train.projection = { means: Array.from({ length: k }, (_, i): [number, number] => [Math.cos(i), Math.sin(i)]) };
  }
  return { rows, packed: structuredClone(packResultMatrices(rows)) };
}

test('packed matrices give the panel the same heatmaps, pairs, projection and classifier card as rows', () => {
  const { rows, packed } = twins();
  assert.ok(isPackedMatrix(packed.layers[0]!.metrics.train.cdnvMatrix!));
  for (const [i, layer] of packed.layers.entries()) {
    const old = rows.layers[i]!;
    for (const split of ['train', 'test'] as const) {
      assert.deepEqual(cosineHeatmap(packed, layer, split), cosineHeatmap(rows, old, split), `${layer.name} ${split} cosines`);
      assert.deepEqual(cdnvHeatmap(packed, layer, split, 10), cdnvHeatmap(rows, old, split, 10), `${layer.name} ${split} CDNV`);
      assert.deepEqual(mostConfusedPairs(layerMatrix(layer, split, 'cdnvMatrix'), 10), mostConfusedPairs(layerMatrix(old, split, 'cdnvMatrix'), 10));
      assert.deepEqual(worstEtfDeviation(layerMatrix(layer, split, 'meanCosines')), worstEtfDeviation(layerMatrix(old, split, 'meanCosines')));
    }
    assert.deepEqual(projectionScatter(packed, layer, 'train'), projectionScatter(rows, old, 'train'), `${layer.name} projection (featured classes)`);
  }
  assert.deepEqual(classifierCardModel(packed), classifierCardModel(rows));
});

test('the CSV export of a packed result is the same text as of the rows', () => {
  const { rows, packed } = twins();
  assert.equal(layerTableCsv(packed), layerTableCsv(rows));
});

test('the panel unpacks only the layer it shows: a damaged matrix in another layer does not stop it', () => {
  const { packed } = twins();
  // Not validated on purpose: the damage would be refused on reading; here it marks what is never decoded.
  (packed.layers[0]!.metrics.train.cdnvMatrix as PackedMatrix).data = '!!!!';
  const shown = packed.layers[1]!;
  assert.ok(cdnvHeatmap(packed, shown, 'train', 10));
  assert.ok(projectionScatter(packed, shown, 'train'));
  assert.throws(() => cdnvHeatmap(packed, packed.layers[0]!, 'train', 10), /data is not base64/);
});
