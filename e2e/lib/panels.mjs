// Reading the extension's webview panels the way a user reads them: the analysis panel's per-layer
// table, its overview charts' points and tooltips, its detail heading, and the compare panel. Selectors
// are the panels' own class names and headings (webview/analysis, webview/compare).
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { ANALYSIS_TIMEOUT_MS, UI_TIMEOUT_MS } from './timeouts.mjs';
import { readTable, tableWithHeader } from './webviewTable.mjs';

/** The analysis panel's title (its <h1>: the run's label, e.g. "mlp.onnx · fashion + fashion"). */
export async function panelTitle(frame) {
  return ((await frame.locator('.cl-header h1').first().textContent()) ?? '').trim();
}

/**
 * The analysis panel's frame, once its per-layer table has rows (the analysis has results); with
 * `titleIncludes`, the panel whose title contains that text (several panels may be open).
 */
export async function analysisPanelFrame(workbench, { timeout = ANALYSIS_TIMEOUT_MS, titleIncludes } = {}) {
  return workbench.findWebviewFrame(
    async (frame) =>
      (await frame.locator('#cl-detail-heading').count()) > 0 &&
      (await frame.locator('table.cl-table tbody tr').count()) > 0 &&
      (titleIncludes === undefined || (await panelTitle(frame)).includes(titleIncludes)),
    { timeout },
  );
}

/** An analysis panel's frame in whatever state, found by a selector it has (e.g. its failure banner). */
export async function analysisPanelFrameWith(workbench, selector, { timeout = ANALYSIS_TIMEOUT_MS } = {}) {
  return workbench.findWebviewFrame(async (frame) => (await frame.locator('.cl-header').count()) > 0 && (await frame.locator(selector).count()) > 0, { timeout });
}

/** The compare panel's frame, once its per-layer differences table has rows. */
export async function comparePanelFrame(workbench, { timeout = ANALYSIS_TIMEOUT_MS } = {}) {
  return workbench.findWebviewFrame(async (frame) => (await frame.locator('table.cl-differences-table tbody tr').count()) > 0, { timeout });
}

/** The analysis panel's status chip: "Complete", "Failed", "Running: partial results", "Running" or "Starting". */
export async function panelStatus(frame) {
  return ((await frame.locator('.cl-header .cl-chip').first().textContent()) ?? '').trim();
}

/**
 * Waits until the analysis panel's status chip reads `status` (e.g. "Complete"): how long an analysis
 * takes depends on the machine's load, so a test waits for the state, never for a time. The timeout is
 * only a ceiling for a run that never gets there.
 */
export async function waitForPanelStatus(frame, status, { what = `the analysis panel never said "${status}"`, timeoutMs = ANALYSIS_TIMEOUT_MS } = {}) {
  await waitUntil(async () => {
    const shown = await panelStatus(frame);
    return { ok: shown === status, seen: shown };
  }, what, timeoutMs);
}

/** The analysis panel's per-layer table as rows keyed by header ("Layer", "NC1 train", ...). */
export async function readLayerTable(frame) {
  return readTable(tableWithHeader(frame, 'NC1 train'));
}

/** The chart card whose heading starts with `title` (e.g. "NC1 · within-class variability"). */
export function chartCard(frame, title) {
  return frame.locator('section.cl-card').filter({ has: frame.locator('.cl-card-header h3', { hasText: title }) }).first();
}

/** The headings of every chart card in the panel's "Across depth" grid, in order. */
export async function overviewChartTitles(frame) {
  return frame.locator('.cl-grid-overview section.cl-card .cl-card-header h3').allTextContents();
}

/**
 * The drawn points of each series of a line chart: one array per series (in legend order) of
 * { cx, cy } circle centres. A series' points are the circles of its `g.cl-points` group.
 */
export async function chartSeriesPoints(card) {
  await card.locator('svg g.cl-points').first().waitFor({ state: 'attached', timeout: UI_TIMEOUT_MS });
  return card.locator('svg').first().evaluate((svg) =>
    Array.from(svg.querySelectorAll('g.cl-points')).map((group) =>
      Array.from(group.querySelectorAll('circle')).map((circle) => ({ cx: Number(circle.getAttribute('cx')), cy: Number(circle.getAttribute('cy')) })),
    ),
  );
}

