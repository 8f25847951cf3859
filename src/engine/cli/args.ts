import { parseArgs } from 'node:util';
import { UserError } from '../errors';

/** Flag specs in the shape node:util parseArgs takes; every command declares its own. */
export type FlagSpec = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;

export interface Parsed {
  positionals: string[];
  flags: Record<string, string | boolean | undefined>;
}

/** Parses strictly so a misspelt flag is an error that names it, not a silently ignored option. */
export function parse(command: string, argv: string[], spec: FlagSpec): Parsed {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: { ...spec, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    return { positionals, flags: values as Record<string, string | boolean | undefined> };
  } catch (err) {
    const why = err instanceof Error ? err.message.replace(/^.*?: /, '') : String(err);
    throw new UserError(`${command}: ${why} (see collapse-lens ${command} --help)`);
  }
}

export function intFlag(flags: Parsed['flags'], name: string, fallback: number, min: number): number {
  const raw = flags[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (typeof raw !== 'string' || !Number.isInteger(n) || n < min) throw new UserError(`--${name} must be an integer >= ${min}, got "${String(raw)}"`);
  return n;
}

export function numberFlag(flags: Parsed['flags'], name: string, fallback: number, check: (n: number) => boolean, expect: string): number {
  const raw = flags[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (typeof raw !== 'string' || !Number.isFinite(n) || !check(n)) throw new UserError(`--${name} must be ${expect}, got "${String(raw)}"`);
  return n;
}

export function listFlag(flags: Parsed['flags'], name: string): number[] | undefined {
  const raw = flags[name];
  if (raw === undefined) return undefined;
  const parts = String(raw).split(',').map((s) => Number(s.trim()));
  if (parts.length === 0 || parts.some((n) => !Number.isFinite(n))) throw new UserError(`--${name} must be comma-separated numbers, got "${String(raw)}"`);
  return parts;
}

export function choiceFlag<T extends string>(flags: Parsed['flags'], name: string, choices: readonly T[], fallback: T): T {
  const raw = flags[name];
  if (raw === undefined) return fallback;
  if (!choices.includes(raw as T)) throw new UserError(`--${name} must be one of ${choices.join(', ')}, got "${String(raw)}"`);
  return raw as T;
}

export function stringFlag(flags: Parsed['flags'], name: string): string | undefined {
  const raw = flags[name];
  return typeof raw === 'string' ? raw : undefined;
}
