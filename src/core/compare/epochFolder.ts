import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { orderByEpoch } from './epochs';
import { messageOf } from '../messageOf';
import { describeFsError } from '../dataset/fileAccess';

/** One checkpoint of a folder: the name its epoch is read from, and the path the engine opens. */
export interface CheckpointEntry {
  /** `epoch_012.onnx`, or the sub-folder's name `checkpoint-3000` for a TF.js model. */
  name: string;
  /** `<folder>/epoch_012.onnx` or `<folder>/checkpoint-3000/model.json`. */
  file: string;
}

/**
 * The checkpoints a folder holds now, unordered and possibly none: .onnx files, and sub-folders holding a
 * TF.js model.json. The one listing rule shared by `trajectory` (listEpochCheckpoints) and the checkpoint
 * watcher. A name that vanishes between the listing and its stat (a training script replacing it) is left
 * out rather than failing the whole listing.
 */
export async function listCheckpointEntries(folder: string): Promise<CheckpointEntry[]> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (err) {
    throw describeFsError(folder, err);
  }
  const found: CheckpointEntry[] = [];
  for (const name of names) {
    const p = join(folder, name);
    if (name.toLowerCase().endsWith('.onnx')) found.push({ name, file: p });
    else if ((await stat(p).catch(() => null))?.isDirectory() && (await stat(join(p, 'model.json')).catch(() => null))?.isFile()) {
      found.push({ name, file: join(p, 'model.json') });
    }
  }
  return found;
}

/**
 * Checkpoints of one training run: .onnx files, and sub-folders holding a TF.js model.json (the
 * epoch is then read from the sub-folder's name). Ordered by epoch.
 */
export async function listEpochCheckpoints(folder: string): Promise<{ file: string; epoch: number }[]> {
  const entries = await listCheckpointEntries(folder);
  if (entries.length === 0) throw new Error(`${folder} holds no .onnx files and no <epoch>/model.json folders`);
  const fileOf = new Map(entries.map((e) => [e.name, e.file]));
  try {
    return orderByEpoch([...fileOf.keys()]).map((e) => ({ file: fileOf.get(e.file) as string, epoch: e.epoch }));
  } catch (err) {
    throw new Error(`${folder}: ${messageOf(err)}`);
  }
}
