// The collapse-lens CLI, run the way a user runs it, for comparing its JSON with what the panel shows.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './paths.mjs';

const execFileAsync = promisify(execFile);

/**
 * The CLI entry: the installed extension's own (the very engine the panel's numbers came from) when it
 * ships one, else the repository's bin/collapse-lens.js.
 */
export function cliEntry(installedExtensionDir) {
  const candidates = installedExtensionDir
    ? [path.join(installedExtensionDir, 'bin', 'collapse-lens.js'), path.join(installedExtensionDir, 'dist', 'engine.js')]
    : [];
  candidates.push(path.join(repoRoot, 'bin', 'collapse-lens.js'));
  const found = candidates.find((candidate) => fs.existsSync(candidate));
  if (found === undefined) throw new Error(`no collapse-lens CLI among ${candidates.join(', ')}`);
  return found;
}

async function runCli(entry, command, args, timeoutMs) {
  await execFileAsync(process.execPath, [entry, command, ...args], { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 })
    .catch((error) => {
      throw new Error(`collapse-lens ${command} ${args.join(' ')} failed: ${error.stderr || error.message}`);
    });
}

/**
 * `collapse-lens <command> <args> --out <file>` and the parsed JSON it wrote. Without `out` the JSON goes
 * to a temporary file that is removed afterwards; with it, the file stays (e.g. for `compare`).
 */
async function runCliJson(entry, command, args, { timeoutMs, out }) {
  const dir = out === undefined ? fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lens-e2e-cli-')) : undefined;
  const file = out ?? path.join(dir, `${command}.json`);
  try {
    await runCli(entry, command, [...args, '--out', file], timeoutMs);
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } finally {
    if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** `collapse-lens analyze <args>` and the parsed result JSON (kept at `out` when given). */
export function analyzeWithCli(entry, args, { timeoutMs = 300_000, out } = {}) {
  return runCliJson(entry, 'analyze', [...args, '--quiet'], { timeoutMs, out });
}

/** `collapse-lens compare <results...> --labels <labels>` and the parsed comparison JSON. */
export function compareWithCli(entry, resultFiles, { labels, timeoutMs = 120_000 } = {}) {
  return runCliJson(entry, 'compare', [...resultFiles, ...(labels ? ['--labels', labels.join(',')] : [])], { timeoutMs });
}

/** `collapse-lens trajectory <folder> <args>` and the parsed trajectory JSON. */
export function trajectoryWithCli(entry, folder, args, { timeoutMs = 300_000 } = {}) {
  return runCliJson(entry, 'trajectory', [folder, ...args, '--quiet'], { timeoutMs });
}

/** `collapse-lens metrics <features.npz> ...` and the parsed result JSON (kept at `out` when given). */
export function metricsWithCli(entry, args, { timeoutMs = 300_000, out } = {}) {
  return runCliJson(entry, 'metrics', [...args, '--quiet'], { timeoutMs, out });
}
