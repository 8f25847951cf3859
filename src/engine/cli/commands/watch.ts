import { dirname, resolve } from 'node:path';
import type { CliCommand } from '../cli';
import { intFlag, type FlagSpec } from '../args';
import { checkOutputTarget, writeJsonOutput } from '../outputFile';
import { stderrProgress } from '../progressBar';
import { openWatchStore, storeResult, watchSettings, type WatchStore } from '../watchStore';
import { parseFolderCommand } from './trajectory';
import { UsageError } from '../../errors';
import { throttleProgress } from '../../progress';
import { analyzeCheckpoint } from '../../analyze/pipeline';
import { MemoryRefusal } from '../../analyze/memoryEstimate';
import { CheckpointWatcher, DEFAULT_WATCH_OPTIONS } from '../../../core/watch/checkpointWatcher';
import { watchTrajectory } from '../../../core/watch/watchTrajectory';
import type { WatchedCheckpoint, WatchRecord } from '../../../core/watch/types';
import { messageOf } from '../../../core/messageOf';

const WATCH_FLAGS: FlagSpec = {
  'newest-first': { type: 'boolean' },
  'poll-ms': { type: 'string' },
  'settle-ms': { type: 'string' },
  'corrupt-after-ms': { type: 'string' },
  'exit-when-idle': { type: 'boolean' },
};

const USAGE = `Usage: collapse-lens watch <folder> --train <dataset> [--test <dataset>] [analyze options] --out trajectory.json

Watches a training folder and analyses each epoch checkpoint once, those already there and each new one
as it lands (epoch_012.onnx, checkpoint-3000/model.json: the names trajectory reads), one at a time.
A checkpoint is read only once the size and modification time of every file it reads stayed unchanged
for --settle-ms and it parses whole (a TF.js model's shards may land after its model.json). After each
checkpoint the whole trajectory JSON is replaced atomically; each analysis is kept beside it in
<out>.runs/. Started again on the same --out, folder and settings, it resumes without analysing again
what is stored. A corrupt checkpoint is flagged and skipped; a deleted one is kept. Ctrl-C stops it
(exit 130), the JSON left whole. Takes every option of collapse-lens analyze, and:

  --out, -o <file>          the trajectory JSON (required)
  --newest-first            analyse the newest waiting checkpoint first (default: oldest first)
  --poll-ms N               how often the folder is listed (default ${DEFAULT_WATCH_OPTIONS.pollMs})
  --settle-ms N             how long every file must stay unchanged before it is read (default ${DEFAULT_WATCH_OPTIONS.settleMs})
  --corrupt-after-ms N      how long a stable checkpoint may stay unparsable before it is called corrupt
                            (default ${DEFAULT_WATCH_OPTIONS.corruptAfterMs}; a TF.js shard still on its way is waited for)
  --exit-when-idle          exit once every checkpoint present is analysed, corrupt or deleted`;

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/**
 * An analysis that failed on the checkpoint itself (its message names it) flags it; any other failure (the
 * dataset), and a refusal for size (the settings' fault, the same for every epoch), stops the watch.
 */
export function failedOnCheckpoint(err: unknown, checkpoint: WatchedCheckpoint): boolean {
  if (err instanceof MemoryRefusal) return false;
  const message = messageOf(err);
  return message.includes(checkpoint.file) || (checkpoint.file.endsWith('model.json') && message.includes(dirname(checkpoint.file)));
}

