import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { orderByEpoch } from './epochs';
import { messageOf } from '../messageOf';
import { describeFsError } from '../dataset/fileAccess';

/**
 * Checkpoints of one training run: .onnx files, and sub-folders holding a TF.js model.json (the
 * epoch is then read from the sub-folder's name). Ordered by epoch.
 */
export async function listEpochCheckpoints(folder: string): Promise<{ file: string; epoch: number }[]> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (err) {
    throw describeFsError(folder, err);
  }
  // Name to read the epoch from -> checkpoint path.
  const found = new Map<string, string>();
  for (const n of names) {
    const p = join(folder, n);
    if (n.toLowerCase().endsWith('.onnx')) found.set(n, p);
    else if ((await stat(p)).isDirectory() && (await stat(join(p, 'model.json')).catch(() => null))?.isFile()) found.set(n, join(p, 'model.json'));
  }
  if (found.size === 0) throw new Error(`${folder} holds no .onnx files and no <epoch>/model.json folders`);
  try {
    return orderByEpoch([...found.keys()]).map((e) => ({ file: found.get(e.file) as string, epoch: e.epoch }));
  } catch (err) {
    throw new Error(`${folder}: ${messageOf(err)}`);
  }
}
