// The right-click flow on a vision transformer (issue 13): the small torchvision ViT fixture, its token
// tensors reduced to the class token by default. Right-click vit.onnx -> "Analyze neural collapse" -> the
// four quick picks plus the transformer's token-reduction step -> the panel, whose layers, reductions and
// numbers must be the CLI's for the same checkpoint, data and options.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { analyzeWithCli, cliEntry } from '../lib/cli.mjs';
import { assertShown } from '../lib/displayedNumber.mjs';
import { analysisPanelFrame, readLayerTable, scrollIntoPanelView, waitForPanelStatus } from '../lib/panels.mjs';
import { cellUnder, tableWithHeader } from '../lib/webviewTable.mjs';
import { repoRoot } from '../lib/paths.mjs';
import { DARK_THEME, openSession } from '../lib/session.mjs';

const MODEL = 'models/vit.onnx';
const PER_CLASS = 100;
const DATASET_NAME = 'Fashion-MNIST 32x32 slice';
const FASHION32 = path.join(repoRoot, 'test', 'fixtures', 'fashion32');

/** The fixture's arrays described the way a user describes them, so the quick pick offers them by name. */
const DATASET_CONFIG = {
  classNames: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
  datasets: [{ name: DATASET_NAME, description: 'the demo slice padded to 32x32, 3 channels', train: 'train.npz', test: 'test.npz' }],
};

let session;
let expected;

before(async () => {
  session = await openSession({
    name: 'vit',
    theme: DARK_THEME,
    workspaceFiles: {
      'fashion32/train.npz': { copyFrom: path.join(FASHION32, 'train.npz') },
      'fashion32/test.npz': { copyFrom: path.join(FASHION32, 'test.npz') },
      'fashion32/collapse-lens.json': { contents: JSON.stringify(DATASET_CONFIG, null, 2) },
      [MODEL]: { copyFrom: path.join(repoRoot, 'test', 'fixtures', MODEL) },
    },
  });
});
after(async () => {
  await session?.close();
});


test('right-click the ViT -> Analyze -> picks incl. the token reduction -> the panel matches the CLI', { timeout: 600_000 }, async () => {
  const wb = session.workbench;
  await wb.revealExplorerItem(MODEL);
  await wb.rightClickExplorerItem(path.basename(MODEL));
  await wb.clickMenuItem('Analyze neural collapse');
  await wb.answerQuickPick(DATASET_NAME, { showing: 'training data (1/4)', timeout: 60_000 });
  await wb.answerQuickPick(/test\.npz/, { showing: 'held-out data (2/4)' });
  await wb.answerQuickPick(`${PER_CLASS} per class`, { showing: 'samples per class (3/4)' });
  await wb.answerQuickPick('Default probes', { showing: 'layers (4/4)' });
  // A transformer gets one more step; its default names the class token because the ViT has one.
  await wb.answerQuickPick('Default', { showing: 'token reduction (transformer)' });

  const frame = await analysisPanelFrame(wb);
  await waitForPanelStatus(frame, 'Complete');
  await wb.page.mouse.move(5, 5);
  await wb.screenshot('vit-panel');

  expected = await analyzeWithCli(cliEntry(session.extensionDir), [
    path.join(session.workspace, MODEL),
    '--train', path.join(session.workspace, 'fashion32', 'train.npz'),
    '--test', path.join(session.workspace, 'fashion32', 'test.npz'),
    '--per-class', String(PER_CLASS),
  ]);
  assert.ok(expected.layers.some((layer) => layer.reduction === 'cls'), 'the CLI reduced no token tensor to its class token');

  const rows = await readLayerTable(frame);
  assert.deepEqual(rows.map((row) => cellUnder(row, 'Layer')), expected.layers.map((layer) => layer.name));
  for (const [i, layer] of expected.layers.entries()) {
    const row = rows[i];
    // The op column states a reduced probe's reduction ("Add · cls"); a flattened one shows its op alone.
    if (layer.reduction !== 'flatten') assert.match(cellUnder(row, 'Op'), new RegExp(`· ${layer.reduction}$`), `${layer.name}: op column`);
    assertShown(cellUnder(row, 'NC1 train'), layer.metrics.train.nc1, `${layer.name} NC1 train`);
    assertShown(cellUnder(row, 'NCC train'), layer.metrics.train.nccAccuracy, `${layer.name} NCC train`);
    assertShown(cellUnder(row, 'NC1 test'), layer.metrics.test.nc1, `${layer.name} NC1 test`);
    assertShown(cellUnder(row, 'NCC test'), layer.metrics.test.nccAccuracy, `${layer.name} NCC test`);
  }
  await scrollIntoPanelView(frame, tableWithHeader(frame, 'NC1 train'));
  await wb.screenshot('vit-table');
});
