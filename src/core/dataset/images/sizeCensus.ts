import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { readImageHeader, tooLargeReason, MAX_IMAGE_PIXELS, type ImageHeader } from './imageHeader';

/** Bytes read for a header: a PNG's IHDR is in the first 33, a JPEG's frame header follows its EXIF/APP segments. */
const HEADER_BYTES = 1 << 16;
/** Files read between two returns to the event loop, so a cancel gets through a long census. */
const FILES_PER_SLICE = 256;

/** The header of one file from its first bytes (the whole file when a JPEG's frame header lies further). */
export function readFileHeader(path: string, buffer = new Uint8Array(HEADER_BYTES)): ImageHeader | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null; // the read during the pass reports it, with the reason, as a skipped sample
  }
  let size: number;
  try {
    size = readSync(fd, buffer, 0, buffer.length, 0);
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
  const header = readImageHeader(buffer.subarray(0, size));
  if (header || size < buffer.length) return header;
  try {
    return readImageHeader(new Uint8Array(readFileSync(path)));
  } catch {
    return null;
  }
}

export interface SizeCensus {
  width: number;
  height: number;
  channels: 1 | 3;
  /** Headers read (unreadable files are left out: the pass skips and counts them). */
  read: number;
  /** Files of the chosen size. */
  ofSize: number;
}

const nextTick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * The most common width x height (and, separately, channel count) among the files' headers; ties go to
 * the size met first in the order given. Headers only: no pixel is decoded. A header over the pixel
 * limit refuses the run here, before the pass starts. Null when no header could be read.
 */
export async function censusOfSizes(paths: readonly string[]): Promise<SizeCensus | null> {
  const sizes = new Map<string, { width: number; height: number; count: number }>();
  const channels = new Map<1 | 3, number>();
  const buffer = new Uint8Array(HEADER_BYTES);
  let read = 0;
  for (let i = 0; i < paths.length; i++) {
    if (i > 0 && i % FILES_PER_SLICE === 0) await nextTick();
    const header = readFileHeader(paths[i]!, buffer);
    if (!header) continue;
    if (header.width * header.height > MAX_IMAGE_PIXELS) throw new Error(`${paths[i]}: ${tooLargeReason(header.width, header.height)}`);
    read++;
    const key = `${header.width}x${header.height}`;
    const entry = sizes.get(key);
    if (entry) entry.count++;
    else sizes.set(key, { width: header.width, height: header.height, count: 1 });
    channels.set(header.channels, (channels.get(header.channels) ?? 0) + 1);
  }
  if (read === 0) return null;
  let best: { width: number; height: number; count: number } | null = null;
  for (const entry of sizes.values()) if (!best || entry.count > best.count) best = entry;
  let bestChannels: 1 | 3 = 1;
  let bestCount = -1;
  for (const [c, count] of channels) {
    if (count > bestCount) {
      bestChannels = c;
      bestCount = count;
    }
  }
  return { width: best!.width, height: best!.height, channels: bestChannels, read, ofSize: best!.count };
}
