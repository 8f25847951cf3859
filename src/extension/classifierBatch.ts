/**
 * The Layers view asks for each checkpoint's classifier as it draws; every engine job is a process.
 * Asks made in the same tick go to the engine as one request, and one request runs at a time, so a
 * view with twenty stored runs starts one engine, not twenty.
 */
import type { CheckpointClassifierEntry } from '../core/classifierReport';

type ReadMany = (checkpoints: string[]) => Promise<CheckpointClassifierEntry[]>;

export function batchedClassifierSource(readMany: ReadMany): (checkpoint: string) => Promise<CheckpointClassifierEntry> {
  let waiting: { path: string; resolve(e: CheckpointClassifierEntry): void; reject(err: unknown): void }[] = [];
  let previous: Promise<unknown> = Promise.resolve();
  const flush = () => {
    const batch = waiting;
    waiting = [];
    previous = previous
      .catch(() => undefined)
      .then(async () => {
        try {
          const entries = await readMany(batch.map((b) => b.path));
          batch.forEach((b, i) => {
            const entry = entries[i];
            if (entry) b.resolve(entry);
            else b.reject(new Error(`the engine gave no answer for ${b.path}`));
          });
        } catch (err) {
          for (const b of batch) b.reject(err);
        }
      });
  };
  return (path) =>
    new Promise<CheckpointClassifierEntry>((resolve, reject) => {
      if (waiting.length === 0) setTimeout(flush, 0);
      waiting.push({ path, resolve, reject });
    });
}
