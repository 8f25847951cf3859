import * as fs from 'node:fs';
import { describeFsError } from '../fileAccess';
import { decodeImage } from './decodeImage';
import { ImageTooLargeError, tooLargeReason } from './imageHeader';
import type { DecodedImage } from './decodedImage';
import type { ImageDecodePool } from './decodePool';
import type { WorkerFileOutcome, WorkerReply } from './decodeWorkerSource';
import { createSmallFileReader } from './smallFileReader';
import { messageOf } from '../../messageOf';

/**
 * A file read and decoded, or why not (the reason does not repeat the path). `tooLarge`: the header claims
 * more than MAX_IMAGE_PIXELS, a refusal of the run rather than a corrupt sample to skip.
 */
export type ImageOutcome = { ok: true; image: DecodedImage } | { ok: false; reason: string; tooLarge?: true };

/** Files read and decoded on this thread between two returns to the event loop (so cancel gets through). */
const FILES_PER_SLICE = 32;
/** Reads smaller than this stay on this thread: a worker round trip is not worth it for a few files. */
export const MIN_FILES_FOR_WORKERS = 32;
/** Files per worker job: enough to amortise a message, few enough that the workers share a batch. */
const MAX_FILES_PER_JOB = 64;

/** This thread's reader: one reused buffer (the decoders copy what they keep). */
const readSmallFile = createSmallFileReader(fs);

/**
 * Reads synchronously: for small files an fs.promises.readFile costs several thread-pool round trips and
 * was measured 7x slower than readFileSync, and the decode that follows is synchronous work anyway.
 * Throws an error that names the file when it cannot be read.
 */
export function loadImage(path: string): DecodedImage {
  let bytes: Uint8Array;
  try {
    bytes = readSmallFile(path);
  } catch (err) {
    throw describeFsError(path, err);
  }
  return decodeImage(bytes);
}

const withoutPath = (path: string, message: string): string => message.replace(`${path}: `, '');

function outcomeOf(path: string, load: () => DecodedImage): ImageOutcome {
  try {
    return { ok: true, image: load() };
  } catch (err) {
    if (err instanceof ImageTooLargeError) return { ok: false, reason: err.message, tooLarge: true };
    return { ok: false, reason: withoutPath(path, messageOf(err)) };
  }
}

const nextTick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function loadHere(paths: string[]): Promise<ImageOutcome[]> {
  const outcomes: ImageOutcome[] = [];
  for (let i = 0; i < paths.length; i++) {
    if (i > 0 && i % FILES_PER_SLICE === 0) await nextTick();
    outcomes.push(outcomeOf(paths[i]!, () => loadImage(paths[i]!)));
  }
  return outcomes;
}

/** A worker's report on one file, as this thread's loadImage would have put it. */
function fromWorker(path: string, outcome: WorkerFileOutcome, buffer: ArrayBuffer): ImageOutcome {
  switch (outcome.kind) {
    case 'image': {
      const { width, height, channels } = outcome;
      const image: DecodedImage = { width, height, channels, data: new Uint8Array(buffer, outcome.offset, outcome.length) };
      if (outcome.droppedAlpha) image.droppedAlpha = true;
      return { ok: true, image };
    }
    case 'too-large':
      return { ok: false, reason: tooLargeReason(outcome.width, outcome.height), tooLarge: true };
    case 'bytes':
      return outcomeOf(path, () => decodeImage(new Uint8Array(buffer, outcome.offset, outcome.length)));
    case 'read-error': {
      const err = Object.assign(new Error(outcome.message), outcome.code === null ? {} : { code: outcome.code });
      return { ok: false, reason: withoutPath(path, describeFsError(path, err).message) };
    }
    case 'decode-error':
      return { ok: false, reason: outcome.message };
  }
}

function fromReply(paths: string[], reply: WorkerReply): ImageOutcome[] {
  if (reply.outcomes.length !== paths.length) throw new Error(`an image decoding worker answered for ${reply.outcomes.length} of ${paths.length} files`);
  return paths.map((path, i) => fromWorker(path, reply.outcomes[i]!, reply.buffer));
}

/**
 * Reads and decodes `paths`, in order: split over the pool's workers when there is a pool and enough
 * files, else here. A job the pool fails (a worker died) is decoded here instead, so the result is the
 * same either way; only the pool's own PNG fast path runs off-thread, JPEGs and pngjs's PNGs come back
 * as bytes and are decoded here.
 */
export async function loadImages(paths: string[], pool: ImageDecodePool | null): Promise<ImageOutcome[]> {
  if (!pool || pool.stopped || paths.length < MIN_FILES_FOR_WORKERS) return loadHere(paths);
  const perJob = Math.min(MAX_FILES_PER_JOB, Math.ceil(paths.length / pool.size));
  const jobs: string[][] = [];
  for (let start = 0; start < paths.length; start += perJob) jobs.push(paths.slice(start, start + perJob));
  const results = await Promise.all(jobs.map((job) => pool.run(job).then((reply) => fromReply(job, reply)).catch(() => null)));
  const outcomes: ImageOutcome[] = [];
  for (let j = 0; j < jobs.length; j++) outcomes.push(...(results[j] ?? (await loadHere(jobs[j]!))));
  return outcomes;
}
