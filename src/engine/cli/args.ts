/**
 * The one parser of every command's flags. Strict on purpose: a number the user meant differently
 * (`--per-class 0x14`, `--mean ""`) must be refused with a message, never read as some other number,
 * because the result would look right and be wrong. Every message has the shape
 * `--name: expected <what>, got "<raw>"`; the CLI puts `collapse-lens <command>: ` in front.
 */
import { parseArgs } from 'node:util';
import { closeNames } from '../../core/closeNames';
import { UsageError } from '../errors';

/** Flag specs in the shape node:util parseArgs takes; every command declares its own. */
export type FlagSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

export interface Parsed {
  positionals: string[];
  flags: Record<string, string | boolean | undefined>;
}

/** A value that is really the next option: `--train --quiet` forgot the path. Negative numbers are values. */
const looksLikeOption = (value: string): boolean => /^-(-|[A-Za-z])/.test(value);

function unknownOption(rawName: string, name: string, spec: FlagSpec): string {
  const close = rawName.startsWith('--') ? closeNames(name, Object.keys(spec), 1) : [];
  return `unknown option ${rawName}${close.length ? ` (did you mean --${close[0]}?)` : ''}`;
}

/**
 * Parses the command line: an unknown option (with the closest known one), a string option without its
 * value and a value given to a switch are each refused in one line. An option given twice takes its last
 * value, as in most tools (an alias's default can be overridden).
 */
export function parse(argv: string[], spec: FlagSpec): Parsed {
  const options: FlagSpec = { ...spec, help: { type: 'boolean', short: 'h' } };
  // Not parseArgs' strict mode: its messages carry Node's generic advice, and it refuses `--mean -0.5`.
  const { tokens } = parseArgs({ args: argv, options, allowPositionals: true, strict: false, tokens: true });
  const positionals: string[] = [];
  const flags: Parsed['flags'] = {};
  for (const token of tokens) {
    if (token.kind === 'positional') positionals.push(token.value);
    if (token.kind !== 'option') continue;
    const def = Object.hasOwn(options, token.name) ? options[token.name] : undefined;
    if (!def) throw new UsageError(unknownOption(token.rawName, token.name, options));
    if (def.type === 'boolean' && token.value !== undefined) throw new UsageError(`--${token.name} takes no value, got "${token.value}"`);
    if (def.type === 'string' && (token.value === undefined || (!token.inlineValue && looksLikeOption(token.value)))) {
      throw new UsageError(`--${token.name} needs a value${token.value === undefined ? '' : ` (got the option ${token.value}; write --${token.name}=${token.value} if that is the value)`}`);
    }
    flags[token.name] = def.type === 'boolean' ? true : token.value;
  }
  return { positionals, flags };
}

/** A string flag's value as given, "" included (each typed reader says what it expected instead). */
function rawFlag(flags: Parsed['flags'], name: string): string | undefined {
  const raw = flags[name];
  return typeof raw === 'string' ? raw : undefined;
}

function expected(name: string, what: string, raw: string): UsageError {
  return new UsageError(`--${name}: expected ${what}, got "${raw}"`);
}

/** Plain decimal integers only: no hex/octal/binary prefixes, exponents, spaces or signs other than a leading minus. */
const INTEGER = /^-?\d+$/;
/** Plain decimal numbers: digits with an optional fraction and exponent; not "", " 1", "0x14", "Infinity", "NaN", "1_000". */
const DECIMAL = /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/** The number `raw` spells in plain decimal notation, or null. */
export function parseDecimal(raw: string): number | null {
  if (!DECIMAL.test(raw)) return null;
  const n = Number(raw);
  return Number.isFinite(n) ? n : null;
}

/** A whole number in [min, max]; `max` defaults to the largest integer a double holds exactly. */
export function intFlag(flags: Parsed['flags'], name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = rawFlag(flags, name);
  if (raw === undefined) return fallback;
  const n = INTEGER.test(raw) ? Number(raw) : NaN;
  const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw expected(name, `a whole number ${range}`, raw);
  return n;
}

/** A decimal number that passes `check`; `expect` says which ones do ("a positive number", "in [0, 1)"). */
export function numberFlag(flags: Parsed['flags'], name: string, fallback: number, check: (n: number) => boolean, expect: string): number {
  const raw = rawFlag(flags, name);
  if (raw === undefined) return fallback;
  const n = parseDecimal(raw);
  if (n === null || !check(n)) throw expected(name, expect, raw);
  return n;
}

/** Comma-separated items, none of them empty: `a,,b` or a trailing comma is a typo, not an item less. */
export function listItems(flags: Parsed['flags'], name: string): string[] | undefined {
  const raw = rawFlag(flags, name);
  if (raw === undefined) return undefined;
  const items = raw.split(',').map((s) => s.trim());
  const empty = items.findIndex((s) => s.length === 0);
  if (empty >= 0) throw expected(name, `comma-separated values with none empty (item ${empty + 1} of ${items.length} is empty)`, raw);
  return items;
}

/** Comma-separated decimal numbers that pass `check`; the first bad item is named. */
export function listFlag(flags: Parsed['flags'], name: string, check: (n: number) => boolean = () => true, expect = 'numbers'): number[] | undefined {
  const items = listItems(flags, name);
  if (items === undefined) return undefined;
  return items.map((item, i) => {
    const n = parseDecimal(item);
    if (n === null || !check(n)) throw expected(name, `comma-separated ${expect} (item ${i + 1} is "${item}")`, String(flags[name]));
    return n;
  });
}

export function choiceFlag<T extends string>(flags: Parsed['flags'], name: string, choices: readonly T[], fallback: T): T {
  const raw = rawFlag(flags, name);
  if (raw === undefined) return fallback;
  if (!choices.includes(raw as T)) throw expected(name, `one of ${choices.join(', ')}`, raw);
  return raw as T;
}

/** A string flag's value; an empty one (`--out ""`) is refused rather than taken as "not given". */
export function stringFlag(flags: Parsed['flags'], name: string): string | undefined {
  const raw = rawFlag(flags, name);
  if (raw === '') throw expected(name, 'a value', raw);
  return raw;
}
