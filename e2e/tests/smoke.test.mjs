// The extension installs and shows up where a user looks first: its activity bar container and the
// "Analyze neural collapse" entry in the explorer's context menu of an .onnx file.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DARK_THEME, openSession } from '../lib/session.mjs';
import { UI_TIMEOUT_MS } from '../lib/timeouts.mjs';

// The menu shows by file name (resourceExtname == .onnx), so any bytes will do here.
const MODEL_FILE = 'model.onnx';

let session;
before(async () => {
  session = await openSession({
    name: 'smoke',
    theme: DARK_THEME,
    workspaceFiles: { [MODEL_FILE]: { contents: 'not a real model: the menu only looks at the name' }, 'notes.txt': { contents: 'hello' } },
  });
});
after(async () => {
  await session?.close();
});

test('the activity bar shows the Collapse Lens container', async () => {
  const item = session.workbench.activityBarItem('Collapse Lens');
  await item.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  await session.workbench.openViewContainer('Collapse Lens');
  await session.workbench.screenshot('activity-bar');
});

test('an .onnx file offers "Analyze neural collapse" in the explorer context menu', async () => {
  await session.workbench.page.keyboard.press('Control+Shift+E'); // back to the explorer
  await session.workbench.rightClickExplorerItem(MODEL_FILE);
  const labels = await session.workbench.menuItemLabels();
  await session.workbench.screenshot('onnx-context-menu');
  await session.workbench.closeMenu(); // before asserting, so a failure leaves no menu for the next test
  assert.ok(labels.includes('Analyze neural collapse'), `context menu of ${MODEL_FILE}: ${labels.join(' | ')}`);
});

test('a file that is not a model does not offer it', async () => {
  await session.workbench.rightClickExplorerItem('notes.txt');
  const labels = await session.workbench.menuItemLabels();
  await session.workbench.closeMenu();
  assert.ok(labels.includes('Copy Path'), `the context menu of notes.txt opened with its usual items: ${labels.join(' | ')}`);
  assert.ok(!labels.includes('Analyze neural collapse'), `context menu of notes.txt: ${labels.join(' | ')}`);
});
