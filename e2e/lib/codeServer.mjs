// Starts a throwaway code-server: its own port, user-data, extensions and XDG folders, user settings
// written before it starts, output logged to the test's artifacts folder.
import { spawn, execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { codeServerEntry } from './paths.mjs';
import { stopGroup, trackGroup } from './lastResort.mjs';
import { STARTUP_TIMEOUT_MS } from './timeouts.mjs';

const execFileAsync = promisify(execFile);

/** Settings every test gets: no trust prompt, no welcome page, no telemetry, no update or tips noise. */
export const baseSettings = Object.freeze({
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'chat.commandCenter.enabled': false,
  'git.enabled': false,
});

export async function freePort() {
  const server = net.createServer();
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('could not read a free port');
  return address.port;
}

/** XDG folders inside `home`, so code-server never writes its config.yaml or logs into the real $HOME. */
function isolatedEnv(home) {
  return {
    ...process.env,
    XDG_CONFIG_HOME: path.join(home, 'xdg-config'),
    XDG_DATA_HOME: path.join(home, 'xdg-data'),
    XDG_CACHE_HOME: path.join(home, 'xdg-cache'),
  };
}

/** `code-server --install-extension <vsix>` into `extensionsDir` (what CI does with the packaged .vsix). */
export async function installVsix(vsixPath, extensionsDir, home) {
  fs.mkdirSync(extensionsDir, { recursive: true });
  const { stdout, stderr } = await execFileAsync(
    process.execPath,
    [codeServerEntry, '--extensions-dir', extensionsDir, '--install-extension', vsixPath, '--force'],
    { env: isolatedEnv(home), timeout: 120_000 },
  );
  if (!/was successfully installed/.test(stdout + stderr)) {
    throw new Error(`installing ${vsixPath} into ${extensionsDir} failed:\n${stdout}\n${stderr}`);
  }
}

/**
 * Links an unpacked extension folder (one with a package.json) into `extensionsDir` as
 * <publisher>.<name>-<version>, which code-server loads without packaging: quick while developing.
 */
export function linkUnpackedExtension(folder, extensionsDir) {
  const manifest = JSON.parse(fs.readFileSync(path.join(folder, 'package.json'), 'utf8'));
  fs.mkdirSync(extensionsDir, { recursive: true });
  const link = path.join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`);
  fs.symlinkSync(path.resolve(folder), link, 'dir');
}

function writeUserSettings(userDataDir, settings) {
  const userDir = path.join(userDataDir, 'User');
  fs.mkdirSync(userDir, { recursive: true });
  fs.writeFileSync(path.join(userDir, 'settings.json'), JSON.stringify({ ...baseSettings, ...settings }, null, 2));
}

async function waitForHealthz(url, child, logPath, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`code-server exited (${child.exitCode ?? child.signalCode}) before answering; see ${logPath}:\n${tail(logPath)}`);
    }
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await sleep(200);
  }
  throw new Error(`code-server did not answer ${url}/healthz within ${timeoutMs} ms; see ${logPath}:\n${tail(logPath)}`);
}

function tail(file, lines = 30) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Starts code-server on a free port for `workspace`. `home` is a scratch folder owned by the caller
 * (user data, XDG folders); `extensionsDir` must already hold the extensions to load.
 * Resolves once /healthz answers; `stop()` kills the whole process group and is safe to call twice.
 */
export async function startCodeServer({ workspace, home, extensionsDir, settings = {}, logPath, timeoutMs = STARTUP_TIMEOUT_MS }) {
  const userDataDir = path.join(home, 'user-data');
  writeUserSettings(userDataDir, settings);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  fs.mkdirSync(path.dirname(logPath), { recursive: true });
  const logFd = fs.openSync(logPath, 'a');
  const args = [
    codeServerEntry,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--extensions-dir', extensionsDir,
    '--user-data-dir', userDataDir,
    workspace,
  ];
  // detached = setsid: code-server and everything it forks form one process group we can kill at once.
  const child = spawn(process.execPath, args, {
    cwd: workspace,
    env: isolatedEnv(home),
    detached: true,
    stdio: ['ignore', logFd, logFd],
  });
  fs.closeSync(logFd);
  const pgid = child.pid;
  if (pgid === undefined) throw new Error('code-server did not start (no pid)');
  trackGroup(pgid);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await stopGroup(pgid);
  };
  try {
    await waitForHealthz(url, child, logPath, timeoutMs);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, port, userDataDir, extensionsDir, pid: pgid, stop };
}
