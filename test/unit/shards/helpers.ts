import { join } from 'node:path';
import type { AnalyzeRequest } from '../../../src/protocol/engine';
import type { AnalysisResult } from '../../../src/core/result';
import { runShardPassOne, runShardPassTwo } from '../../../src/engine/shards/runShard';
import { mergeShardFiles } from '../../../src/engine/shards/mergeFiles';
import { MEANS_SCHEMA, PASS_ONE_SCHEMA, PASS_TWO_SCHEMA, writeShardFile } from '../../../src/engine/shards/shardFile';
import { silentHooks } from '../pipeline/helpers/analyze';

/** Writes the n phase-1 files of `request` into `dir` as part1-<i>.json; returns their paths. */
export async function writePassOne(request: AnalyzeRequest, n: number, dir: string, prefix = 'part1'): Promise<string[]> {
  const paths: string[] = [];
  for (let index = 1; index <= n; index++) {
    const path = join(dir, `${prefix}-${index}.json`);
    await writeShardFile(path, PASS_ONE_SCHEMA, await runShardPassOne(request, { index, count: n }, silentHooks));
    paths.push(path);
  }
  return paths;
}

/** Merges phase-1 files into `dir`/<name>; returns its path. */
export async function writeMeans(paths: string[], dir: string, name = 'means.json'): Promise<string> {
  const merged = await mergeShardFiles(paths, undefined);
  if (merged.kind !== 'means') throw new Error(`expected the means, got ${merged.kind}`);
  const path = join(dir, name);
  await writeShardFile(path, MEANS_SCHEMA, merged.body);
  return path;
}

export async function writePassTwo(request: AnalyzeRequest, n: number, means: string, dir: string, prefix = 'part2'): Promise<string[]> {
  const paths: string[] = [];
  for (let index = 1; index <= n; index++) {
    const path = join(dir, `${prefix}-${index}.json`);
    await writeShardFile(path, PASS_TWO_SCHEMA, await runShardPassTwo(request, { index, count: n }, means, silentHooks));
    paths.push(path);
  }
  return paths;
}

export async function mergeResult(paths: string[], means?: string): Promise<AnalysisResult> {
  const merged = await mergeShardFiles(paths, means);
  if (merged.kind !== 'result') throw new Error(`expected the result, got ${merged.kind}`);
  return merged.result;
}

/** The whole sharded run: n shards of each phase, merged. */
export async function shardedRun(request: AnalyzeRequest, n: number, dir: string): Promise<AnalysisResult> {
  const means = await writeMeans(await writePassOne(request, n, dir), dir);
  return mergeResult(await writePassTwo(request, n, means, dir));
}

/** Fields that say when and how long, not what: they differ between any two runs. */
const VOLATILE = new Set(['createdAt', 'timing', 'shards']);
/** runtime fields that say where a single run's pass 2 took its features from (shards always infer). */
const PASS_TWO_SOURCE = new Set(['pass2', 'pass2CachedBytes', 'pass2Note']);

/** Only numbers (or nulls) inside: a vector, a matrix, a list of points. */
function numericTable(value: unknown): boolean {
  if (typeof value === 'number' || value === null) return true;
  return typeof value === 'object' && Object.values(value).every(numericTable);
}

/** The largest magnitude among the values inside a numeric table (a point's class label is not a value). */
function largest(value: unknown): number {
  if (typeof value === 'number') return Math.abs(value);
  if (value !== null && typeof value === 'object') return Math.max(0, ...Object.entries(value).map(([k, v]) => (k === 'label' ? 0 : largest(v))));
  return 0;
}

/**
 * Every number of `actual` within `relative` of `expected`, every other value equal, the same keys
 * everywhere; throws naming the JSON path of the first difference. A number is compared relative to the
 * larger of the two values or, inside an array (a matrix, a list of points), to the array's largest
 * entry: a coordinate near zero in a cloud of scale 1 carries the cloud's rounding, not its own.
 */
export function assertSameResult(actual: unknown, expected: unknown, relative: number, at = '', floor = 0): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    const scale = Math.max(Math.abs(expected), Math.abs(actual), floor);
    if (Math.abs(actual - expected) > relative * scale) throw new Error(`${at}: ${actual} vs ${expected} (difference ${Math.abs(actual - expected)} against a scale of ${scale})`);
    return;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) throw new Error(`${at}: ${JSON.stringify(actual)?.slice(0, 80)} vs an array of ${expected.length}`);
    const scale = numericTable(expected) ? Math.max(floor, largest(expected)) : 0;
    expected.forEach((e, i) => assertSameResult(actual[i], e, relative, `${at}[${i}]`, scale));
    return;
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) throw new Error(`${at}: ${JSON.stringify(actual)?.slice(0, 80)} vs an object`);
    const keys = (o: object) => Object.keys(o).filter((k) => !(at === '' && VOLATILE.has(k)) && !(at === 'runtime' && PASS_TWO_SOURCE.has(k))).sort();
    const a = keys(actual);
    const e = keys(expected);
    if (a.join() !== e.join()) throw new Error(`${at}: keys ${a.join(',')} vs ${e.join(',')}`);
    for (const k of e) assertSameResult((actual as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k], relative, at ? `${at}.${k}` : k, floor);
    return;
  }
  if (actual !== expected) throw new Error(`${at}: ${JSON.stringify(actual)} vs ${JSON.stringify(expected)}`);
}
