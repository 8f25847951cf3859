/**
 * What `collapse-lens watch` keeps on disk besides the trajectory JSON: each checkpoint's analysis result
 * in a folder beside it (`trajectory.runs/` for `trajectory.json`), so that a resume rebuilds the
 * trajectory without analysing again, and the trajectory JSON stays small however long the run.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { AnalysisResult } from '../../core/result';
import { validateResult } from '../../core/resultValidation';
import type { AnalyzeRequest, DatasetSpec } from '../../protocol/engine';
import type { WatchRecord } from '../../core/watch/types';
import { previousWatchRecords } from '../../core/watch/watchTrajectory';
import { errorCode, describeFsError } from '../../core/dataset/fileAccess';
import { messageOf } from '../../core/messageOf';
import { UserError } from '../errors';
import { writeJsonOutput } from './outputFile';

/** `trajectory.json` -> `trajectory.runs` (beside it). */
export function runsFolderOf(out: string): string {
  return out.replace(/\.json$/i, '') + '.runs';
}

/**
 * The settings a resume must find unchanged: everything that changes the numbers (datasets, layers,
 * reduction, samples per class, seed, epsilon, preprocessing, strict), not batch size, threads or provider.
 * Dataset paths are absolute, so a resume from another working directory still matches.
 */
export function watchSettings(request: AnalyzeRequest): Record<string, unknown> {
  const absolute = (d: DatasetSpec) => ({ ...d, path: resolve(d.path), ...(d.labelsPath ? { labelsPath: resolve(d.labelsPath) } : {}) });
  return {
    train: absolute(request.train),
    test: request.test ? absolute(request.test) : null,
    layers: request.layers,
    reduction: request.reduction ?? null,
    perClass: request.perClass,
    seed: request.seed,
    epsilon: request.epsilon,
    preprocessing: request.preprocessing ?? {},
    strict: request.strict === true,
  };
}

export interface WatchStore {
  /** By checkpoint path. */
  records: Map<string, WatchRecord>;
  /** The analysis of each record that has one, by checkpoint path. */
  results: Map<string, AnalysisResult>;
  /** Problems met reading the previous watch (a stored result unreadable: analysed again); shown as warnings. */
  notes: string[];
}

/**
 * The previous watch in `out`, when there is one of the same folder and settings; an empty store when
 * `out` does not exist. Refused (exit 1, nothing overwritten): an `out` that is not JSON, not a trajectory,
 * a trajectory not written by a watch, or the watch of another folder or with other settings.
 */
export async function openWatchStore(out: string, folder: string, settings: Record<string, unknown>): Promise<WatchStore> {
  const store: WatchStore = { records: new Map(), results: new Map(), notes: [] };
  let text: string;
  try {
    text = await readFile(out, 'utf8');
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return store;
    throw describeFsError(out, err);
  }
  const refuse = (why: string) => new UserError(`--out ${why}; give another --out, or delete it to start the watch over`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw refuse(`${out} exists and is not JSON (${messageOf(err)})`);
  }
  let records: WatchRecord[];
  try {
    records = previousWatchRecords(json, out, folder, settings);
  } catch (err) {
    throw refuse(messageOf(err));
  }
  for (const record of records) {
    const kept = { ...record };
    if (record.result !== undefined) {
      const file = resolve(dirname(out), record.result);
      try {
        store.results.set(record.file, validateResult(JSON.parse(await readFile(file, 'utf8')) as unknown, file));
      } catch (err) {
        store.notes.push(`the stored analysis of ${record.file} cannot be read (${messageOf(err)}): it is analysed again`);
        delete kept.result;
        // Without its analysis, an "analysed" record is not one: the checkpoint is analysed again if present.
        if (kept.state === 'analysed') continue;
      }
    }
    store.records.set(record.file, kept);
  }
  return store;
}

/** Writes one checkpoint's result into the runs folder; returns its path relative to `out`'s folder (the record's `result`). */
export async function storeResult(out: string, folder: string, checkpoint: string, result: AnalysisResult): Promise<string> {
  const runs = runsFolderOf(out);
  // The checkpoint's own name (epoch_3.onnx, or the TF.js folder checkpoint-3000): one file per checkpoint.
  const name = relative(folder, checkpoint).split(sep)[0];
  await mkdir(runs, { recursive: true });
  const file = join(runs, `${name}.result.json`);
  await writeJsonOutput(result, file);
  return relative(dirname(out), file);
}
