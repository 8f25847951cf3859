/**
 * Each side of a benchmark runs in its own Node process, so one side's heap, JIT state and native
 * allocations neither slow nor inflate the other; the child prints one marked JSON line.
 */
import { spawnSync } from 'node:child_process';

const MARKER = 'BENCH-RESULT ';

export type ReportValue = number | string | boolean | null | ReportValue[] | { [key: string]: ReportValue };
export type Report = { [key: string]: ReportValue };

/** Called by a child: adds its peak resident set size and prints the report for the parent. */
export function sendReport(report: Report): void {
  // resourceUsage().maxRSS is in kilobytes: the process's peak, native allocations included.
  process.stdout.write(`${MARKER}${JSON.stringify({ ...report, maxRssMiB: process.resourceUsage().maxRSS / 1024 })}\n`);
}

/** Runs `node --import tsx <script> ...args` and returns the report it printed. */
export function runChild(script: string, args: string[], timeoutMs = 15 * 60_000): Report {
  const r = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { encoding: 'utf8', maxBuffer: 64 << 20, timeout: timeoutMs });
  const line = r.stdout?.split('\n').find((l) => l.startsWith(MARKER));
  if (r.status !== 0 || !line) {
    throw new Error(`${script} ${args.join(' ')} failed (status ${r.status}, signal ${r.signal}):\n${(r.stderr ?? '').slice(-3000)}`);
  }
  const parsed: unknown = JSON.parse(line.slice(MARKER.length));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`${script}: malformed report ${line}`);
  return parsed as Report;
}

export function numberIn(report: Report, key: string): number {
  const v = report[key];
  if (typeof v !== 'number') throw new Error(`report has no number "${key}": ${JSON.stringify(report)}`);
  return v;
}
