// The main user flow, in the light theme: right-click a checkpoint -> "Analyze neural collapse" -> the
// four quick picks -> progress -> the analysis panel. What the panel, its charts, their tooltips and the
// Layers view show must be the CLI's JSON for the same checkpoint, data and options; a window reload
// must bring the panel back with the same numbers; the dark theme is looked at too.
//
// The tests of this file run in order on one session, each starting where the previous one left off.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startAnalysis } from '../lib/analyzeFlow.mjs';
import { analyzeWithCli, cliEntry } from '../lib/cli.mjs';
import { assertShown } from '../lib/displayedNumber.mjs';
import {
  analysisPanelFrame,
  assertDrawnInValueOrder,
  chartCard,
  chartSeriesPoints,
  detailLayerName,
  hoverChartPoint,
  overviewChartTitles,
  panelStatus,
  plottable,
  readLayerTable,
  scrollIntoPanelView,
  waitForPanelStatus,
  waitUntil,
} from '../lib/panels.mjs';
import { fixtureFiles } from '../lib/paths.mjs';
import { cellUnder } from '../lib/webviewTable.mjs';
import { LIGHT_THEME, openSession } from '../lib/session.mjs';
import { ANALYSIS_TIMEOUT_MS, UI_TIMEOUT_MS } from '../lib/timeouts.mjs';

// The demo checkpoint (README's `npm run demo`): the small CNN, whose wide probes are reduced in the
// engine's metrics worker.
const MODEL = 'models/cnn.onnx';
const MODEL_NAME = path.basename(MODEL);
const PER_CLASS = 100;
const DATASET_NAME = 'Fashion-MNIST demo slice';
/** The same choices both times: the second analysis must find the first one's stored result. */
const ANALYSIS_PICKS = { dataset: DATASET_NAME, perClass: `${PER_CLASS} per class` };
/** The title of an analysis' progress notification, up while the analysis runs. */
const PROGRESS_TITLE = `Collapse Lens: ${MODEL_NAME}`;

/** The overview charts, their metric in the result JSON, and whether their y axis is logarithmic. */
const OVERVIEW_CHARTS = [
  { title: 'NC1 · within-class variability', metric: 'nc1', log: true, tooltipLabel: 'NC1' },
  { title: 'Nearest-class-centre accuracy', metric: 'nccAccuracy', log: false, tooltipLabel: 'NCC accuracy' },
  { title: 'NC2 · ETF distance', metric: 'etfDistance', log: false, tooltipLabel: 'ETF distance' },
  { title: 'CDNV · class-distance normalised variance', metric: 'cdnv', log: true, tooltipLabel: 'CDNV (mean)' },
];

let session;
/** The CLI's result for the same checkpoint, data and options (the reference for every number). */
let expected;
/** The panel's table as first read, compared with the one restored after a reload. */
let tableBeforeReload;
/** The Layers view's row of a layer of the expected result, found by its full tensor name. */
function layerRow(wb, name) {
  const layer = expected.layers.find((l) => l.name === name);
  assert.ok(layer !== undefined, `the result has no layer ${name}`);
  return wb.sideBarTreeRowByAccessibleLabel(`#${layer.depth} ${name},`);
}

/** The layer picked in the Layers view (restored after the reload too). */
let pickedLayer;

before(async () => {
  session = await openSession({
    name: 'analyze',
    theme: LIGHT_THEME,
    workspaceFiles: {
      fashion: fixtureFiles.fashion,
      [MODEL]: fixtureFiles.model(MODEL_NAME),
    },
  });
});
after(async () => {
  await session?.close();
});



