// "Classifier (from weights)": right-click a checkpoint -> "Show classifier geometry (from weights)" and,
// before any dataset is picked, the Layers view shows the classifier's geometry with the numbers of
// `collapse-lens classifier` for the same file; a file that is not a model says so plainly; after an
// analysis the panel's card at the top shows the same four numbers.
//
// The tests of this file run in order on one session.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { startAnalysis } from '../lib/analyzeFlow.mjs';
import { cliEntry } from '../lib/cli.mjs';
import { assertShown } from '../lib/displayedNumber.mjs';
import { analysisPanelFrame, waitForPanelStatus } from '../lib/panels.mjs';
import { fixtureFiles } from '../lib/paths.mjs';
import { DARK_THEME, openSession } from '../lib/session.mjs';
import { UI_TIMEOUT_MS } from '../lib/timeouts.mjs';

const MODEL = 'models/mlp.onnx';
const NOT_A_MODEL = 'notes.onnx';
const NODE = 'Classifier (from weights)';

let session;
/** `collapse-lens classifier` on the same file: the reference for every number shown. */
let expected;

before(async () => {
  session = await openSession({
    name: 'classifier',
    theme: DARK_THEME,
    workspaceFiles: {
      fashion: fixtureFiles.fashion,
      [MODEL]: fixtureFiles.model('mlp.onnx'),
      [NOT_A_MODEL]: { contents: 'not a model: a text file named like one' },
    },
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lens-e2e-classifier-'));
  try {
    const out = path.join(dir, 'classifier.json');
    await promisify(execFile)(process.execPath, [cliEntry(session.extensionDir), 'classifier', path.join(session.workspace, MODEL), '--out', out]);
    expected = JSON.parse(fs.readFileSync(out, 'utf8')).checkpoints[0].classifier;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  assert.ok(expected, 'the CLI found no classifier in mlp.onnx');
});
after(async () => {
  await session?.close();
});

const ROWS = [
  ['ETF distance', 'etfDistance'],
  ['Equinorm', 'equinorm'],
  ['Equiangularity', 'equiangularity'],
  ['Max-angle', 'maxAngle'],
];

test('right-click -> Show classifier geometry: the Layers view shows the numbers at once, no dataset picked', async () => {
  const wb = session.workbench;
  await wb.revealExplorerItem(MODEL);
  await wb.rightClickExplorerItem(path.basename(MODEL));
  await wb.clickMenuItem('Show classifier geometry (from weights)');
  const node = wb.sideBarTreeRowByAccessibleLabel(`${NODE}: ETF distance`);
  await node.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  const label = (await node.getAttribute('aria-label')) ?? '';
  const match = /^Classifier \(from weights\): ETF distance (\S+), K = (\d+)$/.exec(label);
  assert.ok(match !== null, `the node reads "${label}"`);
  assertShown(match[1], expected.etfDistance, 'Layers view, classifier node ETF distance');
  assert.equal(Number(match[2]), expected.numClasses);
  for (const [rowLabel, key] of ROWS) {
    const row = wb.sideBarTreeRowByAccessibleLabel(`${rowLabel}: `);
    await row.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    const shown = ((await row.getAttribute('aria-label')) ?? '').slice(rowLabel.length + 2);
    assertShown(shown, expected[key], `Layers view, ${rowLabel}`);
  }
  await wb.sideBarTreeRowByAccessibleLabel('mlp.onnx, not analysed yet').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  await wb.page.mouse.move(5, 5);
  await wb.screenshot('layers-view-classifier');
});

test('a file that is not a model: the node says none was found, and why, in its tooltip', async () => {
  const wb = session.workbench;
  await wb.page.keyboard.press('Control+Shift+E');
  await wb.revealExplorerItem(NOT_A_MODEL);
  await wb.rightClickExplorerItem(NOT_A_MODEL);
  await wb.clickMenuItem('Show classifier geometry (from weights)');
  const node = wb.sideBarTreeRowByAccessibleLabel(`${NODE}: none found`);
  await node.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  await node.hover();
  const hover = wb.page.locator('.monaco-hover, .workbench-hover').filter({ hasText: 'No classifier' }).first();
  await hover.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  assert.match((await hover.textContent()) ?? '', /No classifier: the checkpoint cannot be read: .*notes\.onnx/);
  await wb.screenshot('layers-view-no-classifier');
  await wb.page.mouse.move(5, 5);
});

test("after an analysis, the panel's top card shows the same four numbers, the row norms and the cosine heatmap", { timeout: 420_000 }, async () => {
  const wb = session.workbench;
  await wb.page.keyboard.press('Control+Shift+E');
  await startAnalysis(wb, MODEL, { dataset: 'Fashion-MNIST demo slice', perClass: '100 per class' });
  const frame = await analysisPanelFrame(wb);
  await waitForPanelStatus(frame, 'Complete');
  const card = frame.locator('[data-testid="classifier-card"]');
  await card.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  for (const [, key] of ROWS) {
    const shown = ((await card.locator(`.cl-classifier-${key} dd`).textContent()) ?? '').trim();
    assertShown(shown, expected[key], `panel card, ${key}`);
  }
  assert.equal(await card.locator('meter').count(), expected.numClasses, 'one row-norm bar per class');
  assertShown(((await card.locator('.cl-classifier-norm-value').first().textContent()) ?? '').trim(), expected.rowNorms[0], 'panel card, first row norm');
  assert.match((await card.locator('.cl-classifier-bias dd').textContent()) ?? '', /^mean \S+, std \S+, range \[\S+, \S+\]$/);
  const cells = await card.locator('svg rect').count();
  assert.ok(cells >= expected.numClasses ** 2, `the cosine heatmap draws K x K cells (${cells} rects)`);
  await wb.page.mouse.move(5, 5);
  await wb.screenshot('panel-classifier-card');
});