/**
 * What each legend item of a line chart names (e.g. "Train (n = 1,000)", "Held-out test (n = 1,000)"): its
 * <title> where the drawn text is shorter (a trajectory's layer drawn by its short name), else its text.
 */
export async function chartLegend(card) {
  return card.locator('svg').first().evaluate((svg) => {
    // The legend is the last group of texts drawn at the top margin; its items are <g> with a line, a dot and a text.
    const items = Array.from(svg.querySelectorAll('g > g')).filter((g) => g.querySelector(':scope > line') && g.querySelector(':scope > circle') && g.querySelector(':scope > text'));
    return items.map((g) => (g.querySelector(':scope > title')?.textContent ?? g.querySelector(':scope > text')?.textContent ?? '').trim());
  });
}

/**
 * Moves the mouse onto the `index`-th point of a chart (points of all series in legend order) and
 * returns the tooltip it shows: { title, rows: { [label]: value } }.
 */
export async function hoverChartPoint(frame, card, index) {
  const target = card.locator('circle.cl-focus-target').nth(index);
  // Neighbouring series may draw their hover targets over this one; the mouse is moved to its centre
  // either way, and whichever target is on top there belongs to the same layer (same x).
  await target.hover({ force: true, timeout: UI_TIMEOUT_MS });
  return readTooltip(frame);
}

/** The tooltip the pointer shows now: { title, rows: { [label]: value } }. */
export async function readTooltip(frame) {
  const tooltip = frame.locator('#cl-tooltip.visible');
  await tooltip.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  return tooltip.evaluate((element) => {
    const text = (node) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
    const labels = Array.from(element.querySelectorAll('.cl-tooltip-label')).map(text);
    const values = Array.from(element.querySelectorAll('.cl-tooltip-value')).map(text);
    return { title: text(element.querySelector('.cl-tooltip-title')), rows: Object.fromEntries(labels.map((label, i) => [label, values[i] ?? ''])) };
  });
}

/** The detail section's heading, e.g. "Layer #1 /relu1/Relu_output_0". */
export async function detailHeading(frame) {
  return ((await frame.locator('#cl-detail-heading').textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

/** The full tensor name of the layer the detail section shows (the <code> inside its heading shows the short name). */
export async function detailLayerName(frame) {
  const code = frame.locator('#cl-detail-heading code');
  return (await code.getAttribute('data-layer')) ?? ((await code.textContent()) ?? '').trim();
}

/**
 * Scrolls a panel element into view and waits until the webview has painted there: a screenshot taken
 * right after a scroll can show the nested iframe half repainted (rows cut off mid-line).
 */
export async function scrollIntoPanelView(frame, locator) {
  await locator.scrollIntoViewIfNeeded({ timeout: UI_TIMEOUT_MS });
  await frame.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(undefined)))));
  await new Promise((resolve) => setTimeout(resolve, 500));
}

/** Whether a value gets a point in a chart (a log axis leaves out what is not positive). */
export const plottable = (value, log) => typeof value === 'number' && Number.isFinite(value) && (!log || value > 0);

/** Each pair of a series' points is drawn higher on screen exactly where its value is higher (ties aside). */
export function assertDrawnInValueOrder(points, values, what) {
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      if (Math.abs(values[i] - values[j]) < 1e-6 * Math.max(Math.abs(values[i]), 1e-12)) continue;
      assert.equal(Math.sign(points[j].cy - points[i].cy), -Math.sign(values[j] - values[i]), `${what}: layers ${i} and ${j} are drawn in the wrong vertical order`);
    }
  }
}

/**
 * Polls `condition` (which returns { ok, seen }) until ok, failing with `what` and the last thing seen;
 * a panel's status, a picked layer or a progress text that changes on its own time.
 */
export async function waitUntil(condition, what, timeoutMs = UI_TIMEOUT_MS) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await condition();
    if (last.ok) return last;
    if (Date.now() > deadline) throw new Error(`${what} (last seen: ${JSON.stringify(last.seen)})`);
    await sleep(200);
  }
}