test('right-click -> Analyze -> four quick picks -> progress -> the panel fills in', { timeout: 420_000 }, async () => {
  const wb = session.workbench;
  await wb.recordNotifications();
  await startAnalysis(wb, MODEL, ANALYSIS_PICKS);

  // The progress toast may be gone before a look finds it (the analysis takes seconds): screenshot it when
  // it is caught, and check afterwards that it was shown at all.
  const toast = await wb.waitForNotification(PROGRESS_TITLE, { timeout: 30_000 }).catch(() => null);
  if (toast !== null) await wb.screenshot('analyze-progress');

  const frame = await analysisPanelFrame(wb);
  await waitForPanelStatus(frame, 'Complete');
  const progressShown = await wb.notificationWasSeen(PROGRESS_TITLE);
  assert.ok(progressShown.ok, `no progress notification "${PROGRESS_TITLE}"; toasts seen: ${JSON.stringify(progressShown.seen)}`);
  await wb.page.mouse.move(5, 5); // no stray hover styles in the picture
  await wb.screenshot('panel-light');

  expected = await analyzeWithCli(cliEntry(session.extensionDir), [
    path.join(session.workspace, MODEL),
    '--train', path.join(session.workspace, 'fashion'),
    '--test', path.join(session.workspace, 'fashion'),
    '--per-class', String(PER_CLASS),
  ]);
  assert.ok(expected.layers.length > 0, 'the CLI reported no layers');
});

test("the panel's table shows one row per layer with the CLI's NC1 and NCC numbers", async () => {
  const frame = await analysisPanelFrame(session.workbench);
  const rows = await readLayerTable(frame);
  assert.deepEqual(rows.map((row) => cellUnder(row, 'Layer')), expected.layers.map((layer) => layer.name));
  for (const [i, layer] of expected.layers.entries()) {
    const row = rows[i];
    assertShown(cellUnder(row, 'NC1 train'), layer.metrics.train.nc1, `${layer.name} NC1 train`);
    assertShown(cellUnder(row, 'NCC train'), layer.metrics.train.nccAccuracy, `${layer.name} NCC train`);
    assertShown(cellUnder(row, 'NC1 test'), layer.metrics.test.nc1, `${layer.name} NC1 test`);
    assertShown(cellUnder(row, 'NCC test'), layer.metrics.test.nccAccuracy, `${layer.name} NCC test`);
  }
  tableBeforeReload = rows;
});

test('each overview chart draws every layer of each split, in the order of its values', async () => {
  const frame = await analysisPanelFrame(session.workbench);
  assert.deepEqual(await overviewChartTitles(frame), OVERVIEW_CHARTS.map((c) => c.title));
  for (const chart of OVERVIEW_CHARTS) {
    const series = await chartSeriesPoints(chartCard(frame, chart.title));
    assert.equal(series.length, 2, `${chart.title}: one series per split (train, held-out), got ${series.length}`);
    for (const [s, split] of ['train', 'test'].entries()) {
      const values = expected.layers.map((layer) => layer.metrics[split][chart.metric]).filter((v) => plottable(v, chart.log));
      assert.equal(values.length, expected.layers.length, `${chart.title} ${split}: the CLI result has a gap, which this fixture should not`);
      const points = series[s];
      assert.equal(points.length, values.length, `${chart.title} ${split}: ${points.length} points for ${values.length} layers`);
      // Left to right in probe order, and higher on screen exactly where the value is higher.
      for (let i = 1; i < points.length; i++) assert.ok(points[i].cx > points[i - 1].cx, `${chart.title} ${split}: point ${i} is not right of point ${i - 1}`);
      assertDrawnInValueOrder(points, values, `${chart.title} ${split}`);
    }
  }
});

test("hovering a chart point shows the layer's values as the CLI computed them", async () => {
  const frame = await analysisPanelFrame(session.workbench);
  const layers = expected.layers;
  // A middle layer of the NC1 chart, the last one of the NCC chart (train series: the first points).
  for (const [chart, index] of [[OVERVIEW_CHARTS[0], Math.floor(layers.length / 2)], [OVERVIEW_CHARTS[1], layers.length - 1]]) {
    const tooltip = await hoverChartPoint(frame, chartCard(frame, chart.title), index);
    const layer = layers.find((l) => l.name === tooltip.title);
    assert.ok(layer !== undefined, `${chart.title}: the tooltip names "${tooltip.title}", not a layer of the result`);
    assert.equal(layer.name, layers[index].name, `${chart.title}: hovering point ${index} should show layer ${layers[index].name}`);
    assertShown(tooltip.rows[`Train ${chart.tooltipLabel}`] ?? 'missing', layer.metrics.train[chart.metric], `${chart.title} tooltip, ${layer.name} train`);
    assertShown(tooltip.rows[`Test ${chart.tooltipLabel}`] ?? 'missing', layer.metrics.test[chart.metric], `${chart.title} tooltip, ${layer.name} test`);
    await session.workbench.screenshot(`tooltip-${chart.metric}`);
  }
  await session.workbench.page.mouse.move(5, 5);
});

