/**
 * A checkpoint's identity is the bytes of every file it is made of, not only the file the user picked:
 * a TF.js model.json names its weight shards, an ONNX model may keep its initializers in external data
 * files. Retraining in place rewrites the shards and leaves model.json as it was; hashing model.json
 * alone would make the new weights look like the stored run of the old ones.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { sha256Files } from '../checksum';
import { decodeOnnxModel } from './onnx/load';
import { externalDataFiles } from './onnx/externalData';
import { parseModelJson } from './tfjs/loadGraph';
import { parseWeightsManifest } from './tfjs/weightsManifest';
import { resolveWeightShards } from './tfjs/weightShards';
import type { JsonRecord } from './tfjs/json';

/**
 * Above this size an .onnx file holds its weights itself (external data exists to keep the graph file
 * small), so it is not decoded to look for companions: decoding is synchronous and the extension host
 * runs this.
 */
const EXTERNAL_DATA_SCAN_LIMIT = 16 * 1024 * 1024;

async function onnxCompanions(path: string): Promise<string[]> {
  if ((await stat(path)).size > EXTERNAL_DATA_SCAN_LIMIT) return [];
  const bytes = await readFile(path);
  // Every external reference carries a "location" key; a model without the word has none to decode for.
  if (bytes.indexOf('location') < 0) return [];
  return externalDataFiles(decodeOnnxModel(bytes, path), path);
}

/**
 * model.json is read asynchronously, since the extension host runs this; the shards are then checked
 * with a few synchronous stats each (resolveWeightShards is shared with the engine's synchronous loader).
 */
async function tfjsCompanions(path: string): Promise<string[]> {
  const json = parseModelJson(path, await readFile(path, 'utf8'));
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return [];
  const groups = resolveWeightShards(path, parseWeightsManifest(json as JsonRecord, path));
  return [...new Set(groups.flatMap((g) => g.shards.map((s) => s.file)))];
}

/**
 * The files that make the checkpoint: itself, then its weight shards (TF.js, in manifest order) or its
 * external data files (ONNX, in initializer order). A model that cannot be read that far (a broken
 * manifest, a missing shard) is just its own file here; the analysis reports what is wrong with it.
 */
export async function checkpointFiles(path: string): Promise<string[]> {
  try {
    const companions = extname(path).toLowerCase() === '.json' ? await tfjsCompanions(path) : await onnxCompanions(path);
    return [path, ...companions.filter((file) => file !== path)];
  } catch {
    return [path];
  }
}

/** sha256 over the checkpoint's files, in checkpointFiles' order; for a single file, that file's sha256. */
export async function checkpointSha256(path: string): Promise<string> {
  return sha256Files(await checkpointFiles(path));
}
