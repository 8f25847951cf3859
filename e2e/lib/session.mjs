// One test's world: a fresh workspace, a fresh code-server with the extension under test installed,
// a fresh Chromium showing the workbench. close() always tears everything down and keeps the evidence
// (final screenshot, code-server output, VS Code's own logs, browser console) in .artifacts/e2e/<name>/.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchChromium, VIEWPORT } from './chromium.mjs';
import { installVsix, linkUnpackedExtension, startCodeServer } from './codeServer.mjs';
import { trackTempDir, untrackTempDir } from './lastResort.mjs';
import { artifactsDirFor } from './paths.mjs';
import { STARTUP_TIMEOUT_MS, UI_TIMEOUT_MS } from './timeouts.mjs';
import { Workbench } from './workbench.mjs';

export const DARK_THEME = 'Default Dark Modern';
export const LIGHT_THEME = 'Default Light Modern';

/**
 * The extension under test, as e2e/run.sh hands it over: COLLAPSE_LENS_E2E_VSIX (a packaged .vsix,
 * installed the way a user would) or COLLAPSE_LENS_E2E_EXTENSION_FOLDER (an unpacked folder, linked).
 */
export function extensionFromEnv() {
  const vsix = process.env.COLLAPSE_LENS_E2E_VSIX;
  if (vsix) return { vsix: path.resolve(vsix) };
  const folder = process.env.COLLAPSE_LENS_E2E_EXTENSION_FOLDER;
  if (folder) return { folder: path.resolve(folder) };
  throw new Error('no extension to test: set COLLAPSE_LENS_E2E_VSIX or COLLAPSE_LENS_E2E_EXTENSION_FOLDER (e2e/run.sh does)');
}

/**
 * @param {Record<string, {copyFrom: string} | {contents: string | Buffer}>} files relative path -> source
 */
function writeWorkspace(workspace, files) {
  fs.mkdirSync(workspace, { recursive: true });
  for (const [relativePath, source] of Object.entries(files)) {
    const target = path.join(workspace, relativePath);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    if ('copyFrom' in source) fs.cpSync(source.copyFrom, target, { recursive: true });
    else fs.writeFileSync(target, source.contents);
  }
}

/** Installs or links the extension and returns the folder it lives in inside `extensionsDir`. */
async function prepareExtension(extension, extensionsDir, home) {
  if ('vsix' in extension) await installVsix(extension.vsix, extensionsDir, home);
  else linkUnpackedExtension(extension.folder, extensionsDir);
  const installed = fs.readdirSync(extensionsDir, { withFileTypes: true })
    .filter((entry) => !entry.name.startsWith('.') && (entry.isDirectory() || entry.isSymbolicLink()));
  if (installed.length !== 1) throw new Error(`expected one extension in ${extensionsDir}, found ${installed.map((e) => e.name).join(', ') || 'none'}`);
  return fs.realpathSync(path.join(extensionsDir, installed[0].name));
}

function recordBrowserConsole(page, logPath) {
  const append = (line) => fs.appendFileSync(logPath, `${new Date().toISOString()} ${line}\n`);
  page.on('console', (message) => append(`[${message.type()}] ${message.text()}`));
  page.on('pageerror', (error) => append(`[pageerror] ${error.stack ?? error.message}`));
}

/**
 * Records how long each phase of opening and closing a session took, in <artifacts>/timings.log, so a
 * slow run shows where its time went.
 */
function timingsLog(artifactsDir) {
  const file = path.join(artifactsDir, 'timings.log');
  return async (label, action) => {
    const start = Date.now();
    try {
      return await action();
    } finally {
      fs.appendFileSync(file, `${label.padEnd(24)} ${((Date.now() - start) / 1000).toFixed(2)} s\n`);
    }
  };
}

/** Runs every cleanup step even when an earlier one throws; reports the first error afterwards. */
async function runAll(steps, timed) {
  let firstError;
  for (const [label, step] of steps) {
    try {
      await timed(label, step);
    } catch (error) {
      firstError ??= error;
    }
  }
  if (firstError !== undefined) throw firstError;
}

