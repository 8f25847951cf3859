/**
 * A held-out split that is (partly) the training split makes the test curves a copy of the training
 * ones, which looks like perfect generalisation. Identical splits are refused before any inference;
 * samples shared by two different sources are counted while pass 1 reads them anyway.
 */
import { createHash } from 'node:crypto';
import { realpath } from 'node:fs/promises';
import type { SplitOverlap } from '../result';
import type { DatasetSource, RawBatch } from './types';

/** Samples compared, evenly spaced, when two sources have the same size, shape and labels. */
const CONTENT_PROBES = 32;
const EXAMPLES = 5;

/** What naming a sample takes: a source's own names, or none (then "#index"). */
type SampleNamer = Pick<DatasetSource, 'sampleName'>;

const sampleName = (source: SampleNamer, index: number): string => source.sampleName?.(index) ?? `#${index}`;

async function canonical(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    return path;
  }
}

/** The files (or folder) and the arrays in them a source reads: equal for two opens of the same data. */
async function locationOf(source: DatasetSource): Promise<string> {
  const d = source.describe();
  const files = Array.isArray(d.files) ? (d.files as string[]) : [source.source];
  const arrays = (d.arrays as { x?: string } | undefined)?.x ?? null;
  return JSON.stringify({ format: source.format, files: (await Promise.all(files.map(canonical))).sort(), arrays });
}

/** Why the held-out split has no part of its own, when the dataset offers no test part. */
function noTestPartHint(test: DatasetSource): string {
  return test.describe().split === undefined
    ? ` ${test.source} has no test part (no test/ folder, t10k-* IDX files, test_batch.bin or x_test/y_test arrays), so the held-out split fell back to the whole dataset.`
    : '';
}

/** Byte i of each sample as stored (the batch's data, whatever its element type). */
function sampleBytes(raw: RawBatch, row: number): Uint8Array {
  const size = raw.data.length / raw.count;
  const bpe = raw.data.BYTES_PER_ELEMENT;
  return new Uint8Array(raw.data.buffer, raw.data.byteOffset + row * size * bpe, size * bpe);
}

