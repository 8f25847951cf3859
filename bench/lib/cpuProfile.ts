/**
 * A V8 CPU profile of one call, taken in-process through the inspector (no files, no restart), and its
 * samples grouped by what the engine was doing: inference, each metrics module, decoding, GC.
 */
import { Session } from 'node:inspector/promises';
import type { Profiler } from 'node:inspector';

/** Sampled milliseconds per category, largest first. */
export type CpuCategories = Record<string, number>;

export async function profileCpu<T>(run: () => Promise<T>, intervalUs = 500): Promise<{ result: T; categories: CpuCategories }> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: intervalUs });
    await session.post('Profiler.start');
    const result = await run();
    const { profile } = await session.post('Profiler.stop');
    return { result, categories: categorize(profile) };
  } finally {
    session.disconnect();
  }
}

/** The first frame of the stack (innermost first) that tells which part of the engine is running. */
function categoryOf(stack: Profiler.ProfileNode[]): string {
  const top = stack[0]!.callFrame.functionName;
  if (top === '(garbage collector)') return 'garbage collection';
  if (top === '(idle)' || top === '(program)' || top === '(root)') return `${top} (native work outside JS, or waiting)`;
  for (const node of stack) {
    const url = node.callFrame.url;
    if (url.includes('onnxruntime')) return 'onnxruntime run (inference + output copies)';
    if (url.includes('tfjs')) return 'tfjs run';
    const metrics = url.indexOf('/core/metrics/');
    if (metrics >= 0) return `metrics: ${url.slice(metrics + '/core/metrics/'.length).replace(/\.ts$/, '')}`;
    if (url.includes('/core/dataset/')) return 'dataset: decode + preprocess';
    if (url.includes('/engine/analyze/')) return 'pipeline glue (engine/analyze)';
    if (url.includes('/engine/backends/')) return 'runner glue (engine/backends)';
  }
  return 'other';
}

export function categorize(profile: Profiler.Profile): CpuCategories {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const memo = new Map<number, string>();
  const totals = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  samples.forEach((id, i) => {
    let category = memo.get(id);
    if (category === undefined) {
      const stack: Profiler.ProfileNode[] = [];
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) stack.push(byId.get(at)!);
      category = categoryOf(stack);
      memo.set(id, category);
    }
    totals.set(category, (totals.get(category) ?? 0) + (deltas[i] ?? 0) / 1000);
  });
  return Object.fromEntries([...totals].sort((a, b) => b[1] - a[1]));
}
