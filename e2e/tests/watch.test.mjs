// "Watch training folder": right-click a folder of epoch checkpoints, answer the trajectory's picks; the
// trajectory panel opens and grows as each checkpoint is analysed. A third checkpoint copied in slowly, in
// chunks (as a training script writes it), is analysed once whole, never half-written. After a window
// reload the watch resumes and reads back what is stored (nothing analysed again); a corrupt checkpoint
// is flagged and the watch goes on. Every wait is on a state (the status bar item, the chart's points).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { chartCard, waitUntil } from '../lib/panels.mjs';
import { epochFolderFiles, fixtureFiles, repoRoot } from '../lib/paths.mjs';
import { LIGHT_THEME, openSession } from '../lib/session.mjs';
import { ANALYSIS_TIMEOUT_MS, UI_TIMEOUT_MS } from '../lib/timeouts.mjs';

const FOLDER = 'run';
/** Three checkpoints of the same MLP, named as a training script names them. */
const EPOCHS = { 'epoch_002.onnx': 'mlp_early.onnx', 'epoch_300.onnx': 'mlp.onnx' };
const THIRD = { name: 'epoch_400.onnx', fixture: 'mlp_ls.onnx' };
const CORRUPT = 'epoch_500.onnx';
const AFTER_CORRUPT = { name: 'epoch_600.onnx', fixture: 'mlp_early.onnx' };
const PER_CLASS = 100;
const DATASET_NAME = 'Fashion-MNIST demo slice';
const NC1_CHART = 'NC1 against epoch (train)';

let session;

