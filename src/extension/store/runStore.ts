import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { AnalysisResult } from '../../core/result';
import { isMissingResultFile, readResultFile } from '../../core/readResultFile';
import { validateResult } from '../../core/resultValidation';
import { writeFileAtomic } from '../../core/atomicWrite';
import { messageOf } from '../../core/messageOf';
import { checkpointSha256 } from '../../core/model/checkpointContent';
import type { AnalyzeRequest } from '../../protocol/engine';
import { entryFromResult, isRunEntry, newEntry, type RunEntry } from './runEntry';

export { datasetLabel, type RunEntry, type StoredRequest } from './runEntry';

/**
 * The request that re-runs a stored analysis: the same data, layers, subsample and preprocessing, so
 * the same numbers for the same weights; batch size, provider and threads, which do not change the
 * numbers, from the settings now. Null for a run stored without its request.
 */
export function rerunRequest(entry: RunEntry, now: Pick<AnalyzeRequest, 'batchSize' | 'provider' | 'threads'>): AnalyzeRequest | null {
  if (!entry.request) return null;
  return { ...entry.request, checkpoint: entry.checkpointPath, batchSize: now.batchSize, provider: now.provider, threads: now.threads };
}

const INDEX = 'index.json';
/** A run's files: `<id>.json` (the result) and `<id>.run.json` (its entry); ids are run keys, no dots. */
const RESULT_FILE = /^([\w-]+)\.json$/;

/**
 * Stored analyses, one result JSON per run under the extension's global storage, so reopening is
 * instant and survives a window reload. The key is the checkpoint's content hash plus the dataset
 * and settings, so re-running the same thing overwrites instead of piling up.
 *
 * Nothing stored is lost: every file is written whole or not at all (unique temporary names, so saves
 * at once do not collide); a run that fails or is cancelled never replaces a complete run of the same
 * key; each run's entry is kept beside its result, and index.json (the list, read at once on opening)
 * is rebuilt from the result files when it is torn or missing. Every result is fully checked against
 * the schema when written and when read.
 */
export class RunStore {
  private entries: RunEntry[] = [];
  private readonly listeners = new Set<() => void>();
  /** Index writes in order, each of the entries as they are when it runs: the last write holds every save. */
  private indexWrites: Promise<void> = Promise.resolve();
  private saves: Promise<void> = Promise.resolve();

  private constructor(
    private readonly dir: string,
    private readonly warn: (line: string) => void,
  ) {}

  /** Opens (creating) the store in `dir`; `warn` hears of every result file skipped and index rebuilt. */
  static async open(dir: string, warn: (line: string) => void = () => undefined): Promise<RunStore> {
    await fs.mkdir(dir, { recursive: true });
    const store = new RunStore(dir, warn);
    await store.reconcile();
    return store;
  }

  static runKey(checkpointSha: string, request: Pick<AnalyzeRequest, 'train' | 'test' | 'layers' | 'perClass' | 'seed' | 'preprocessing' | 'preprocessingSettings' | 'epsilon' | 'reduction'>): string {
    // Preprocessing from the settings counts too: changing it must not reopen a run made without it. So
    // does a reduction other than the default (cls and mean give other numbers for the same layer); the
    // default adds nothing, so runs stored before reductions existed keep their keys.
    const reduction = request.reduction && (request.reduction.all !== 'auto' || Object.keys(request.reduction.layers ?? {}).length > 0) ? [request.reduction] : [];
    const material = JSON.stringify([checkpointSha, request.train, request.test ?? null, request.layers, request.perClass, request.seed, request.preprocessing ?? {}, request.preprocessingSettings ?? {}, request.epsilon, ...reduction]);
    return createHash('sha256').update(material).digest('hex').slice(0, 16);
  }

