import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { runCli } from '../../../src/engine/cli/cli';

const ROOT = join(__dirname, '..', '..', '..');

/** The CLI exactly as a user runs it (from source, through tsx): exit code, stdout, stderr. */
export function cliProcess(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'engine', 'main.ts'), ...args], { encoding: 'utf8', cwd: ROOT, timeout: 120_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/**
 * runCli in-process with stderr captured, for cases that fail before writing to stdout (stdout stays
 * untouched: the test runner reports through it).
 */
export async function cliInProcess(...args: string[]): Promise<{ code: number; stderr: string }> {
  const err: string[] = [];
  const stderrWrite = process.stderr.write;
  process.stderr.write = ((chunk: string | Uint8Array) => err.push(String(chunk)) > 0) as typeof process.stderr.write;
  try {
    const code = await runCli(args);
    return { code, stderr: err.join('') };
  } finally {
    process.stderr.write = stderrWrite;
  }
}
