/**
 * How a watch gets one checkpoint's analysis: from the run store when it holds one for the same bytes,
 * data and settings, else from the engine (then stored). Nothing here reads vscode: the settings come in
 * through `settingsFor`, so the unit tests run it against a real run store and a fake engine.
 */
import { resultForCheckpoint } from '../../core/resultForCheckpoint';
import { messageOf } from '../../core/messageOf';
import type { WatchedCheckpoint } from '../../core/watch/types';
import type { EngineClient } from '../engineClient';
import type { AnalysisChoices } from '../commands/choices';
import { requestFrom } from '../commands/request';
import type { CollapseLensSettings } from '../settings';
import { RunStore } from '../store/runStore';
import type { WatchOutcome } from './watchController';

export interface WatchAnalysisDeps {
  engine: Pick<EngineClient, 'analyze'>;
  store: RunStore;
  choices: AnalysisChoices;
  settingsFor(checkpoint: string): CollapseLensSettings;
  /** The run id stored for this checkpoint's key in an earlier session (watchMemory), if any. */
  rememberedRun(checkpoint: WatchedCheckpoint): string | undefined;
  /** Engine progress, for the status bar. */
  onProgress?(checkpoint: WatchedCheckpoint, message: string): void;
  warn(line: string): void;
}

export function watchAnalyser(deps: WatchAnalysisDeps): (checkpoint: WatchedCheckpoint, signal: AbortSignal) => Promise<WatchOutcome> {
  const load = async (runId: string, checkpoint: WatchedCheckpoint): Promise<WatchOutcome | undefined> => {
    if (!deps.store.get(runId)?.complete) return undefined;
    const result = await deps.store.load(runId).catch((error: unknown) => {
      // A stored result that fails the schema check is analysed again (and replaced), never shown.
      deps.warn(`the stored analysis of ${checkpoint.file} cannot be read (${messageOf(error)}); analysing it again`);
      return undefined;
    });
    if (!result) return undefined;
    return { runId, result: resultForCheckpoint(result, checkpoint.file), source: 'stored' };
  };

  return async (checkpoint, signal) => {
    const request = requestFrom(checkpoint.file, deps.choices, deps.settingsFor(checkpoint.file));
    // A checkpoint whose key (path, sizes, mtimes) is the one remembered is not hashed again: the stored
    // run's own checkpoint hash, keyed with today's request, must give the remembered id, which proves
    // the same data and settings (a changed epsilon or preprocessing gives another id, and a new run).
    const remembered = deps.rememberedRun(checkpoint);
    const entry = remembered ? deps.store.get(remembered) : undefined;
    if (remembered && entry && RunStore.runKey(entry.checkpointSha, request) === remembered) {
      const stored = await load(remembered, checkpoint);
      if (stored) return stored;
    }
    const runId = await RunStore.keyRequest(request);
    const stored = await load(runId, checkpoint);
    if (stored) return stored;
    const result = await deps.engine.analyze(
      request,
      { onProgress: (p) => deps.onProgress?.(checkpoint, `${p.stage} ${p.done}/${p.total}`) },
      { onCancellationRequested: (listener: () => void) => signal.addEventListener('abort', listener, { once: true }) },
    );
    await deps.store.save(runId, result, true, request);
    return { runId, result, source: 'analysed' };
  };
}