before(async () => {
  session = await openSession({
    name: 'watch',
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

/** The watch's status bar item: its text and its accessible label (the tooltip, with a line per folder). */
async function watchStatus() {
  const item = session.page.locator('.statusbar [aria-label^="Collapse Lens: "]').first();
  if ((await item.count()) === 0) return { text: '', label: '' };
  return { text: ((await item.textContent()) ?? '').trim(), label: (await item.getAttribute('aria-label')) ?? '' };
}

async function waitForStatus(test, what, timeoutMs = ANALYSIS_TIMEOUT_MS) {
  return waitUntil(async () => {
    const seen = await watchStatus();
    return { ok: test(seen), seen };
  }, `the watch status never showed ${what}`, timeoutMs);
}

/** The frame of the trajectory panel (found by its NC1 chart once it has points, or its empty state). */
async function trajectoryFrame(selector = '#cl-epochs-heading') {
  return session.workbench.findWebviewFrameWithSelector(selector, { timeout: ANALYSIS_TIMEOUT_MS });
}

/** How many points each series of the NC1 chart draws (one per analysed epoch). */
async function nc1PointsPerSeries(frame) {
  const card = chartCard(frame, NC1_CHART);
  if ((await card.count()) === 0) return [];
  return card.locator('svg').first().evaluate((svg) => Array.from(svg.querySelectorAll('g.cl-points')).map((g) => g.querySelectorAll('circle').length));
}

async function waitForPoints(frame, count) {
  await waitUntil(async () => {
    const seen = await nc1PointsPerSeries(frame);
    return { ok: seen.length > 0 && seen.every((n) => n === count), seen };
  }, `the NC1 chart never drew ${count} points per layer`, ANALYSIS_TIMEOUT_MS);
}

/** Writes a file in chunks with a pause between them, as a training script saving a checkpoint does. */
async function writeSlowly(target, bytes, chunks, onFirstChunk) {
  const fd = fs.openSync(target, 'w');
  try {
    const size = Math.ceil(bytes.length / chunks);
    for (let i = 0; i < chunks; i++) {
      fs.writeSync(fd, bytes, i * size, Math.min(size, bytes.length - i * size));
      fs.fsyncSync(fd);
      if (i === 0) await onFirstChunk();
      // Pacing the writer (not waiting for a result): the watcher must see the file grow.
      else await sleep(400);
    }
  } finally {
    fs.closeSync(fd);
  }
}

const fixtureBytes = (name) => fs.readFileSync(path.join(repoRoot, 'test', 'fixtures', 'models', name));

test('right-click a folder -> Watch training folder -> the panel opens and draws both checkpoints', { timeout: 420_000 }, async () => {
  const wb = session.workbench;
  await wb.rightClickExplorerItem(FOLDER);
  await wb.clickMenuItem('Watch training folder');
  await wb.answerQuickPick(DATASET_NAME, { showing: 'training data', timeout: 60_000 });
  await wb.answerQuickPick(/^fashion \(test\)$/, { showing: 'held-out data' });
  await wb.answerQuickPick(`${PER_CLASS} per class`, { showing: 'samples per class' });
  await waitForStatus((s) => /^Collapse Lens: watching 2 checkpoints, 0 queued/.test(s.label) && /\b2 analysed\b/.test(s.label), '2 checkpoints analysed');
  const frame = await trajectoryFrame();
  await waitForPoints(frame, 2);
  await wb.page.mouse.move(5, 5);
  await wb.screenshot('watch-two-checkpoints');
});

test('a third checkpoint copied in slowly, in chunks, is analysed once whole and appears in the panel', { timeout: 420_000 }, async () => {
  const wb = session.workbench;
  const target = path.join(session.workspace, FOLDER, THIRD.name);
  await writeSlowly(target, fixtureBytes(THIRD.fixture), 6, async () => {
    // The half-written file is seen (watched) but not analysed: it is still settling.
    await waitForStatus((s) => /^Collapse Lens: watching 3 checkpoints/.test(s.label), 'the half-written checkpoint seen', UI_TIMEOUT_MS);
    const seen = await watchStatus();
    assert.doesNotMatch(seen.text, /analysing epoch 400/, 'a half-written checkpoint was given to the engine');
    await wb.screenshot('watch-third-half-written');
  });
  await waitForStatus((s) => /\b3 analysed\b/.test(s.label) && /0 queued/.test(s.label), 'the third checkpoint analysed');
  const status = await watchStatus();
  assert.doesNotMatch(status.label, /corrupt|failed/, `the checkpoint written in chunks was flagged: ${status.label}`);
  const frame = await trajectoryFrame();
  await waitForPoints(frame, 3);
  await wb.page.mouse.move(5, 5);
  await wb.screenshot('watch-three-checkpoints');
});

test('after a window reload the watch resumes and reads the three analyses back, analysing none again', { timeout: 420_000 }, async () => {
  const wb = session.workbench;
  await wb.reloadWindow();
  const resumed = await waitForStatus((s) => /\b3 stored, 0 analysed\b/.test(s.label), '"3 stored, 0 analysed" after the reload');
  assert.match(resumed.seen.text, /watching 3 checkpoints, 0 queued/);
  const frame = await trajectoryFrame();
  await waitForPoints(frame, 3);
  await wb.page.mouse.move(5, 5);
  await wb.screenshot('watch-resumed');
});

test('a corrupt checkpoint is flagged and skipped, and the watch goes on with the next one', { timeout: 420_000 }, async () => {
  const wb = session.workbench;
  fs.writeFileSync(path.join(session.workspace, FOLDER, CORRUPT), Buffer.from('this is not an ONNX model, the training script crashed while saving'));
  // Flagged only once it has stayed unparsable for the watcher's corrupt delay: a ceiling above it.
  await waitForStatus((s) => /\b1 corrupt\b/.test(s.label), 'the corrupt checkpoint flagged');
  fs.copyFileSync(path.join(repoRoot, 'test', 'fixtures', 'models', AFTER_CORRUPT.fixture), path.join(session.workspace, FOLDER, AFTER_CORRUPT.name));
  await waitForStatus((s) => /watching 5 checkpoints, 0 queued/.test(s.label) && /\b4 stored\b|\b3 stored, 1 analysed\b/.test(s.label), 'the checkpoint after the corrupt one done');
  const frame = await trajectoryFrame();
  await waitForPoints(frame, 4);
  await wb.page.mouse.move(5, 5);
  await wb.screenshot('watch-corrupt-flagged');
});
