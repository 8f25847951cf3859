// The analysis engine dies mid-run (killed from outside, as the OOM killer would): the user must be told
// in words, the panel must say the run failed, no engine may be left behind, and the extension host must
// keep working: the next analysis runs to the end.
import assert from 'node:assert/strict';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { startAnalysis } from '../lib/analyzeFlow.mjs';
import { analysisPanelFrame, analysisPanelFrameWith, panelStatus, readLayerTable, waitForPanelStatus, waitUntil } from '../lib/panels.mjs';
import { fashionSplitSize, fixtureFiles } from '../lib/paths.mjs';
import { enginePids, waitForOneEngine } from '../lib/processes.mjs';
import { DARK_THEME, openSession } from '../lib/session.mjs';
import { ANALYSIS_TIMEOUT_MS } from '../lib/timeouts.mjs';

const SLOW_MODEL = 'models/cnn.onnx';
const FAST_MODEL = 'models/mlp.onnx';
const DATASET_NAME = 'Fashion-MNIST demo slice';
const KILLED_MESSAGE = 'The analysis engine was killed by SIGKILL';
const PROGRESS_TITLE = `Collapse Lens: ${path.basename(SLOW_MODEL)}`;
/** A progress line naming the pass, the split, the layer being reduced and the samples done of the split's. */
const PROGRESS_LINE = /pass([12]) · (train|test) · layer \S+ · (\d+)\/(\d+)/;
/** How long a frozen engine runs per step: a fraction of one batch on any machine. */
const STEP_MS = 30;

/** Lets a stopped engine run for a moment, then stops it again. */
async function stepProcess(pid) {
  stopProcess(pid, 'SIGCONT');
  await sleep(STEP_MS);
  stopProcess(pid, 'SIGSTOP');
}

/** Sends `signal` to the engine, saying so plainly when it has already finished (ESRCH). */
function stopProcess(pid, signal) {
  try {
    process.kill(pid, signal);
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ESRCH') assert.fail(`the engine (pid ${pid}) had ended before the test could send it ${signal}`);
    throw error;
  }
}

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

test('killing the engine mid-analysis is reported as such, in a notification and in the panel', { timeout: 300_000 }, async () => {
  const wb = session.workbench;
  await startAnalysis(wb, SLOW_MODEL, { dataset: DATASET_NAME, perClass: 'All samples' });
  await wb.waitForNotification(PROGRESS_TITLE);
  const pid = await waitForOneEngine(session.extensionDir);
  // Frozen at once (SIGSTOP stops all its threads) and from then on let run only in short steps until its
  // progress names a pass, a layer and the samples done: however fast the machine (the bundled WebAssembly
  // kernels finish this analysis in a few seconds) or slow, the kill always lands mid-run, and what the
  // test reads cannot change under it.
  stopProcess(pid, 'SIGSTOP');
  const progressToast = wb.page.locator('.notifications-toasts .notification-toast').filter({ hasText: PROGRESS_TITLE }).first();
  const { seen: progressText } = await waitUntil(async () => {
    const text = (await progressToast.count()) > 0 ? await progressToast.innerText() : '';
    if (PROGRESS_LINE.test(text)) return { ok: true, seen: text };
    await stepProcess(pid);
    return { ok: false, seen: text };
  }, 'no progress notification named a pass, a layer and the samples done', ANALYSIS_TIMEOUT_MS);
  const [, , split, done, total] = PROGRESS_LINE.exec(progressText) ?? assert.fail(`the progress notification says "${progressText}"`);
  assert.equal(Number(total), fashionSplitSize(split), `the progress counts the ${split} split's samples: "${progressText}"`);
  assert.ok(Number(done) <= Number(total), `more samples done than the split has: "${progressText}"`);
  // The panel tells the same run, frozen in a pass.
  const running = await analysisPanelFrameWith(wb, '.cl-progress:not(.hidden) .cl-progress-text');
  await waitUntil(async () => {
    const text = (await running.locator('.cl-progress-text').textContent()) ?? '';
    return { ok: /Pass/.test(text), seen: text };
  }, 'the panel never showed the pass the notification names');
  await wb.screenshot('before-kill');
  stopProcess(pid, 'SIGKILL');

  const toast = await wb.waitForNotification(KILLED_MESSAGE)
    .catch(async () => { throw new Error(`no "${KILLED_MESSAGE}" notification; showing: ${JSON.stringify(await wb.notificationTexts())}`); });
  assert.match(await toast.innerText(), /Collapse Lens: The analysis engine was killed by SIGKILL before finishing/);
  // Nothing runs any more: the run's progress toast, and its Cancel button, must go by themselves
  // (not only once the user has dismissed the error).
  await wb.waitForNotificationGone(PROGRESS_TITLE);
  const failed = await analysisPanelFrameWith(wb, '.cl-banner-error');
  assert.equal(await panelStatus(failed), 'Failed');
  assert.match((await failed.locator('.cl-banner-error .cl-banner-message').textContent()) ?? '', /killed by SIGKILL/);
  await wb.screenshot('engine-killed');
  assert.deepEqual(await enginePids(session.extensionDir), [], 'an engine process is still running after the kill');
});

test('after the crash the host still runs an analysis to the end', { timeout: 300_000 }, async () => {
  const wb = session.workbench;
  // Dismiss the error so it cannot be mistaken for a new one.
  await wb.runCommand('Notifications: Clear All Notifications');
  await startAnalysis(wb, FAST_MODEL, { dataset: DATASET_NAME, perClass: '100 per class' });
  const frame = await analysisPanelFrame(wb, { titleIncludes: path.basename(FAST_MODEL) });
  await waitForPanelStatus(frame, 'Complete', { what: `the ${FAST_MODEL} panel never completed` });
  const rows = await readLayerTable(frame);
  assert.ok(rows.length >= 2, `the ${FAST_MODEL} panel shows ${rows.length} layer rows`);
  assert.deepEqual((await wb.notificationTexts()).filter((text) => text.includes('engine')), [], 'an engine error was shown for the second analysis');
  await wb.page.mouse.move(5, 5);
  await wb.screenshot('analysis-after-crash');
});
