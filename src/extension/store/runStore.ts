import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { basename, join } from 'node:path';
import { validateResult, type AnalysisResult } from '../../core/result';
import type { AnalyzeRequest } from '../../protocol/engine';

export interface RunEntry {
  id: string;
  label: string;
  checkpointPath: string;
  checkpointSha: string;
  dataset: string;
  createdAt: string;
  /** false for a run that failed or was cancelled part way: what it had is kept. */
  complete: boolean;
  /**
   * The request the run was made with (its checkpoint hash left out: a re-run hashes the file again).
   * Absent in runs stored before it was kept.
   */
  request?: AnalyzeRequest;
}

/**
 * The request that re-runs a stored analysis: the same data, layers, subsample and preprocessing, so
 * the same numbers for the same weights; batch size, provider and threads, which do not change the
 * numbers, from the settings now. Null for a run stored without its request.
 */
export function rerunRequest(entry: RunEntry, now: Pick<AnalyzeRequest, 'batchSize' | 'provider' | 'threads'>): AnalyzeRequest | null {
  if (!entry.request) return null;
  const { checkpointSha256: _stale, ...request } = entry.request;
  return { ...request, checkpoint: entry.checkpointPath, batchSize: now.batchSize, provider: now.provider, threads: now.threads };
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
    try {
      const text = await fs.readFile(this.resultPath(id), 'utf8');
      return validateResult(JSON.parse(text) as unknown, this.resultPath(id));
    } catch {
      return undefined;
    }
  }

  async save(id: string, result: AnalysisResult, complete: boolean, datasetLabel: string, request?: AnalyzeRequest): Promise<RunEntry> {
    // Write to a temporary file then rename, so a crash mid-write never leaves a torn result.
    const tmp = `${this.resultPath(id)}.tmp`;
    await fs.writeFile(tmp, JSON.stringify(result));
    await fs.rename(tmp, this.resultPath(id));
    const entry: RunEntry = {
      id,
      label: `${basename(result.checkpoint.path)} · ${datasetLabel}`,
      checkpointPath: result.checkpoint.path,
      checkpointSha: result.checkpoint.sha256,
      dataset: datasetLabel,
      createdAt: new Date().toISOString(),
      complete,
    };
    if (request) {
      const { checkpointSha256: _hash, ...kept } = request;
      entry.request = kept;
    }
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
