// The whole user flow: right-click a checkpoint -> "Analyze neural collapse" -> the four quick picks ->
// progress -> the analysis panel, whose per-layer numbers must equal the CLI's JSON for the same
// checkpoint, data and options.
//
// Skipped unless COLLAPSE_LENS_E2E_FULL=1 while the extension and engine are being finished.
// COLLAPSE_LENS_E2E_MODEL (an .onnx; default: the first test/fixtures/models/*.onnx) and
// COLLAPSE_LENS_E2E_DATASET (default: Debian's Fashion-MNIST IDX folder) choose what is analyzed.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { analyzeWithCli, cliEntry } from '../lib/cli.mjs';
import { displayedMatches } from '../lib/displayedNumber.mjs';
import { repoRoot } from '../lib/paths.mjs';
import { LIGHT_THEME, openSession } from '../lib/session.mjs';
import { readTable, tableWithHeader } from '../lib/webviewTable.mjs';

const FULL = process.env.COLLAPSE_LENS_E2E_FULL === '1';
const PER_CLASS = 100;
const DATASET = process.env.COLLAPSE_LENS_E2E_DATASET ?? '/usr/share/datasets/fashion-mnist';

function fixtureModel() {
  if (process.env.COLLAPSE_LENS_E2E_MODEL) return path.resolve(process.env.COLLAPSE_LENS_E2E_MODEL);
  const dir = path.join(repoRoot, 'test', 'fixtures', 'models');
  const models = fs.existsSync(dir) ? fs.readdirSync(dir).filter((name) => name.endsWith('.onnx')).sort() : [];
  if (models.length === 0) throw new Error(`no .onnx in ${dir}; set COLLAPSE_LENS_E2E_MODEL`);
  return path.join(dir, models[0]);
}

/** The cell under the header that starts with `label` (headers may carry sort arrows or units). */
function cell(row, label) {
  const header = Object.keys(row).find((key) => key === label || key.startsWith(`${label} `));
  assert.ok(header !== undefined, `the panel's table has no "${label}" column (it has ${Object.keys(row).join(', ')})`);
  return row[header];
}

function assertShown(row, label, expected, layerName) {
  const shown = cell(row, label);
  assert.ok(displayedMatches(shown, expected), `${layerName} ${label}: panel shows "${shown}", CLI computed ${expected}`);
}

let session;
let modelName;
before(async () => {
  if (!FULL) return;
  const model = fixtureModel();
  modelName = path.basename(model);
  session = await openSession({
    name: 'analyze',
    theme: LIGHT_THEME,
    workspaceFiles: { [modelName]: { copyFrom: model } },
  });
});
after(async () => {
  await session?.close();
});

test('right-click -> quick picks -> panel shows the numbers the CLI computes', { skip: !FULL && 'set COLLAPSE_LENS_E2E_FULL=1', timeout: 300_000 }, async () => {
  const { workbench } = session;
  await workbench.rightClickExplorerItem(modelName);
  await workbench.clickMenuItem('Analyze neural collapse');

  await workbench.answerQuickPick(/Choose a dataset folder/, { showing: 'training data (1/4)', timeout: 60_000 });
  await workbench.answerFileDialog(DATASET);
  await workbench.answerQuickPick(/^Test part of/, { showing: 'held-out data (2/4)' });
  await workbench.answerQuickPick(`${PER_CLASS} per class`, { showing: 'samples per class (3/4)' });
  await workbench.answerQuickPick('Default probes', { showing: 'layers (4/4)' });
  await workbench.waitForNotification(`Collapse Lens: ${modelName}`, { timeout: 60_000 });
  await workbench.screenshot('analyze-progress');

  const panel = await workbench.findWebviewFrameWithSelector('table th', { timeout: 240_000 });
  const table = tableWithHeader(panel, 'NC1 train');
  await table.locator('tbody tr').first().waitFor({ state: 'visible', timeout: 240_000 });
  const rows = await readTable(table);
  await workbench.screenshot('analyze-panel');

  const expected = await analyzeWithCli(cliEntry(session.extensionDir), [
    path.join(session.workspace, modelName),
    '--train', DATASET,
    '--test', DATASET,
    '--per-class', String(PER_CLASS),
    '--layers', 'auto',
  ]);

  assert.ok(expected.layers.length > 0, 'the CLI reported no layers');
  assert.equal(rows.length, expected.layers.length, `panel rows: ${rows.map((row) => cell(row, 'Layer')).join(', ')}`);
  for (const layer of expected.layers) {
    const row = rows.find((candidate) => cell(candidate, 'Layer') === layer.name);
    assert.ok(row !== undefined, `the panel has no row for layer ${layer.name}`);
    assertShown(row, 'NC1 train', layer.metrics.train.nc1, layer.name);
    assertShown(row, 'NCC train', layer.metrics.train.nccAccuracy, layer.name);
    assertShown(row, 'NC1 test', layer.metrics.test.nc1, layer.name);
    assertShown(row, 'NCC test', layer.metrics.test.nccAccuracy, layer.name);
  }
});
