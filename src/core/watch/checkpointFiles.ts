/**
 * What the checkpoint watcher looks at to tell a finished checkpoint from one still being written: the
 * size and modification time of every file the engine will read (the .onnx; a TF.js model.json and each
 * weight shard its manifest lists), and whether those files parse as a whole model.
 */
import { open, readFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { checkOnnxOutline } from '../model/onnx/looksLikeOnnx';
import { parseModelJson } from '../model/tfjs/loadGraph';
import { sniffTfjsModelJson } from '../model/tfjs/sniff';
import { parseWeightsManifest } from '../model/tfjs/weightsManifest';
import { resolveWeightShards } from '../model/tfjs/weightShards';
import { isRecord } from '../model/tfjs/json';
import { describeFsError } from '../dataset/fileAccess';
import { messageOf } from '../messageOf';

const isModelJson = (file: string) => !file.toLowerCase().endsWith('.onnx');

/** "size:mtime" of a file, or "missing": two equal stamps mean the bytes did not move between two looks. */
async function stampOf(file: string): Promise<string> {
  const s = await stat(file).catch(() => null);
  return s?.isFile() ? `${s.size}:${s.mtimeMs}` : 'missing';
}

/**
 * The shard files a model.json's manifest names, leniently: a model.json still being written (not JSON
 * yet) names none, and a path leading outside the folder is left to resolveWeightShards to refuse.
 */
function shardFilesOf(modelJson: string, text: string): string[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return [];
  }
  const manifest = isRecord(json) ? json['weightsManifest'] : undefined;
  if (!Array.isArray(manifest)) return [];
  const folder = dirname(modelJson);
  const inside = (p: string) => {
    const rel = relative(folder, p);
    return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
  };
  return manifest
    .flatMap((group) => (isRecord(group) && Array.isArray(group['paths']) ? group['paths'] : []))
    .filter((p): p is string => typeof p === 'string' && p !== '')
    .map((p) => resolve(folder, p))
    .filter(inside);
}

/** The shard list of a model.json, read again only when the model.json itself changed (it can be megabytes). */
export type ShardCache = Map<string, { stamp: string; shards: string[] }>;

/**
 * The stamp of every file a checkpoint reads, in one string: the checkpoint's path, then "size:mtime" of
 * the model file and of each shard ("missing" for a shard not there yet). It is the checkpoint's key: a
 * checkpoint rewritten in place, or whose shards change, gets a new one.
 */
export async function checkpointSignature(file: string, cache: ShardCache): Promise<string> {
  const stamp = await stampOf(file);
  if (!isModelJson(file) || stamp === 'missing') return `${file}|${stamp}`;
  let cached = cache.get(file);
  if (cached?.stamp !== stamp) {
    const text = await readFile(file, 'utf8').catch(() => '');
    cached = { stamp, shards: shardFilesOf(file, text) };
    cache.set(file, cached);
  }
  const shardStamps = await Promise.all(cached.shards.map(async (s) => `${s}=${await stampOf(s)}`));
  return [`${file}|${stamp}`, ...shardStamps].join('|');
}

/**
 * Why a checkpoint cannot be read whole yet (naming the file and what is wrong), or null when it can.
 * The cheapest checks that prove the bytes are complete, not a full load: for ONNX, the walk of the
 * protobuf's top-level fields (a field running past the end = truncated; no operator sets after the
 * graph = cut right after it); for TF.js, model.json parses as a TF.js model and every shard its
 * manifest lists exists with the byte size the manifest implies.
 */
export async function checkpointProblem(file: string): Promise<string | null> {
  if (isModelJson(file)) return tfjsProblem(file);
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    return describeFsError(file, err).message;
  }
  try {
    const size = (await handle.stat()).size;
    if (size === 0) return `${file} is empty`;
    const check = await checkOnnxOutline(handle, size);
    if (!check.onnx) return `${file}: ${check.reason}`;
    if (!check.opsetImport) return `${file}: truncated: it ends after the graph, without the operator sets (opset_import) an ONNX model lists`;
    return null;
  } finally {
    await handle.close();
  }
}

async function tfjsProblem(file: string): Promise<string | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    return describeFsError(file, err).message;
  }
  try {
    const json = parseModelJson(file, text.replace(/^\uFEFF/, ''));
    const kind = sniffTfjsModelJson(json);
    if (kind.kind === 'other') return `${file}: ${kind.reason ?? 'not a TF.js model'}`;
    resolveWeightShards(file, parseWeightsManifest(json as Record<string, unknown>, file));
    return null;
  } catch (err) {
    return messageOf(err);
  }
}
