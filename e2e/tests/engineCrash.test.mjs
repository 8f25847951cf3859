// The analysis engine dies mid-run (killed from outside, as the OOM killer would): the user must be told
// in words, the panel must say the run failed, no engine may be left behind, and the extension host must
// keep working: the next analysis runs to the end.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startAnalysis } from '../lib/analyzeFlow.mjs';
import { analysisPanelFrame, analysisPanelFrameWith, panelStatus, readLayerTable, waitUntil } from '../lib/panels.mjs';
import { fixtureFiles } from '../lib/paths.mjs';
import { enginePids, waitForOneEngine } from '../lib/processes.mjs';
import { DARK_THEME, openSession } from '../lib/session.mjs';

const SLOW_MODEL = 'models/cnn.onnx';
const FAST_MODEL = 'models/mlp.onnx';
const DATASET_NAME = 'Fashion-MNIST demo slice';
const KILLED_MESSAGE = 'The analysis engine was killed by SIGKILL';

let session;
before(async () => {
  session = await openSession({
    name: 'engine-crash',
    theme: DARK_THEME,
    workspaceFiles: {
      fashion: fixtureFiles.fashion,
      [SLOW_MODEL]: fixtureFiles.model('cnn.onnx'),
      [FAST_MODEL]: fixtureFiles.model('mlp.onnx'),
    },
  });
});
after(async () => {
  await session?.close();
});

test('killing the engine mid-analysis is reported as such, in a notification and in the panel', { timeout: 180_000 }, async () => {
  const wb = session.workbench;
  await startAnalysis(wb, SLOW_MODEL, { dataset: DATASET_NAME, perClass: 'All samples' });
  await wb.waitForNotification(`Collapse Lens: ${path.basename(SLOW_MODEL)}`, { timeout: 60_000 });
  const pid = await waitForOneEngine(session.extensionDir);
  // Kill it once it is really computing (its progress says a pass is under way), not while it starts.
  const running = await analysisPanelFrameWith(wb, '.cl-progress:not(.hidden) .cl-progress-text');
  await waitUntil(async () => {
    const text = (await running.locator('.cl-progress-text').textContent()) ?? '';
    return { ok: /Pass|Computing/.test(text), seen: text };
  }, 'the engine never reported a pass', 60_000);
  // The progress notification names the stage, the split, the layer being reduced and the samples done.
  const progress = wb.page.locator('.notifications-toasts .notification-toast').filter({ hasText: /· layer \S+ · \d+\/\d+/ }).first();
  await progress.waitFor({ state: 'visible', timeout: 60_000 })
    .catch(async () => { throw new Error(`no progress notification named a layer and the samples done; showing: ${JSON.stringify(await wb.notificationTexts())}`); });
  assert.match(await progress.innerText(), /pass[12] · (train|test) · layer \S+ · \d+\/2000/);
  await wb.screenshot('before-kill');
  process.kill(pid, 'SIGKILL');

  const toast = await wb.waitForNotification(KILLED_MESSAGE, { timeout: 30_000 })
    .catch(async () => { throw new Error(`no "${KILLED_MESSAGE}" notification; showing: ${JSON.stringify(await wb.notificationTexts())}`); });
  assert.match(await toast.innerText(), /Collapse Lens: The analysis engine was killed by SIGKILL before finishing/);
  // Nothing runs any more: the run's progress toast, and its Cancel button, must go by themselves
  // (not only once the user has dismissed the error).
  const progressToast = wb.page.locator('.notifications-toasts .notification-toast').filter({ hasText: `Collapse Lens: ${path.basename(SLOW_MODEL)}` });
  await progressToast.first().waitFor({ state: 'hidden', timeout: 10_000 })
    .catch(async () => { throw new Error(`the progress notification of the killed run stayed up: ${JSON.stringify(await wb.notificationTexts())}`); });
  const failed = await analysisPanelFrameWith(wb, '.cl-banner-error');
  assert.equal(await panelStatus(failed), 'Failed');
  assert.match((await failed.locator('.cl-banner-error .cl-banner-message').textContent()) ?? '', /killed by SIGKILL/);
  await wb.screenshot('engine-killed');
  assert.deepEqual(await enginePids(session.extensionDir), [], 'an engine process is still running after the kill');
});

test('after the crash the host still runs an analysis to the end', { timeout: 180_000 }, async () => {
  const wb = session.workbench;
  // Dismiss the error so it cannot be mistaken for a new one.
  await wb.runCommand('Notifications: Clear All Notifications');
  await startAnalysis(wb, FAST_MODEL, { dataset: DATASET_NAME, perClass: '100 per class' });
  const frame = await analysisPanelFrame(wb, { titleIncludes: path.basename(FAST_MODEL) });
  await waitUntil(async () => {
    const status = await panelStatus(frame);
    return { ok: status === 'Complete', seen: status };
  }, `the ${FAST_MODEL} panel never completed`, 120_000);
  const rows = await readLayerTable(frame);
  assert.ok(rows.length >= 2, `the ${FAST_MODEL} panel shows ${rows.length} layer rows`);
  assert.deepEqual((await wb.notificationTexts()).filter((text) => text.includes('engine')), [], 'an engine error was shown for the second analysis');
  await wb.page.mouse.move(5, 5);
  await wb.screenshot('analysis-after-crash');
});
