import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { basename, join } from 'node:path';
import type { AnalysisResult } from '../../core/result';
import { readResultFile } from '../../core/readResultFile';
import { checkpointSha256 } from '../../core/model/checkpointContent';
import type { AnalyzeRequest } from '../../protocol/engine';

/** A request as a run keeps it: without the checkpoint's hash (a re-run hashes the file again). */
export type StoredRequest = Omit<AnalyzeRequest, 'checkpointSha256'>;

/** The data a run was made on, as its label shows it. */
export function datasetLabel(request: Pick<AnalyzeRequest, 'train' | 'test'>): string {
  const train = basename(request.train.path);
  if (!request.test) return train;
  // One root holding both splits reads better as one name.
  return request.test.path === request.train.path ? `${train} (train + test)` : `${train} + ${basename(request.test.path)}`;
}

export interface RunEntry {
  id: string;
  label: string;
  checkpointPath: string;
  checkpointSha: string;
  dataset: string;
  createdAt: string;
  /** false for a run that failed or was cancelled part way: what it had is kept. */
  complete: boolean;
  /** The request the run was made with. Absent in runs stored before it was kept. */
  request?: StoredRequest;
}

/**
 * The request that re-runs a stored analysis: the same data, layers, subsample and preprocessing, so
 * the same numbers for the same weights; batch size, provider and threads, which do not change the
 * numbers, from the settings now. Null for a run stored without its request.
 */
export function rerunRequest(entry: RunEntry, now: Pick<AnalyzeRequest, 'batchSize' | 'provider' | 'threads'>): AnalyzeRequest | null {
  if (!entry.request) return null;
  return { ...entry.request, checkpoint: entry.checkpointPath, batchSize: now.batchSize, provider: now.provider, threads: now.threads };
}

/**
 * Stored analyses, one JSON file per run under the extension's global storage, so reopening is
 * instant and survives a window reload. The key is the checkpoint's content hash plus the dataset
 * and settings, so re-running the same thing overwrites instead of piling up.
 */
export class RunStore {
  private entries: RunEntry[] = [];
  private readonly listeners = new Set<() => void>();

  private constructor(private readonly dir: string) {}

  static async open(dir: string): Promise<RunStore> {
    await fs.mkdir(dir, { recursive: true });
    const store = new RunStore(dir);
    try {
      const parsed = JSON.parse(await fs.readFile(join(dir, 'index.json'), 'utf8')) as unknown;
      if (Array.isArray(parsed)) store.entries = parsed as RunEntry[];
    } catch {
      store.entries = [];
    }
    return store;
  }

  static runKey(checkpointSha: string, request: Pick<AnalyzeRequest, 'train' | 'test' | 'layers' | 'perClass' | 'seed' | 'preprocessing' | 'preprocessingSettings' | 'epsilon'>): string {
    // Preprocessing from the settings counts too: changing it must not reopen a run made without it.
    const material = JSON.stringify([checkpointSha, request.train, request.test ?? null, request.layers, request.perClass, request.seed, request.preprocessing ?? {}, request.preprocessingSettings ?? {}, request.epsilon]);
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

  async load(id: string): Promise<AnalysisResult | undefined> {
    return readResultFile(this.resultPath(id)).catch(() => undefined);
  }

  /** Stores a run's result under `id`, labelled by its checkpoint and the request's data. */
  async save(id: string, result: AnalysisResult, complete: boolean, request: AnalyzeRequest): Promise<RunEntry> {
    // Write to a temporary file then rename, so a crash mid-write never leaves a torn result.
    const tmp = `${this.resultPath(id)}.tmp`;
    await fs.writeFile(tmp, JSON.stringify(result));
    await fs.rename(tmp, this.resultPath(id));
    const dataset = datasetLabel(request);
    const { checkpointSha256: _rehashedOnRerun, ...kept } = request;
    const entry: RunEntry = {
      id,
      label: `${basename(result.checkpoint.path)} · ${dataset}`,
      checkpointPath: result.checkpoint.path,
      checkpointSha: result.checkpoint.sha256,
      dataset,
      createdAt: new Date().toISOString(),
      complete,
      request: kept,
    };
    this.entries = [...this.entries.filter((e) => e.id !== id), entry];
    await this.writeIndex();
    return entry;
  }

  async delete(id: string): Promise<void> {
    this.entries = this.entries.filter((e) => e.id !== id);
    await fs.rm(this.resultPath(id), { force: true });
    await this.writeIndex();
  }

  private async writeIndex(): Promise<void> {
    const tmp = join(this.dir, 'index.json.tmp');
    await fs.writeFile(tmp, JSON.stringify(this.entries, null, 1));
    await fs.rename(tmp, join(this.dir, 'index.json'));
    for (const l of this.listeners) l();
  }
}