/**
 * Opens the workbench on a fresh workspace holding `workspaceFiles`, with `theme` and extra user
 * `settings` (e.g. collapseLens.*), and waits until the activity bar shows `readyWhenActivityBarShows`
 * (null: do not wait). Returns { workbench, page, workspace, artifactsDir, server, extensionDir, close },
 * extensionDir being the installed extension's folder.
 * Call close() in a finally/after hook: it is what kills code-server.
 */
export async function openSession({
  name,
  theme = DARK_THEME,
  settings = {},
  workspaceFiles = {},
  userDataFiles = {},
  extension = extensionFromEnv(),
  readyWhenActivityBarShows = 'Collapse Lens',
}) {
  const artifactsDir = artifactsDirFor(name);
  fs.rmSync(artifactsDir, { recursive: true, force: true });
  fs.mkdirSync(artifactsDir, { recursive: true });
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lens-e2e-'));
  const workspace = path.join(home, 'workspace');
  const timed = timingsLog(artifactsDir);
  /** [label, step] pairs, run in reverse order by close(). */
  const cleanups = [];
  const close = async () => {
    const steps = cleanups.splice(0).reverse();
    await runAll(steps, timed);
  };
  const keep = process.env.COLLAPSE_LENS_E2E_KEEP === '1';
  if (!keep) trackTempDir(home);
  cleanups.push(['remove temp folders', () => {
    if (keep) return;
    fs.rmSync(home, { recursive: true, force: true });
    untrackTempDir(home);
  }]);
  try {
    writeWorkspace(workspace, workspaceFiles);
    // Files VS Code finds in its user data at start, e.g. stored runs under User/globalStorage/<extension id>/runs.
    writeWorkspace(path.join(home, 'user-data'), userDataFiles);
    const extensionsDir = path.join(home, 'extensions');
    const extensionDir = await timed('install extension', () => prepareExtension(extension, extensionsDir, home));

    const server = await timed('start code-server', () => startCodeServer({
      workspace,
      home,
      extensionsDir,
      settings: { 'workbench.colorTheme': theme, ...settings },
      logPath: path.join(artifactsDir, 'code-server.log'),
    }));
    // Cleanups run in reverse: the server stops (flushing its logs) before the logs are copied.
    cleanups.push(['copy VS Code logs', () => {
      const logs = path.join(server.userDataDir, 'logs');
      if (fs.existsSync(logs)) fs.cpSync(logs, path.join(artifactsDir, 'vscode-logs'), { recursive: true });
    }]);
    cleanups.push(['stop code-server', server.stop]);

    const browser = await timed('launch chromium', () => launchChromium());
    cleanups.push(['close chromium', () => browser.close()]);
    const page = await browser.newPage({ viewport: VIEWPORT });
    // Playwright's own 30 s default would be the ceiling of every click, hover and fill given no timeout:
    // the suite's ceiling for a workbench or webview change instead (see timeouts.mjs).
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    recordBrowserConsole(page, path.join(artifactsDir, 'browser-console.log'));
    const workbench = new Workbench(page, artifactsDir);
    cleanups.push(['final screenshot', () => workbench.screenshot('final')]);

    await timed('load workbench', async () => {
      await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
      await workbench.waitUntilReady({ explorerHasFiles: Object.keys(workspaceFiles).length > 0 });
    });
    if (readyWhenActivityBarShows !== null) {
      // The extension's menus and commands exist only once the workbench has read its contributions;
      // its activity bar entry appearing is the visible sign of that. A menu opened earlier lacks them.
      await timed('extension contributions', () => workbench.activityBarItem(readyWhenActivityBarShows).waitFor({ state: 'visible', timeout: STARTUP_TIMEOUT_MS }))
        .catch(() => { throw new Error(`the activity bar never showed "${readyWhenActivityBarShows}": is the extension installed and valid? See ${artifactsDir}`); });
    }
    return { workbench, page, workspace, artifactsDir, server, extensionDir, close };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}
