import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from './paths';

/**
 * Writes a plain ES module that runs src/engine/main.ts under tsx, so EngineClient can fork it exactly
 * as it forks dist/engine.js in the installed extension (no execArgv, `--ipc` as the only argument).
 * tsx's full loader is needed, not only its require hook: the engine loads its backends with import().
 * The first stdout line carries the engine's pid, which EngineClient logs as "[engine <pid>] ...".
 */
export function writeEngineLauncher(dir: string): string {
  const path = join(dir, 'engine-launcher.mjs');
  const tsx = pathToFileURL(require.resolve('tsx', { paths: [REPO_ROOT] })).href;
  const main = pathToFileURL(join(REPO_ROOT, 'src', 'engine', 'main.ts')).href;
  // Dynamic imports, in order: the loader must be registered before main.ts is even resolved.
  writeFileSync(path, `process.stdout.write('engine-pid ' + process.pid + '\\n');\nawait import(${JSON.stringify(tsx)});\nawait import(${JSON.stringify(main)});\n`);
  return path;
}

/** The pid EngineClient puts in front of each line it logs from the engine. */
export function pidFromLogLine(line: string): number | null {
  const m = /^\[engine (\d+)/.exec(line);
  return m ? Number(m[1]) : null;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits until the process is gone (it may take a moment to exit after its last message). */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (!isAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return !isAlive(pid);
}
