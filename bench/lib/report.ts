/** Printing the benchmark's tables (the same Markdown tables docs/benchmarks.md holds). */
import type { AnalysisProfile } from './progressProfile';
import type { ComponentTimes } from './componentsSide';
import type { CpuCategories } from './cpuProfile';
import type { RunnerKind } from './bareLoops';
import { fixed, formatTable } from './table';

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export interface BenchRow {
  model: string;
  /** Where the analysis computed its per-batch sums and products (result.runtime.reductionPath). */
  reductionPath?: string;
  kind: RunnerKind;
  images: number;
  batchSize: number;
  repeat: number;
  /** Medians of wall-clock and of CPU seconds (CPU time is less disturbed by other work on a shared machine). */
  analyzeSeconds: number;
  bareSeconds: number;
  analyzeCpuSeconds: number;
  bareCpuSeconds: number;
  /** Fastest runs: the estimate least disturbed by other work on a shared machine. */
  analyzeFastestSeconds: number;
  bareFastestSeconds: number;
  analyzeRssMiB: number;
  bareRssMiB: number;
  analyzeAccuracy: number | null;
  bareAccuracy: number;
  /** Progress-event profile of the median analysis run. */
  profile: AnalysisProfile;
  layers: number;
  /** The same analysis probing only the classifier input: the cost of two passes with little to reduce. */
  penultimateOnly?: { seconds: number; fastestSeconds: number; cpuSeconds: number; rssMiB: number; layers: number };
}

export function printRows(rows: BenchRow[], ratioGoal: number): void {
  const table: string[][] = [];
  for (const row of rows) {
    const name = `${row.model} (${row.kind})`;
    const line = (label: string, median: number, fastest: number, cpu: number, rss: number) => [
      label,
      fixed(median),
      fixed(fastest),
      fixed(row.images / median, 0),
      fixed(median / row.bareSeconds),
      fixed(fastest / row.bareFastestSeconds),
      fixed(cpu),
      fixed(rss, 0),
    ];
    table.push(line(`analyze ${name}, auto probes (${plural(row.layers, 'layer')})`, row.analyzeSeconds, row.analyzeFastestSeconds, row.analyzeCpuSeconds, row.analyzeRssMiB));
    const p = row.penultimateOnly;
    if (p) table.push(line(`analyze ${name}, classifier input only (${plural(p.layers, 'layer')})`, p.seconds, p.fastestSeconds, p.cpuSeconds, p.rssMiB));
    table.push(line(`bare loop ${name}`, row.bareSeconds, row.bareFastestSeconds, row.bareCpuSeconds, row.bareRssMiB));
  }
  console.log(formatTable(['run', 'median s', 'fastest s', 'images/s (median)', 'ratio (medians)', 'ratio (fastest)', 'CPU s (median)', 'peak RSS MiB'], table));
  for (const row of rows) {
    const ratio = row.analyzeSeconds / row.bareSeconds;
    const best = row.analyzeFastestSeconds / row.bareFastestSeconds;
    const verdict = (r: number) => (r <= ratioGoal ? 'met' : 'MISSED');
    console.log(`\n${row.model}: ${row.images} images, batch ${row.batchSize}, ${row.repeat} run(s) of each side: analyze/bare = ${fixed(ratio)} on medians, ${fixed(best)} on fastest runs (goal <= ${ratioGoal}: ${verdict(ratio)} / ${verdict(best)})`);
    const same = row.analyzeAccuracy === row.bareAccuracy;
    if (row.reductionPath) console.log(`reductions: ${row.reductionPath} (--reductions / COLLAPSE_LENS_REDUCTIONS)`);
    console.log(`top-1 accuracy: analyze ${row.analyzeAccuracy ?? '-'}, bare ${row.bareAccuracy}${same ? ' (identical: both sides saw the same inputs)' : '  <-- DIFFERENT: the two sides did not compute the same thing'}`);
  }
}

export function printProgressProfile(row: BenchRow): void {
  const p = row.profile;
  const lines: string[][] = [['setup (graph, shape run, session, open data)', fixed(p.setupSeconds)]];
  const layerTotals = new Map<string, number>();
  for (const [pass, prof] of Object.entries(p.passes)) {
    const layers = Object.values(prof.layerSeconds).reduce((a, b) => a + b, 0);
    if (Object.keys(prof.layerSeconds).length === 0) {
      // The metrics worker reduced this pass (wide probes): its work overlaps inference and sends no layer events.
      lines.push([`${pass}: batches, inference with the worker reducing alongside`, fixed(prof.batchAndInferenceSeconds)]);
      continue;
    }
    lines.push([`${pass}: wait for batch + inference (${prof.batches} batches)`, fixed(prof.batchAndInferenceSeconds)]);
    lines.push([`${pass}: accumulators, all layers`, fixed(layers)]);
    for (const [layer, s] of Object.entries(prof.layerSeconds)) layerTotals.set(layer, (layerTotals.get(layer) ?? 0) + s);
  }
  for (const [between, s] of Object.entries(p.betweenSeconds)) lines.push([`between ${between} (finish pass 1, set up pass 2)`, fixed(s)]);
  lines.push(['finish pass 2 + assemble the result', fixed(p.finishSeconds)]);
  lines.push(['total (median analyze run)', fixed(row.analyzeSeconds)]);
  console.log(`\nWhere the analysis's wall time goes (from its progress events):\n${formatTable(['part', 'seconds'], lines)}`);
  const perLayer = [...layerTotals].sort((a, b) => b[1] - a[1]).map(([name, s]) => [name, fixed(s)]);
  if (perLayer.length === 0) return;
  console.log(`\nAccumulator time per layer, both passes:\n${formatTable(['layer', 'seconds'], perLayer)}`);
}

export function printComponents(row: BenchRow, c: ComponentTimes): void {
  const line = (part: string, t: { seconds: number; cpuSeconds: number }) => [part, fixed(t.seconds), fixed(t.cpuSeconds), fixed(t.seconds / row.bareFastestSeconds)];
  console.log(
    `\nParts measured alone (${row.images} images, one pass, fastest of the interleaved runs):\n` +
      formatTable(
        ['part', 'seconds', 'CPU s', 'x bare (fastest)'],
        [
          line('decode + preprocess (engine IDX reader, streamBatches)', c.decode),
          line(`engine runner, every probe fetched (${c.probeFloatsPerImage} floats/image)`, c.runnerAllProbes),
          line('onnxruntime, probe-augmented graph, logits only', c.probeGraphLogitsOnly),
          line('engine runner, logits only (graph unchanged)', c.runnerLogitsOnly),
          line('every probe + 10 ms of JS per batch, default session (pool threads spin)', c.withReduction.spinning),
          line('the same with intra_op.allow_spinning = 0', c.withReduction.notSpinning),
        ],
      ),
  );
}

export function printCpuCategories(categories: CpuCategories): void {
  const total = Object.values(categories).reduce((a, b) => a + b, 0);
  const rows = Object.entries(categories)
    .filter(([, ms]) => ms >= total * 0.005)
    .map(([name, ms]) => [name, fixed(ms / 1000), `${fixed((100 * ms) / total, 1)}%`]);
  console.log(`\nCPU profile of one analysis (main thread, sampled every 0.5 ms; parts under 0.5% left out):\n${formatTable(['part', 'seconds', 'share'], rows)}`);
}
