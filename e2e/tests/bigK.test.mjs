// The analysis panel at K = 10, 100 and 1,000 classes. The results are made in the setup by
// `collapse-lens metrics` on generated features (e2e/lib/featuresNpz.mjs) and stored as runs before VS Code
// starts; each is opened from the Runs view, as a user reopens a run. Above 40 classes a heatmap must be one
// bitmap (no per-cell rects in the DOM) whose hover still names the pair under the pointer with the
// result's value; the most-confused-pairs list must be the result's top pairs by CDNV; the projection's
// legend must list ten classes and "N other classes", and its search must pick a class out.
// Screenshots of each K land in .artifacts/e2e/bigK/.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { cliEntry, metricsWithCli } from '../lib/cli.mjs';
import { assertShown } from '../lib/displayedNumber.mjs';
import { writeFeaturesNpz } from '../lib/featuresNpz.mjs';
import { resultMatrix } from '../lib/resultMatrix.mjs';
import { analysisPanelFrame, chartCard, scrollIntoPanelView, waitForPanelStatus, waitUntil } from '../lib/panels.mjs';
import { DARK_THEME, openSession } from '../lib/session.mjs';
import { ANALYSIS_TIMEOUT_MS, UI_TIMEOUT_MS } from '../lib/timeouts.mjs';

/**
 * K = 1,000 keeps one layer to keep the analysis short. Above 64 classes the result packs its K x K matrices
 * (docs/result-schema.md, "Large matrices"): the K = 100 and 1,000 runs are stored and shown in that form.
 */
const CASES = [
  { k: 10, dim: 16, perClass: 30, layerNames: ['hidden', 'penultimate'] },
  { k: 100, dim: 128, perClass: 8, layerNames: ['hidden', 'penultimate'] },
  { k: 1000, dim: 128, perClass: 4, layerNames: ['penultimate'] },
];
/** Where the extension keeps its runs (globalStorage of publisher.name, lower case). */
const RUNS_DIR = 'User/globalStorage/collapse-lens.collapse-lens/runs';
const BITMAP_ABOVE = 40;

let session;
let scratch;
/** The engine's result per K: the reference for everything the panel shows. */
const results = new Map();

before(async () => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lens-bigk-'));
  const entry = cliEntry(undefined);
  const userDataFiles = {};
  for (const c of CASES) {
    const features = writeFeaturesNpz(path.join(scratch, `k${c.k}-features.npz`), { classes: c.k, dim: c.dim, perClass: c.perClass, layerNames: c.layerNames });
    const out = path.join(scratch, `bigk-k${c.k}.json`);
    results.set(c.k, await metricsWithCli(entry, [features], { out, timeoutMs: 600_000 }));
    userDataFiles[`${RUNS_DIR}/bigk-k${c.k}.json`] = { copyFrom: out };
  }
  session = await openSession({ name: 'bigK', theme: DARK_THEME, workspaceFiles: { 'notes.txt': { contents: 'large K\n' } }, userDataFiles });
}, { timeout: 900_000 });