test("clicking a layer in the Layers view shows it in the panel's detail", async () => {
  const wb = session.workbench;
  await wb.openViewContainer('Collapse Lens');
  const frame = await analysisPanelFrame(wb);
  const shownFirst = await detailLayerName(frame);
  // A layer other than the one shown by default, and not the first one either.
  pickedLayer = expected.layers.slice(1).find((layer) => layer.name !== shownFirst)?.name;
  assert.ok(pickedLayer !== undefined, 'the result has no second layer to pick');

  const row = layerRow(wb, pickedLayer);
  await row.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  // PyTorch's tensor names ("/pool1/MaxPool_output_0") are shown by their module path ("pool1").
  const shownName = ((await row.locator('.label-name').textContent()) ?? '').trim();
  assert.equal(shownName, pickedLayer.replace(/^\/(.+)\/[A-Za-z][A-Za-z0-9]*_output_0$/, '$1'), `Layers view label of ${pickedLayer}`);
  // The description is "NC1 <value> · NCC <value>%": the training split's numbers.
  const description = ((await row.locator('.label-description').textContent()) ?? '').trim();
  const match = /^NC1 (\S+) · NCC (\S+)/.exec(description);
  assert.ok(match !== null, `Layers view description of ${pickedLayer}: "${description}"`);
  const layer = expected.layers.find((l) => l.name === pickedLayer);
  assertShown(match[1], layer.metrics.train.nc1, `Layers view, ${pickedLayer} NC1`);
  assertShown(match[2], layer.metrics.train.nccAccuracy, `Layers view, ${pickedLayer} NCC`);
  await wb.screenshot('layers-view-light');

  await row.click();
  await waitUntil(async () => {
    const name = await detailLayerName(await analysisPanelFrame(wb));
    return { ok: name === pickedLayer, seen: name };
  }, `the panel's detail never showed ${pickedLayer} after clicking it in the Layers view`);
  // The panel keeps its scroll position on a pick from the side view; scroll to the detail to see it.
  const picked = await analysisPanelFrame(wb);
  await scrollIntoPanelView(picked, picked.locator('#cl-detail-heading'));
  await wb.screenshot('layer-picked-light');
});

test('a window reload restores the panel with the same numbers and the picked layer', { timeout: 180_000 }, async () => {
  const wb = session.workbench;
  await wb.reloadWindow();
  const frame = await analysisPanelFrame(wb);
  assert.equal(await panelStatus(frame), 'Complete');
  assert.deepEqual(await readLayerTable(frame), tableBeforeReload);
  assert.equal(await detailLayerName(frame), pickedLayer, 'the restored panel forgot the picked layer');
  await wb.screenshot('panel-after-reload');
});

/**
 * Switches the colour theme and checks the panel redrew for it (the webview body's theme class) with the
 * same table and every layer of both splits in the NC1 chart. Returns the panel's frame.
 */
async function switchThemeAndCheck(wb, theme, kind, bodyClass) {
  await wb.setColorTheme(theme, { kind });
  const frame = await analysisPanelFrame(wb);
  await frame.locator(`body.${bodyClass}`).waitFor({ state: 'attached', timeout: UI_TIMEOUT_MS });
  assert.deepEqual(await readLayerTable(frame), tableBeforeReload);
  const nc1 = await chartSeriesPoints(chartCard(frame, OVERVIEW_CHARTS[0].title));
  assert.deepEqual(nc1.map((points) => points.length), [expected.layers.length, expected.layers.length]);
  await wb.page.mouse.move(5, 5);
  return frame;
}

test('in the dark theme the panel redraws with the same numbers', { timeout: 180_000 }, async () => {
  const wb = session.workbench;
  const frame = await switchThemeAndCheck(wb, 'Dark Modern', 'dark', 'vscode-dark');
  await wb.screenshot('panel-dark');
  await scrollIntoPanelView(frame, frame.locator('#cl-detail-heading'));
  await wb.screenshot('detail-dark');
  await scrollIntoPanelView(frame, frame.locator('table.cl-table').first());
  await wb.screenshot('table-dark');
  await wb.openViewContainer('Collapse Lens');
  await wb.screenshot('layers-view-dark');
});

