/**
 * The watches of a workspace, kept in its workspaceState so that a window reload resumes them: per
 * folder the picks (offered again on the next watch of the folder), whether it is watching, and the run
 * id stored for each checkpoint's key (so a resumed watch reads them back instead of analysing again).
 */
import type { AnalysisChoices } from '../commands/choices';

export interface RememberedWatch {
  folder: string;
  choices: AnalysisChoices;
  /** true while watching; a stopped watch stays listed so "Resume watching" can offer it. */
  active: boolean;
  /** Checkpoint file -> the key it had when analysed and the run store id of its analysis. */
  runs: Record<string, { key: string; runId: string }>;
}

/** The part of vscode.Memento used here (workspaceState). */
export interface MementoLike {
  get<T>(key: string, defaultValue: T): T;
  update(key: string, value: unknown): Thenable<void>;
}

const KEY = 'collapseLens.watches';

const sameChoices = (a: AnalysisChoices, b: AnalysisChoices) => JSON.stringify(a) === JSON.stringify(b);

export class WatchMemory {
  /** Writes in order: two checkpoints finishing close together must not lose one's run id. */
  private writes: Promise<void> = Promise.resolve();

  constructor(private readonly memento: MementoLike) {}

  all(): RememberedWatch[] {
    const value = this.memento.get<unknown>(KEY, []);
    return Array.isArray(value) ? value.filter(isRememberedWatch) : [];
  }

  get(folder: string): RememberedWatch | undefined {
    return this.all().find((w) => w.folder === folder);
  }

  /** A watch (re)started with these picks; other picks than last time forget the remembered runs. */
  start(folder: string, choices: AnalysisChoices): Promise<void> {
    return this.change(folder, (w) => ({ folder, choices, active: true, runs: w && sameChoices(w.choices, choices) ? w.runs : {} }));
  }

  setActive(folder: string, active: boolean): Promise<void> {
    return this.change(folder, (w) => (w ? { ...w, active } : undefined));
  }

  rememberRun(folder: string, file: string, key: string, runId: string): Promise<void> {
    return this.change(folder, (w) => (w ? { ...w, runs: { ...w.runs, [file]: { key, runId } } } : undefined));
  }

  /** The run id remembered for a checkpoint file, only while its key is the one analysed. */
  runFor(folder: string, file: string, key: string): string | undefined {
    const run = this.get(folder)?.runs[file];
    return run?.key === key ? run.runId : undefined;
  }

  private change(folder: string, edit: (w: RememberedWatch | undefined) => RememberedWatch | undefined): Promise<void> {
    const write = this.writes.then(() => {
      const all = this.all();
      const next = edit(all.find((w) => w.folder === folder));
      const others = all.filter((w) => w.folder !== folder);
      return this.memento.update(KEY, next ? [...others, next] : others);
    });
    this.writes = write.then(
      () => undefined,
      () => undefined,
    );
    return write;
  }
}

/** A torn or hand-edited entry is dropped, not trusted. */
function isRememberedWatch(value: unknown): value is RememberedWatch {
  if (typeof value !== 'object' || value === null) return false;
  const w = value as Record<string, unknown>;
  return typeof w.folder === 'string' && typeof w.active === 'boolean' && typeof w.choices === 'object' && w.choices !== null && typeof w.runs === 'object' && w.runs !== null;
}
