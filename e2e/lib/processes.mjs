// The extension's engine processes, seen from outside the way a user (or the OOM killer) sees them.
import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/**
 * Pids of the analysis engines the extension forked (`node <ext>/dist/engine.js --ipc`) from the
 * extension installed in `extensionDir`: other sessions' engines, and the CLI, are left out.
 */
export async function enginePids(extensionDir) {
  const { stdout } = await execFileAsync('ps', ['-eo', 'pid,args'], { maxBuffer: 16 * 1024 * 1024 });
  return stdout
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(.*)$/.exec(line))
    .filter((match) => match !== null && match[2].includes('dist/engine.js --ipc') && match[2].includes(extensionDir))
    .map((match) => Number(match[1]));
}

/** Waits until exactly one engine of `extensionDir` runs and returns its pid. */
export async function waitForOneEngine(extensionDir, { timeoutMs = 60_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pids = await enginePids(extensionDir);
    if (pids.length === 1) return pids[0];
    if (Date.now() > deadline) throw new Error(`expected one engine process of ${extensionDir}, found ${pids.length} (${pids.join(', ')})`);
    await sleep(200);
  }
}
