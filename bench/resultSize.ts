/**
 * Result size at large K (issue 13): the same analysis written with its K x K matrices packed (what the
 * engine writes above 64 classes, src/core/packedMatrix.ts) and as nested JSON rows (older results). Per
 * form: the file size and the time to stringify (indented, as the CLI writes) and write it, to read and
 * validate it (readResultFile), to unpack the shown layer's two matrices, and the size of the message a
 * panel is posted (JSON without indentation). Checks that every cell of the packed form equals the rows.
 *
 *   node --import tsx bench/resultSize.ts --k 1000         2 layers x 2 splits of generated features
 *   node --import tsx bench/resultSize.ts --k 100 --layers 1
 */
import { parseArgs } from 'node:util';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { analyzeFeatures } from '../src/engine/analyze/features';
import { readResultFile } from '../src/core/readResultFile';
import { isPackedMatrix, matrixRows, matrixRowsOrNull } from '../src/core/packedMatrix';
import type { AnalysisResult, SplitLayerMetrics } from '../src/core/result';
import { holdBackLayerMatrices, layerMatricesReply } from '../src/extension/panels/heldMatrices';
// The e2e's feature generator (an untyped ES module, loaded through tsx): the same features bigK.test.mjs shows.
const { writeFeaturesNpz } = require('../e2e/lib/featuresNpz.mjs') as { writeFeaturesNpz(path: string, o: { classes: number; dim: number; perClass: number; seed?: number; layerNames?: string[] }): string };

const { values } = parseArgs({ options: { k: { type: 'string', default: '1000' }, layers: { type: 'string', default: '2' }, dim: { type: 'string', default: '128' } } });
const K = Number(values.k);
const layerNames = ['hidden', 'penultimate'].slice(-Number(values.layers));

/** The result with its matrices as rows: what an older writer produced. */
function asRows(r: AnalysisResult): AnalysisResult {
  const rows = (m: SplitLayerMetrics) => ({ ...m, cdnvMatrix: matrixRowsOrNull(m.cdnvMatrix), meanCosines: matrixRowsOrNull(m.meanCosines) });
  return { ...r, layers: r.layers.map((l) => ({ ...l, metrics: l.metrics.test ? { train: rows(l.metrics.train), test: rows(l.metrics.test) } : { train: rows(l.metrics.train) } })) };
}

const seconds = (from: number) => ((performance.now() - from) / 1000).toFixed(2);
const mb = (bytes: number) => (bytes / 1e6).toFixed(2);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'collapse-lens-bench-result-'));
  try {
    const perClass = Math.max(4, Math.ceil(4000 / K));
    const train = writeFeaturesNpz(join(dir, 'train.npz'), { classes: K, dim: Number(values.dim), perClass, seed: 1, layerNames });
    const test = writeFeaturesNpz(join(dir, 'test.npz'), { classes: K, dim: Number(values.dim), perClass, seed: 2, layerNames });
    let t = performance.now();
    const packed = await analyzeFeatures({ features: train, test, epsilon: 0.01 }, { onProgress: () => undefined });
    console.log(`K = ${K}: analysis ${seconds(t)} s, ${packed.layers.length} layers x 2 splits`);
    const rows = asRows(packed);
    for (const [name, result] of [['rows', rows], ['packed', packed]] as const) {
      const file = join(dir, `${name}.json`);
      t = performance.now();
      writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
      const write = seconds(t);
      t = performance.now();
      const read = await readResultFile(file);
      const readTime = seconds(t);
      t = performance.now();
      const shown = read.layers[read.layers.length - 1]!.metrics.train;
      matrixRowsOrNull(shown.cdnvMatrix);
      matrixRowsOrNull(shown.meanCosines);
      const unpack = seconds(t);
      const post = JSON.stringify(read).length;
      console.log(`${name.padEnd(6)}  file ${mb(statSync(file).size)} MB  stringify+write ${write} s  read+validate ${readTime} s  shown layer to rows ${unpack} s  posted ${mb(post)} MB`);
    }
    // What the analysis panel is posted since the host holds the packed layer matrices back, and what one
    // shown layer's split then costs (src/extension/panels/heldMatrices.ts).
    const run = { runId: 'bench', label: 'bench', result: packed };
    const reply = layerMatricesReply(run, { runId: 'bench', layer: packed.layers[packed.layers.length - 1]!.name, split: 'train' });
    console.log(`held back  posted ${mb(JSON.stringify(holdBackLayerMatrices(run)).length)} MB, then ${mb(JSON.stringify(reply).length)} MB per layer and split shown`);
    let float32 = JSON.stringify(packed).length;
    for (const l of packed.layers) for (const m of Object.values(l.metrics)) for (const f of [m.cdnvMatrix, m.meanCosines]) if (f && isPackedMatrix(f)) float32 -= f.data.length / 2;
    console.log(`float32 instead of float64 (not written): posted ${mb(float32)} MB`);
    let cells = 0;
    for (const [i, l] of packed.layers.entries()) {
      for (const s of ['train', 'test'] as const) {
        for (const f of ['cdnvMatrix', 'meanCosines'] as const) {
          const a = matrixRows(l.metrics[s]![f]!);
          const b = rows.layers[i]!.metrics[s]![f] as (number | null)[][];
          for (let r = 0; r < K; r++) for (let c = 0; c < K; c++, cells++) if (!Object.is(a[r]![c], b[r]![c])) throw new Error(`${l.name} ${s} ${f}[${r}][${c}] differs`);
        }
      }
    }
    console.log(`exact: ${cells} cells of the packed form equal the rows`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