test('the same choices again show the stored result at once and offer a re-run', { timeout: 360_000 }, async () => {
  const wb = session.workbench;
  await wb.page.keyboard.press('Control+Shift+E'); // back to the explorer
  await startAnalysis(wb, MODEL, ANALYSIS_PICKS);

  const stored = await wb.waitForNotification(`Collapse Lens: showing the stored analysis of ${MODEL_NAME}`);
  // An information toast goes by itself after 15 s unless the pointer rests on it; on a busy machine the
  // checks below can take that long, and its Re-run button must still be there to click.
  await stored.hover();
  const rerun = stored.locator('.monaco-button', { hasText: /^Re-run$/ });
  assert.equal(await rerun.count(), 1, `the stored-result message offers no "Re-run": ${await stored.innerText()}`);
  assert.deepEqual(await readLayerTable(await analysisPanelFrame(wb)), tableBeforeReload);
  await wb.screenshot('stored-result-dark');

  await wb.recordNotifications();
  await rerun.click();
  await waitUntil(() => wb.notificationWasSeen(PROGRESS_TITLE), 'Re-run started no analysis (no progress notification)');
  // The panel keeps showing the stored result, "Complete", until the re-run's first layers arrive, so
  // its chip alone cannot tell the re-run is over. Its progress toast can: it goes once the result is
  // stored and sent to the panel. Only then is the panel's "Complete" the re-run's.
  await wb.waitForNotificationGone(PROGRESS_TITLE, { timeout: ANALYSIS_TIMEOUT_MS });
  const frame = await analysisPanelFrame(wb);
  await waitForPanelStatus(frame, 'Complete', { what: 'the re-run never completed' });
  // Same checkpoint, data, subsample seed and settings: the same numbers.
  assert.deepEqual(await readLayerTable(frame), tableBeforeReload);
});

test('the side panel: "Copy tensor name" on a layer; the Runs view reopens the stored run', { timeout: 180_000 }, async () => {
  const wb = session.workbench;
  await wb.openViewContainer('Collapse Lens');
  const pickedRow = layerRow(wb, pickedLayer);
  await pickedRow.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  await pickedRow.click({ button: 'right' });
  await wb.page.locator('.monaco-menu').first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  await wb.clickMenuItem('Copy tensor name');
  // The browser's clipboard is not readable here; the command says what it copied in the status bar.
  await wb.page.locator('.part.statusbar').filter({ hasText: `Copied ${pickedLayer}` }).first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });

  await wb.runCommand('View: Close All Editors');
  await wb.page.locator('.editor-group-container .tab').first().waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
  // What is reopened must be a finished run: none of the model's runs is still going (its progress toast
  // is gone), and the Runs view lists the run as stored complete (an incomplete one says "incomplete").
  await wb.waitForNotificationGone(PROGRESS_TITLE, { timeout: ANALYSIS_TIMEOUT_MS });
  const runRow = wb.page.locator('.part.sidebar .monaco-list-row').filter({ hasText: `${MODEL_NAME} · ` }).first();
  await runRow.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  assert.doesNotMatch(await runRow.innerText(), /incomplete/, 'the Runs view lists the run as incomplete');
  await runRow.click({ button: 'right' });
  await wb.page.locator('.monaco-menu').first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  await wb.clickMenuItem('Open analysis');
  const frame = await analysisPanelFrame(wb);
  await waitForPanelStatus(frame, 'Complete', { what: 'the run opened from the Runs view never said "Complete"' });
  assert.deepEqual(await readLayerTable(frame), tableBeforeReload, 'the run opened from the Runs view shows other numbers');
  await wb.screenshot('runs-view-open');
});

test('in a high-contrast theme the panel redraws with the same numbers', { timeout: 180_000 }, async () => {
  const wb = session.workbench;
  const frame = await switchThemeAndCheck(wb, 'Dark High Contrast', 'hc', 'vscode-high-contrast');
  await scrollIntoPanelView(frame, chartCard(frame, OVERVIEW_CHARTS[0].title));
  await wb.screenshot('panel-high-contrast');
  await scrollIntoPanelView(frame, frame.locator('#cl-detail-heading'));
  await wb.screenshot('detail-high-contrast');
});