function sameLabels(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameBatch(a: RawBatch, b: RawBatch): boolean {
  if (a.count !== b.count || a.data.length !== b.data.length) return false;
  for (let r = 0; r < a.count; r++) if (Buffer.compare(sampleBytes(a, r), sampleBytes(b, r)) !== 0) return false;
  return true;
}

/**
 * Refuses a held-out split that is the training split: the same files (a "test part" of a dataset that
 * has none falls back to the whole of it), or two sources with the same size, shape and labels whose
 * samples, compared at CONTENT_PROBES evenly spaced positions, are byte for byte the same (a copy).
 */
export async function refuseIdenticalSplits(train: DatasetSource, test: DatasetSource, selected?: { train: Int32Array; test: Int32Array }): Promise<void> {
  if ((await locationOf(train)) === (await locationOf(test))) {
    throw new Error(
      `${test.source}: the held-out split is the training split ${train.source} (the same files); its curves would repeat the training ones.` +
        `${noTestPartHint(test)} Choose a separate held-out dataset, or none.`,
    );
  }
  const comparable = train.size === test.size && train.dtype === test.dtype && train.sampleShape.join() === test.sampleShape.join();
  if (!comparable || !sameLabels(await train.labels(), await test.labels())) return;
  // Probed among the samples both analyses read anyway: an image folder counts what its reads skip, resize
  // and convert, and a file outside the analysis must not enter those counts (or stop a --strict run).
  const inTest = selected ? new Set(selected.test) : null;
  const candidates = selected && inTest ? selected.train.filter((i) => inTest.has(i)) : Int32Array.from({ length: train.size }, (_, i) => i);
  if (candidates.length === 0) return;
  const count = Math.min(CONTENT_PROBES, candidates.length);
  const probes = Int32Array.from(new Set(Array.from({ length: count }, (_, i) => candidates[Math.floor((i * candidates.length) / count)]!)));
  if (sameBatch(await train.read(probes), await test.read(probes))) {
    throw new Error(
      `${test.source}: the held-out split has the same content as the training split ${train.source} ` +
        `(${test.size} samples, the same labels, and the ${probes.length} samples compared are byte for byte equal); its curves would repeat the training ones. Choose a separate held-out dataset, or none.`,
    );
  }
}

/** 53 bits of a sample's SHA-1: a JS number, so a sorted Float64Array holds them (8 bytes a sample). */
function digest(bytes: Uint8Array): number {
  const d = createHash('sha1').update(bytes).digest();
  return d.readUIntBE(0, 6) * 32 + (d[6]! >> 3);
}

/**
 * Content digests of the samples a pass reads, to count held-out samples that are also training samples.
 * Collisions: with 53 bits, a million training samples against 100,000 held-out ones expect ~1e-5 false
 * matches.
 */
export class SampleDigests {
  private hashes = new Float64Array(1024);
  private indices = new Int32Array(1024);
  private count = 0;
  private sorted: Int32Array | null = null;

  /** Records every sample of a raw batch (as read, before preprocessing). */
  add(raw: RawBatch): void {
    if (this.count + raw.count > this.hashes.length) {
      const grow = Math.max(this.hashes.length * 2, this.count + raw.count);
      const hashes = new Float64Array(grow);
      const indices = new Int32Array(grow);
      hashes.set(this.hashes.subarray(0, this.count));
      indices.set(this.indices.subarray(0, this.count));
      this.hashes = hashes;
      this.indices = indices;
    }
    for (let r = 0; r < raw.count; r++) {
      this.hashes[this.count] = digest(sampleBytes(raw, r));
      this.indices[this.count] = raw.indices[r]!;
      this.count++;
    }
    this.sorted = null;
  }

  /** The digests and source indices recorded (copies), for a shard file. */
  recorded(): { hashes: Float64Array; indices: Int32Array } {
    return { hashes: this.hashes.slice(0, this.count), indices: this.indices.slice(0, this.count) };
  }

  /** Adds digests recorded elsewhere (another shard of the same split). */
  addRecorded(hashes: Float64Array, indices: Int32Array): void {
    if (hashes.length !== indices.length) throw new Error(`sample digests: ${hashes.length} digests for ${indices.length} indices`);
    const grown = { hashes: new Float64Array(this.count + hashes.length), indices: new Int32Array(this.count + hashes.length) };
    grown.hashes.set(this.hashes.subarray(0, this.count));
    grown.hashes.set(hashes, this.count);
    grown.indices.set(this.indices.subarray(0, this.count));
    grown.indices.set(indices, this.count);
    this.hashes = grown.hashes;
    this.indices = grown.indices;
    this.count += hashes.length;
    this.sorted = null;
  }

  /** The source index of a sample with this digest, or -1. */
  private find(hash: number): number {
    if (!this.sorted) {
      const order = Int32Array.from({ length: this.count }, (_, i) => i);
      order.sort((a, b) => this.hashes[a]! - this.hashes[b]!);
      this.sorted = order;
    }
    const order = this.sorted;
    let lo = 0;
    let hi = order.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const value = this.hashes[order[mid]!]!;
      if (value === hash) return this.indices[order[mid]!]!;
      if (value < hash) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** How many of `heldOut`'s samples have the content of one of these (training) samples. */
  overlap(heldOut: SampleDigests, train: SampleNamer, test: SampleNamer): SplitOverlap {
    let samples = 0;
    const examples: string[] = [];
    for (let i = 0; i < heldOut.count; i++) {
      const at = this.find(heldOut.hashes[i]!);
      if (at < 0) continue;
      samples++;
      if (examples.length < EXAMPLES) examples.push(`held-out ${sampleName(test, heldOut.indices[i]!)} = train ${sampleName(train, at)}`);
    }
    return { samples, of: heldOut.count, examples };
  }
}

/** The loud warning for held-out samples that are training samples (none for no overlap). */
export function overlapWarning(overlap: SplitOverlap, train: string, test: string): string | null {
  if (overlap.samples === 0) return null;
  const share = `${overlap.samples} of the ${overlap.of} held-out samples`;
  const all = overlap.samples === overlap.of ? ' (all of them: there is no held-out sample)' : '';
  return (
    `${share}${all} in ${test} are also training samples in ${train} (same content), e.g. ${overlap.examples.slice(0, 3).join(', ')}: ` +
    `the held-out numbers are partly training numbers and overstate generalisation`
  );
}
