// The extension's engine processes, seen from outside the way a user (or the OOM killer) sees them.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** A path with its links resolved, or as given when it is gone (a process may outlive its folder). */
function realOrSame(file) {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}

/**
 * Pids of the analysis engines the extension forked (`node <ext>/dist/engine.js --ipc`) from the
 * extension installed in `extensionDir`: other sessions' engines, and the CLI, are left out. The
 * engine's path is compared with its links resolved: an unpacked extension is linked into the
 * session's extensions folder, so its engine runs from the link's path, not from `extensionDir`.
 */
export async function enginePids(extensionDir) {
  const engine = realOrSame(path.join(extensionDir, 'dist', 'engine.js'));
  const { stdout } = await execFileAsync('ps', ['-eo', 'pid,args'], { maxBuffer: 16 * 1024 * 1024 });
  return stdout
    .split('\n')
    .map((line) => /^\s*(\d+)\s+.*?(\S*dist\/engine\.js) --ipc/.exec(line))
    .filter((match) => match !== null && realOrSame(match[2]) === engine)
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