  /**
   * Hashes the request's checkpoint (its files as they are now), records the hash in the request (the
   * engine then need not hash again) and returns the run's key.
   */
  static async keyRequest(request: AnalyzeRequest): Promise<string> {
    request.checkpointSha256 = await checkpointSha256(request.checkpoint);
    return RunStore.runKey(request.checkpointSha256, request);
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  list(): readonly RunEntry[] {
    return [...this.entries].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  get(id: string): RunEntry | undefined {
    return this.entries.find((e) => e.id === id);
  }

  resultPath(id: string): string {
    return join(this.dir, `${id}.json`);
  }

  private entryPath(id: string): string {
    return join(this.dir, `${id}.run.json`);
  }

  /**
   * The stored result, checked against the schema; undefined when the run has no result file (deleted).
   * A file that is there but unreadable or invalid throws, naming the file and the first wrong field.
   */
  async load(id: string): Promise<AnalysisResult | undefined> {
    try {
      return await readResultFile(this.resultPath(id));
    } catch (error) {
      if (isMissingResultFile(error)) return undefined;
      throw error;
    }
  }

  /**
   * Stores a run's result under `id`, labelled by its checkpoint and the request's data. A partial
   * result (`complete` false: the run failed or was cancelled) never replaces a complete run of the
   * same key: it is dropped and the complete run's entry returned (its `complete` is then true).
   */
  save(id: string, result: AnalysisResult, complete: boolean, request: AnalyzeRequest): Promise<RunEntry> {
    // One save at a time: the check below must see a complete save that is still writing, or a partial
    // one started meanwhile would pass it and overwrite the complete result.
    const saved = this.saves.then(() => this.saveNow(id, result, complete, request));
    this.saves = saved.then(() => undefined, () => undefined);
    return saved;
  }

  private async saveNow(id: string, result: AnalysisResult, complete: boolean, request: AnalyzeRequest): Promise<RunEntry> {
    const existing = this.get(id);
    if (!complete && existing?.complete) return existing;
    // A result no reader would accept is refused here, not found broken when it is reopened.
    validateResult(result, `the result of run ${id}`);
    const entry = newEntry(id, result, complete, request);
    // The result first, then its entry: a crash between them leaves the new result under the old
    // entry, which can only call a complete result incomplete (a partial never overwrites a complete one).
    await writeFileAtomic(this.resultPath(id), JSON.stringify(result));
    await writeFileAtomic(this.entryPath(id), JSON.stringify(entry));
    this.entries = [...this.entries.filter((e) => e.id !== id), entry];
    await this.writeIndex();
    return entry;
  }

  async delete(id: string): Promise<void> {
    this.entries = this.entries.filter((e) => e.id !== id);
    // Files before the index: a crash in between leaves an entry without a result, dropped on opening.
    await fs.rm(this.entryPath(id), { force: true });
    await fs.rm(this.resultPath(id), { force: true });
    await this.writeIndex();
  }

  /**
   * Reads index.json and makes it agree with the result files: a torn, unparsable or missing index is
   * rebuilt from them; a listed run whose result is gone is dropped; a result the index does not list
   * (saved while another window wrote the index, or before a crash) is added back.
   */
  private async reconcile(): Promise<void> {
    const names = new Set(await fs.readdir(this.dir));
    const ids = [...names].flatMap((n) => {
      const id = RESULT_FILE.exec(n)?.[1];
      return id !== undefined && n !== INDEX ? [id] : [];
    });
    const present = new Set(ids);
    const indexed = await this.readIndex(ids.length);
    let changed = false;
    if (typeof indexed === 'string') {
      this.warn(`run store: ${join(this.dir, INDEX)} ${indexed}; rebuilding it from the ${ids.length} result file(s) in ${this.dir}`);
      changed = true;
    } else {
      this.entries = indexed.filter((e) => present.has(e.id));
      changed = this.entries.length !== indexed.length;
      // Runs stored before entries were kept beside their results get theirs now, so a later rebuild loses nothing.
      for (const e of this.entries) if (!names.has(`${e.id}.run.json`)) await writeFileAtomic(this.entryPath(e.id), JSON.stringify(e));
    }
    const listed = new Set(this.entries.map((e) => e.id));
    for (const id of ids.filter((i) => !listed.has(i))) {
      const entry = await this.recoverEntry(id);
      if (entry) this.entries.push(entry);
      changed = true;
    }
    if (changed) await this.writeIndex();
  }

  /** The index's entries, or what is wrong with it. */
  private async readIndex(resultCount: number): Promise<RunEntry[] | string> {
    let text: string;
    try {
      text = await fs.readFile(join(this.dir, INDEX), 'utf8');
    } catch (error) {
      if (!isMissingResultFile(error)) return `could not be read (${messageOf(error)})`;
      return resultCount === 0 ? [] : 'is missing';
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      return `is not valid JSON (${messageOf(error)})`;
    }
    if (!Array.isArray(parsed)) return 'is not a list of runs';
    const bad = parsed.findIndex((e) => !isRunEntry(e));
    return bad >= 0 ? `has an unreadable entry at [${bad}]` : (parsed as RunEntry[]);
  }

  /** A run's entry from its own entry file, else from its result; undefined (and a warning) for an invalid result. */
  private async recoverEntry(id: string): Promise<RunEntry | undefined> {
    let result: AnalysisResult;
    try {
      result = await readResultFile(this.resultPath(id));
    } catch (error) {
      this.warn(`run store: skipped ${messageOf(error)}`);
      return undefined;
    }
    try {
      const kept = JSON.parse(await fs.readFile(this.entryPath(id), 'utf8')) as unknown;
      if (isRunEntry(kept) && kept.id === id) return kept;
    } catch {
      // No entry file (a run stored before they were kept) or a torn one: the result says enough.
    }
    return entryFromResult(id, result);
  }

  private async writeIndex(): Promise<void> {
    const write = this.indexWrites.then(() => writeFileAtomic(join(this.dir, INDEX), JSON.stringify(this.entries, null, 1)));
    this.indexWrites = write.catch(() => undefined);
    await write;
    for (const l of this.listeners) l();
  }
}
