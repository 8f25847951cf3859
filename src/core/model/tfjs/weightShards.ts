import * as fs from 'node:fs';
import * as path from 'node:path';
import { TfjsModelError } from './errors';
import { groupByteSize, type TfjsWeightGroup, type TfjsWeightSpec } from './weightsManifest';

export interface ResolvedShard {
  /** The path as written in the manifest. */
  manifestPath: string;
  /** Absolute path on disk, inside the model's folder. */
  file: string;
  bytes: number;
}

export interface ResolvedWeightGroup {
  index: number;
  shards: ResolvedShard[];
  weights: TfjsWeightSpec[];
  /** Bytes the weight specs imply (sum of the shard sizes must equal it). */
  bytes: number;
}

const URL_SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*:/;
const WINDOWS_ABSOLUTE = /^(?:[a-zA-Z]:[\\/]|[\\/]{2})/;

function isInside(folder: string, candidate: string): boolean {
  const rel = path.relative(folder, candidate);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/**
 * The shard a manifest path names, with its size (from the one stat that checks it). A manifest path must
 * name a file inside the model's folder: a model.json from elsewhere must not make the engine read
 * arbitrary files (absolute paths, `..`, URLs, or a symlink that leads out are refused).
 */
function resolveShardPath(modelJsonFile: string, folder: string, realFolder: string, manifestPath: string): ResolvedShard {
  if (manifestPath === '') throw new TfjsModelError(modelJsonFile, 'weightsManifest lists an empty weight file path');
  if (path.isAbsolute(manifestPath) || WINDOWS_ABSOLUTE.test(manifestPath)) {
    throw new TfjsModelError(modelJsonFile, `weight file path "${manifestPath}" is absolute; weight files must lie in the model's folder ${folder}`);
  }
  if (URL_SCHEME.test(manifestPath)) {
    throw new TfjsModelError(modelJsonFile, `weight file path "${manifestPath}" is a URL; weight files must lie in the model's folder ${folder}`);
  }
  const resolved = path.resolve(folder, manifestPath);
  if (!isInside(folder, resolved)) {
    throw new TfjsModelError(modelJsonFile, `weight file path "${manifestPath}" points outside the model's folder ${folder}`);
  }
  let stat: fs.Stats;
  try {
    stat = fs.statSync(resolved);
  } catch {
    throw new TfjsModelError(resolved, `weight shard "${manifestPath}" listed in ${path.basename(modelJsonFile)} is missing`);
  }
  const real = fs.realpathSync(resolved);
  if (!isInside(realFolder, real)) {
    throw new TfjsModelError(resolved, `weight shard "${manifestPath}" is a link that leads outside the model's folder (to ${real})`);
  }
  if (!stat.isFile()) throw new TfjsModelError(resolved, `weight shard "${manifestPath}" is not a regular file`);
  return { manifestPath, file: resolved, bytes: stat.size };
}

/** The converter cuts shards to one size and leaves the remainder in the last: an odd one out is the suspect. */
function suspectShard(shards: ResolvedShard[]): ResolvedShard {
  const first = shards[0];
  const odd = shards.slice(0, -1).find((s) => s.bytes !== first.bytes);
  return odd ?? shards[shards.length - 1];
}

/**
 * Resolves every shard of every manifest group, checking that each lies in the model's folder, exists,
 * and that each group's shards together hold exactly the bytes its weight specs imply.
 */
export function resolveWeightShards(modelJsonFile: string, groups: TfjsWeightGroup[]): ResolvedWeightGroup[] {
  const folder = path.dirname(path.resolve(modelJsonFile));
  const realFolder = fs.realpathSync(folder);
  return groups.map((group, index) => {
    const expected = groupByteSize(group, modelJsonFile);
    if (group.paths.length === 0) {
      if (expected === 0) return { index, shards: [], weights: group.weights, bytes: 0 };
      throw new TfjsModelError(modelJsonFile, `weightsManifest[${index}] lists weights (${expected} bytes) but no weight files`);
    }
    const shards = group.paths.map((p) => resolveShardPath(modelJsonFile, folder, realFolder, p));
    const actual = shards.reduce((s, x) => s + x.bytes, 0);
    if (actual !== expected) {
      const suspect = suspectShard(shards);
      const sizes = shards.map((s) => `${s.manifestPath} ${s.bytes} B`).join(', ');
      throw new TfjsModelError(
        suspect.file,
        `weight shard has the wrong size: weightsManifest[${index}] needs ${expected} bytes for its ${group.weights.length} weights, ` +
          `its file${shards.length > 1 ? 's hold' : ' holds'} ${actual} bytes (${sizes})`,
      );
    }
    return { index, shards, weights: group.weights, bytes: expected };
  });
}

/** Reads a byte range of one group's concatenated shards, with positional reads (no whole-file load). */
export function readGroupBytes(group: ResolvedWeightGroup, offset: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let shardStart = 0;
  let written = 0;
  for (const shard of group.shards) {
    const shardEnd = shardStart + shard.bytes;
    const from = Math.max(offset + written, shardStart);
    if (written < length && from < shardEnd) {
      const take = Math.min(shardEnd - from, length - written);
      const fd = fs.openSync(shard.file, 'r');
      try {
        const n = fs.readSync(fd, out, written, take, from - shardStart);
        if (n !== take) throw new TfjsModelError(shard.file, `read ${n} of ${take} bytes (did the file change?)`);
      } finally {
        fs.closeSync(fd);
      }
      written += take;
    }
    shardStart = shardEnd;
  }
  return out;
}

/** Reads every shard of every group, in manifest order (what tf.io's weightData expects). */
export function readAllShards(groups: ResolvedWeightGroup[]): ArrayBuffer[] {
  const buffers: ArrayBuffer[] = [];
  for (const group of groups) {
    for (const shard of group.shards) {
      const data = fs.readFileSync(shard.file);
      if (data.byteLength !== shard.bytes) {
        throw new TfjsModelError(shard.file, `holds ${data.byteLength} bytes now, ${shard.bytes} when checked (did the file change?)`);
      }
      // Small reads may come back as a view on Node's shared pool: copy those into a buffer of their own.
      const ownsBuffer = data.byteOffset === 0 && data.buffer.byteLength === data.byteLength && data.buffer instanceof ArrayBuffer;
      if (ownsBuffer) buffers.push(data.buffer as ArrayBuffer);
      else {
        const copy = new Uint8Array(data.byteLength);
        copy.set(data);
        buffers.push(copy.buffer);
      }
    }
  }
  return buffers;
}