export const watchCommand: CliCommand = {
  name: 'watch',
  summary: 'watch a training folder: analyse each epoch checkpoint as it lands, growing a trajectory JSON',
  usage: USAGE,
  async run(argv) {
    const { folder, out, quiet, flags, request, requestFor } = parseFolderCommand('watch', argv, WATCH_FLAGS);
    if (!out) throw new UsageError('watch needs --out <trajectory.json>: the trajectory is rewritten there after each checkpoint (see collapse-lens watch --help)');
    const options = {
      pollMs: intFlag(flags, 'poll-ms', DEFAULT_WATCH_OPTIONS.pollMs, 10),
      settleMs: intFlag(flags, 'settle-ms', DEFAULT_WATCH_OPTIONS.settleMs, 0),
      corruptAfterMs: intFlag(flags, 'corrupt-after-ms', DEFAULT_WATCH_OPTIONS.corruptAfterMs, 0),
    };
    const newestFirst = flags['newest-first'] === true;
    const root = resolve(folder);
    await checkOutputTarget(out);
    const settings = watchSettings(request);
    const store = await openWatchStore(out, root, settings);
    for (const note of store.notes) process.stderr.write(`warning: ${note}\n`);
    const resumed = [...store.records.values()].filter((r) => store.results.has(r.file)).length;
    if (resumed > 0) process.stdout.write(`resuming: ${resumed} checkpoint(s) already analysed in ${out}\n`);

    const watcher = new CheckpointWatcher(root, options);
    let analysedNow = 0;
    let skippedShown = new Set<string>();
    // The write under way, if any: a signal waits for it, so the JSON on disk is whole whenever we exit.
    let writing: Promise<unknown> | null = null;
    let stopping = false;
    const guard = async <T>(work: Promise<T>): Promise<T> => {
      writing = work;
      try {
        return await work;
      } finally {
        writing = null;
      }
    };
    const writeTrajectory = () => guard(writeJsonOutput(buildFrom(store, root, settings, watcher.skipped()), out));
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      void (writing ?? Promise.resolve()).catch(() => undefined).then(() => {
        process.stderr.write(`collapse-lens watch: stopped by ${signal}; ${out} holds ${analysedCount(store)} analysed checkpoint(s)\n`);
        process.exit(signal === 'SIGINT' ? 130 : 143);
      });
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      let firstPass = true;
      for (;;) {
        await watcher.poll();
        const snapshot = watcher.snapshot();
        let changed = reconcile(store, snapshot) || firstPass;
        firstPass = false;
        for (const s of watcher.skipped()) if (!skippedShown.has(s)) process.stderr.write(`warning: skipped ${s}\n`);
        skippedShown = new Set(watcher.skipped());
        const queue = snapshot.filter((c) => c.state === 'ready' && store.records.get(c.file)?.key !== c.key);
        if (newestFirst) queue.reverse();
        const next = queue[0];
        if (stopping) return 130;
        if (next) {
          if (!quiet) process.stderr.write(`epoch ${next.epoch}: analysing ${next.file}${queue.length > 1 ? ` (${queue.length - 1} more waiting)` : ''}\n`);
          try {
            const result = await analyzeCheckpoint(requestFor(next.file), { onProgress: throttleProgress(stderrProgress(quiet)) });
            const stored = await guard(storeResult(out, root, next.file, result));
            store.results.set(next.file, result);
            store.records.set(next.file, { file: next.file, epoch: next.epoch, key: next.key, state: 'analysed', result: stored, analysedAt: new Date().toISOString() });
            analysedNow++;
            // Each epoch's own warnings reach the screen as they come, as trajectory prints them (never dropped).
            for (const w of result.warnings ?? []) process.stderr.write(`warning: epoch ${next.epoch}: ${w}\n`);
          } catch (err) {
            if (!failedOnCheckpoint(err, next)) throw err;
            const message = messageOf(err);
            store.records.set(next.file, { file: next.file, epoch: next.epoch, key: next.key, state: 'corrupt', reason: `analysis failed: ${message}` });
            store.results.delete(next.file);
            process.stderr.write(`warning: corrupt checkpoint skipped: ${next.file}: analysis failed: ${message}\n`);
          }
          if (stopping) return 130;
          await writeTrajectory();
          process.stdout.write(`epoch ${next.epoch} ${store.records.get(next.file)?.state}: ${analysedCount(store)} analysed, trajectory written to ${out}\n`);
          // List again at once: a newer checkpoint may have landed during the analysis (--newest-first).
          continue;
        }
        if (changed) await writeTrajectory();
        changed = false;
        if (flags['exit-when-idle'] === true && snapshot.every((c) => c.state !== 'settling')) {
          const count = (state: WatchRecord['state']) => [...store.records.values()].filter((r) => r.state === state).length;
          process.stdout.write(
            `watch idle: ${analysedCount(store)} analysed (${analysedNow} now, ${analysedCount(store) - analysedNow} from before), ` +
              `${count('corrupt')} corrupt, ${count('deleted')} deleted; trajectory in ${out}\n`,
          );
          return 0;
        }
        await sleep(options.pollMs);
      }
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  },
};

/** Checkpoints with an analysis in the trajectory (deleted ones keep theirs). */
function analysedCount(store: WatchStore): number {
  return [...store.records.values()].filter((r) => r.state !== 'corrupt' && store.results.has(r.file)).length;
}

/**
 * Brings the records in line with what the watcher sees; true when any changed. A checkpoint gone from
 * the folder (this watch saw it go, or a previous watch recorded it and it is not there now) is deleted,
 * its analysis kept; a corrupt one is recorded with its reason and announced once; one that is ready with
 * the key already analysed (a resume, or a deleted file put back) takes its stored analysis.
 */
function reconcile(store: WatchStore, snapshot: WatchedCheckpoint[]): boolean {
  let changed = false;
  const present = new Set(snapshot.filter((c) => c.state !== 'deleted').map((c) => c.file));
  for (const r of store.records.values()) {
    if (!present.has(r.file) && r.state !== 'deleted') {
      const { reason: _corruptBecause, ...kept } = r;
      store.records.set(r.file, { ...kept, state: 'deleted' });
      changed = true;
    }
  }
  for (const c of snapshot) {
    const r = store.records.get(c.file);
    if (c.state === 'deleted' && !r) {
      store.records.set(c.file, { file: c.file, epoch: c.epoch, key: c.key, state: 'deleted' });
      changed = true;
    } else if (c.state === 'corrupt' && !(r?.state === 'corrupt' && r.key === c.key)) {
      store.records.set(c.file, { file: c.file, epoch: c.epoch, key: c.key, state: 'corrupt', reason: c.reason });
      // The analysis of the bytes it held before is not of these bytes: it leaves the trajectory.
      store.results.delete(c.file);
      process.stderr.write(`warning: corrupt checkpoint skipped: ${c.reason ?? c.file}\n`);
      changed = true;
    } else if (c.state === 'ready' && r?.key === c.key && r.state === 'deleted' && store.results.has(c.file)) {
      store.records.set(c.file, { ...r, state: 'analysed' });
      changed = true;
    }
  }
  return changed;
}

function buildFrom(store: WatchStore, folder: string, settings: Record<string, unknown>, skipped: string[]) {
  const records = [...store.records.values()].sort((a, b) => a.epoch - b.epoch);
  const runs = records.flatMap((r) => {
    const result = r.state !== 'corrupt' ? store.results.get(r.file) : undefined;
    return result ? [{ epoch: r.epoch, result }] : [];
  });
  return watchTrajectory(runs, { folder, settings, checkpoints: records }, skipped);
}
