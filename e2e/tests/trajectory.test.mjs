// "Analyze training trajectory" on a folder of epoch checkpoints: right-click the folder, answer the
// shared picks; every checkpoint is analysed and the trajectory panel draws each metric against epoch.
// Its points and tooltips must be what `collapse-lens trajectory` computes for the same folder and data.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { cliEntry, trajectoryWithCli } from '../lib/cli.mjs';
import { assertShown } from '../lib/displayedNumber.mjs';
import { chartCard, chartLegend, chartSeriesPoints, hoverChartPoint, readTooltip, scrollIntoPanelView } from '../lib/panels.mjs';
import { epochFolderFiles, fixtureFiles } from '../lib/paths.mjs';
import { LIGHT_THEME, openSession } from '../lib/session.mjs';
import { ANALYSIS_TIMEOUT_MS, UI_TIMEOUT_MS } from '../lib/timeouts.mjs';

const FOLDER = 'run';
/** The MLP early in training and in its terminal phase, named as a training script names its checkpoints. */
const EPOCHS = { 'epoch_002.onnx': 'mlp_early.onnx', 'epoch_300.onnx': 'mlp.onnx' };
const PER_CLASS = 100;
const DATASET_NAME = 'Fashion-MNIST demo slice';
const NC1_CHART = 'NC1 against epoch (train)';
const NC1_HEATMAP = 'NC1 by epoch and depth (train)';
const NCC_HEATMAP = 'NCC accuracy by epoch and depth (train)';

let session;
let expected;
let frame;

before(async () => {
  session = await openSession({
    name: 'trajectory',
    theme: LIGHT_THEME,
    workspaceFiles: {
      fashion: fixtureFiles.fashion,
      ...epochFolderFiles(FOLDER, EPOCHS),
    },
  });
});
after(async () => {
  await session?.close();
});

test('right-click a folder of epoch checkpoints -> Analyze training trajectory -> the trajectory panel', { timeout: 420_000 }, async () => {
  const wb = session.workbench;
  await wb.rightClickExplorerItem(FOLDER);
  await wb.clickMenuItem('Analyze training trajectory');
  await wb.answerQuickPick(DATASET_NAME, { showing: 'training data', timeout: 60_000 });
  await wb.answerQuickPick(/^fashion \(test\)$/, { showing: 'held-out data' });
  await wb.answerQuickPick(`${PER_CLASS} per class`, { showing: 'samples per class' });
  // The trajectory panel opens once every checkpoint is analysed.
  frame = await wb.findWebviewFrameWithSelector('#cl-epochs-heading', { timeout: ANALYSIS_TIMEOUT_MS });
  await chartCard(frame, NC1_CHART).locator('svg g.cl-points').first().waitFor({ state: 'attached', timeout: UI_TIMEOUT_MS });
  await wb.page.mouse.move(5, 5);
  await wb.screenshot('trajectory-panel');

  expected = await trajectoryWithCli(cliEntry(session.extensionDir), path.join(session.workspace, FOLDER), [
    '--train', path.join(session.workspace, 'fashion'),
    '--test', path.join(session.workspace, 'fashion'),
    '--per-class', String(PER_CLASS),
  ]);
  assert.deepEqual(expected.epochs, [2, 300]);
});

test('the NC1 chart has one series per shown layer and one point per epoch, in the order of the CLI values', async () => {
  const card = chartCard(frame, NC1_CHART);
  const shown = await chartLegend(card);
  assert.ok(shown.length > 0, 'no layer shown');
  const series = await chartSeriesPoints(card);
  assert.equal(series.length, shown.length);
  for (const [i, label] of shown.entries()) {
    // Legends draw a layer by its short name ("relu3"); chartLegend reads the full one from the item's <title>.
    const layer = expected.layers.find((name) => name === label);
    assert.ok(layer, `legend "${label}" names no layer of the CLI trajectory (${expected.layers.join(', ')})`);
    const values = expected.series[layer].nc1.train;
    assert.equal(series[i].length, expected.epochs.length, `${layer}: ${series[i].length} points for ${expected.epochs.length} epochs`);
    // The input layer does not train: the same NC1 at every epoch, nothing to order.
    if (Math.abs(values[1] - values[0]) <= 1e-9 * Math.abs(values[0])) continue;
    // A log axis: the lower NC1 is drawn higher up the page's y (smaller cy means higher).
    assert.equal(Math.sign(series[i][1].cy - series[i][0].cy), -Math.sign(values[1] - values[0]), `${layer}: epochs drawn in the wrong vertical order`);
  }
});

test("hovering the last epoch shows every shown layer's NC1 as the CLI computed it", async () => {
  const card = chartCard(frame, NC1_CHART);
  const tooltip = await hoverChartPoint(frame, card, 1);
  assert.match(tooltip.title, /^epoch (2|300) · train NC1$/, `tooltip title "${tooltip.title}"`);
  const epochIndex = tooltip.title.startsWith('epoch 2 ') ? 0 : 1;
  const rows = Object.entries(tooltip.rows);
  assert.ok(rows.length > 0, 'an empty tooltip');
  for (const [layer, shown] of rows) {
    const value = expected.series[layer]?.nc1.train[epochIndex];
    assertShown(shown, value, `${layer} at epoch ${expected.epochs[epochIndex]}`);
  }
  await session.workbench.screenshot('trajectory-tooltip');
});

test('the epoch x depth heatmaps: a cell per epoch and layer, each the CLI value; the effective depth per epoch is drawn', async () => {
  const nc1 = chartCard(frame, NC1_HEATMAP);
  await scrollIntoPanelView(frame, nc1);
  for (const title of [NC1_HEATMAP, NCC_HEATMAP]) {
    const cells = chartCard(frame, title).locator('rect.cl-heatmap-cell');
    assert.equal(await cells.count(), expected.epochs.length * expected.layers.length, `${title}: one cell per epoch and layer`);
  }
  // The last epoch's deepest layer: where collapse shows first.
  const row = expected.epochs.length - 1;
  const col = expected.layers.length - 1;
  for (const [title, metric, label] of [[NC1_HEATMAP, 'nc1', 'train NC1'], [NCC_HEATMAP, 'nccAccuracy', 'train NCC accuracy']]) {
    await chartCard(frame, title).locator(`rect.cl-heatmap-cell[data-row="${row}"][data-col="${col}"]`).hover({ force: true, timeout: UI_TIMEOUT_MS });
    const tooltip = await readTooltip(frame);
    assert.equal(tooltip.rows.Epoch, `epoch ${expected.epochs[row]}`, `${title}: tooltip ${JSON.stringify(tooltip)}`);
    assert.equal(tooltip.rows['Layer (input → output)'], expected.layers[col]);
    assertShown(tooltip.rows[label], expected.series[expected.layers[col]][metric].train[row], `${title} at epoch ${expected.epochs[row]}, ${expected.layers[col]}`);
  }
  // With the last cell's tooltip up: the picture shows what a hover reads.
  await session.workbench.screenshot('trajectory-heatmaps');
  await session.workbench.page.mouse.move(5, 5);
  const depth = chartCard(frame, 'Effective depth against epoch');
  await depth.locator('svg').first().waitFor({ state: 'attached', timeout: UI_TIMEOUT_MS });
  // One point per epoch where some layer reaches the NCC threshold: the epochs whose own analysis (same
  // default ε) found an effective depth.
  const points = await chartSeriesPoints(depth);
  const reached = expected.summaries.filter((s) => s.effectiveDepth !== null).length;
  assert.deepEqual([points.length, points[0].length], [1, reached], 'effective depth: one point per epoch where it is reached');
});
