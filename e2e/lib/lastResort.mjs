// What must happen even when a test file dies: code-server forks an extension host, a pty host and file
// watchers; started with setsid (detached) they share one process group, and only killing the whole
// group leaves nothing behind. Groups and temp folders registered here are removed on exit and on
// SIGINT/SIGTERM/SIGHUP (a death by signal skips 'exit' handlers, hence both).
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

const liveGroups = new Set();
const tempDirs = new Set();

function killGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ESRCH') return false;
    throw error;
  }
}

function groupAlive(pgid) {
  return killGroup(pgid, 0);
}

export function trackGroup(pgid) {
  liveGroups.add(pgid);
}

/** SIGTERM the group, then SIGKILL whatever is still there after `graceMs`. */
export async function stopGroup(pgid, graceMs = 3000) {
  killGroup(pgid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (groupAlive(pgid) && Date.now() < deadline) await sleep(100);
  if (groupAlive(pgid)) killGroup(pgid, 'SIGKILL');
  liveGroups.delete(pgid);
}

/** A temp folder to delete if the process dies before its owner removes it (then call untrackTempDir). */
export function trackTempDir(dir) {
  tempDirs.add(dir);
}

export function untrackTempDir(dir) {
  tempDirs.delete(dir);
}

function cleanUpNow() {
  for (const pgid of liveGroups) killGroup(pgid, 'SIGKILL');
  liveGroups.clear();
  // Killed processes may still hold files open for a moment; a leftover folder in /tmp is no harm.
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  tempDirs.clear();
}

process.on('exit', cleanUpNow);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    cleanUpNow();
    // Playwright installs its own handlers that close the browser and exit; with none left, die as asked.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  });
}