after(async () => {
  await session?.close();
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

/** The shown layer's metrics, matrices as rows (the detail shows the deepest layer of a result without a classifier). */
function shownMetrics(result) {
  const metrics = result.layers[result.layers.length - 1].metrics.train;
  const k = result.classes.count;
  // Packed above 64 classes, rows at and below: the store and the panel get what the CLI wrote.
  for (const field of ['cdnvMatrix', 'meanCosines']) assert.equal(Array.isArray(metrics[field]), k <= 64, `K = ${k}: ${field} ${k <= 64 ? 'rows' : 'packed'}`);
  return { ...metrics, cdnvMatrix: resultMatrix(metrics.cdnvMatrix, k), meanCosines: resultMatrix(metrics.meanCosines, k) };
}

/** The top `count` unordered pairs of a matrix (mean of both halves), highest first, ties by class index. */
function topPairs(matrix, count) {
  const pairs = [];
  for (let a = 0; a < matrix.length; a++) {
    for (let b = a + 1; b < matrix.length; b++) {
      const values = [matrix[a][b], matrix[b][a]].filter((v) => typeof v === 'number');
      if (values.length > 0) pairs.push({ a, b, value: values.reduce((s, v) => s + v, 0) / values.length });
    }
  }
  return pairs.sort((x, y) => y.value - x.value || x.a - y.a || x.b - y.b).slice(0, count);
}

async function openRun(k) {
  const wb = session.workbench;
  await wb.runCommand('View: Close All Editors');
  await wb.openViewContainer('Collapse Lens');
  const row = wb.page.locator('.part.sidebar .monaco-list-row').filter({ hasText: `k${k}-features.npz · ` }).first();
  await row.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  await row.click({ button: 'right' });
  await wb.page.locator('.monaco-menu').first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  await wb.clickMenuItem('Open analysis');
  const frame = await analysisPanelFrame(wb, { titleIncludes: `k${k}-features.npz` });
  await waitForPanelStatus(frame, 'Complete', { timeoutMs: ANALYSIS_TIMEOUT_MS });
  if (k > 64) {
    // Above 64 classes the host holds the layer matrices back and sends the shown layer's on request: the
    // cards say so (never "not computed") until they arrive.
    const held = frame.locator('.cl-card-held .cl-note');
    // Caught in the act or not (it may already have arrived), a held card only ever says it is loading.
    const note = await held.first().textContent({ timeout: 2_000 }).catch(() => null);
    if (note !== null) assert.match(note, new RegExp(`^Loading the ${k} x ${k} matrix from the extension host`));
    await held.first().waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
  }
  return frame;
}

/**
 * Hovers the centre of cell (row, col) of a heatmap card and returns the tooltip's title and first value:
 * the bitmap's overlay at the cell's place, or the cell's own rect (cells are drawn row by row).
 */
async function hoverCell(frame, card, k, row, col) {
  const overlay = card.locator('rect.cl-heatmap-overlay');
  if ((await overlay.count()) > 0) {
    const box = await overlay.boundingBox();
    assert.ok(box, 'the heatmap overlay has no box on screen');
    await session.workbench.page.mouse.move(box.x + ((col + 0.5) * box.width) / k, box.y + ((row + 0.5) * box.height) / k);
  } else {
    await card.locator('svg > g > g').first().locator('rect').nth(row * k + col).hover({ timeout: UI_TIMEOUT_MS });
  }
  const tooltip = frame.locator('#cl-tooltip.visible');
  await tooltip.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  return tooltip.evaluate((el) => ({
    title: (el.querySelector('.cl-tooltip-title')?.textContent ?? '').trim(),
    value: (el.querySelector('.cl-tooltip-value')?.textContent ?? '').trim(),
  }));
}

for (const { k } of CASES) {
  test(`K = ${k}: the panel opens the stored run; heatmaps, confused pairs and the projection are readable`, { timeout: 600_000 }, async () => {
    const wb = session.workbench;
    const result = results.get(k);
    assert.equal(result.classes.count, k);
    const metrics = shownMetrics(result);
    const frame = await openRun(k);
    await wb.page.mouse.move(5, 5);
    await wb.screenshot(`k${k}-panel`);

    // Cosines: a bitmap above 40 classes (the cells are not in the DOM), one rect per cell below.
    const cosines = chartCard(frame, 'Cosines of the centred class means');
    await scrollIntoPanelView(frame, cosines);
    const rects = await cosines.locator('svg rect').count();
    const images = await cosines.locator('svg image.cl-heatmap-raster').count();
    if (k > BITMAP_ABOVE) {
      assert.equal(images, 1, `K = ${k}: the cosine heatmap is not one bitmap`);
      assert.ok(rects < 50, `K = ${k}: ${rects} rects in the cosine heatmap, the cells are in the DOM`);
    } else {
      assert.equal(images, 0);
      assert.ok(rects >= k * k, `K = ${k}: ${rects} rects for ${k * k} cells`);
    }
    // Hover: the tooltip names a pair next to the one aimed at (cells of K = 1,000 are under a pixel) and shows its value.
    const [row, col] = [Math.floor(k * 0.37), Math.floor(k * 0.81)];
    const shown = await hoverCell(frame, cosines, k, row, col);
    const names = /^(\S+) × (\S+)$/.exec(shown.title);
    assert.ok(names, `tooltip title "${shown.title}" does not name a pair`);
    const [r, c] = [result.classes.names.indexOf(names[1]), result.classes.names.indexOf(names[2])];
    assert.ok(Math.abs(r - row) <= 1 && Math.abs(c - col) <= 1, `aimed at (${row}, ${col}), the tooltip names (${r}, ${c})`);
    assertShown(shown.value, metrics.meanCosines[r][c], `cos(${r}, ${c})`);
    await wb.screenshot(`k${k}-cosines-hover`);
    await wb.page.mouse.move(5, 5);
    // With a bitmap no cell carries its value: the most similar means (highest cosine) are listed under it.
    const similar = await cosines.locator('.cl-pairs li .cl-pair-names').allTextContents();
    const expectedSimilar = k > BITMAP_ABOVE ? topPairs(metrics.meanCosines, 10).map((p) => `${result.classes.names[p.a]} ↔ ${result.classes.names[p.b]}`) : [];
    assert.deepEqual(similar, expectedSimilar);

    // CDNV: the listed pairs are the result's top pairs, in order.
    const cdnv = chartCard(frame, 'CDNV between classes');
    await scrollIntoPanelView(frame, cdnv);
    const listed = await cdnv.locator('.cl-pairs li .cl-pair-names').allTextContents();
    const expected = topPairs(metrics.cdnvMatrix, k > BITMAP_ABOVE ? 10 : 5).map((p) => `${result.classes.names[p.a]} ↔ ${result.classes.names[p.b]}`);
    assert.deepEqual(listed, expected);
    await wb.screenshot(`k${k}-cdnv`);

    // Projection: ten classes in the legend and the rest counted above 20 classes; the search picks one out.
    const projection = chartCard(frame, '2-D projection of the class means');
    await scrollIntoPanelView(frame, projection);
    const legend = await projection.locator('g.cl-scatter-legend text').allTextContents();
    if (k > 20) {
      assert.equal(legend.length, 11, `legend: ${JSON.stringify(legend)}`);
      assert.equal(legend[10], `${k - 10} other classes`);
      const wanted = result.classes.names[Math.floor(k * 0.52)];
      const search = projection.locator('input.cl-class-search');
      await search.fill(wanted);
      await waitUntil(async () => {
        const now = await projection.locator('g.cl-scatter-legend text').allTextContents();
        return { ok: now.includes(wanted) && now.length === 12, seen: now };
      }, `the legend never listed the searched class ${wanted}`);
      assert.equal(await projection.locator('circle.cl-scatter-highlight').count(), 1, 'the searched class mean is not ringed');
      await wb.screenshot(`k${k}-projection-search`);
      await search.fill('');
    } else {
      assert.equal(legend.length, k);
      await wb.screenshot(`k${k}-projection`);
    }
  });
}

test('K = 1000 after a window reload: the restored panel asks the host again for the shown layer and draws it', { timeout: 300_000 }, async () => {
  const wb = session.workbench;
  const k = 1000;
  const result = results.get(k);
  const metrics = shownMetrics(result);
  await wb.reloadWindow();
  const frame = await analysisPanelFrame(wb, { titleIncludes: `k${k}-features.npz` });
  await waitForPanelStatus(frame, 'Complete', { timeoutMs: ANALYSIS_TIMEOUT_MS });
  // The reloaded page is posted the result without its matrices: the heatmaps come only through a new request.
  await frame.locator('.cl-card-held').first().waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
  const cdnv = chartCard(frame, 'CDNV between classes');
  await scrollIntoPanelView(frame, cdnv);
  assert.equal(await cdnv.locator('svg image.cl-heatmap-raster').count(), 1, 'the restored CDNV heatmap is not drawn');
  const listed = await cdnv.locator('.cl-pairs li .cl-pair-names').allTextContents();
  assert.deepEqual(listed, topPairs(metrics.cdnvMatrix, 10).map((p) => `${result.classes.names[p.a]} ↔ ${result.classes.names[p.b]}`));
  await wb.screenshot(`k${k}-after-reload`);
});
