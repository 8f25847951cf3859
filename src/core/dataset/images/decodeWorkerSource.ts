import { MAX_IMAGE_PIXELS } from './imageHeader';
import { createPngFastPath, type PngFastPath } from './pngFastPath';
import { createSmallFileReader } from './smallFileReader';

/**
 * One file as a decoding worker saw it. Ranges point into the reply's buffer. 'bytes' hands the file back
 * for the main thread to decode (JPEG, palette/16-bit/interlaced PNG, or not an image at all).
 */
export type WorkerFileOutcome =
  | { kind: 'image'; width: number; height: number; channels: 1 | 3; droppedAlpha: boolean; offset: number; length: number }
  /** The PNG's header claims more pixels than the limit: not decoded (see imageHeader.ts). */
  | { kind: 'too-large'; width: number; height: number }
  | { kind: 'bytes'; offset: number; length: number }
  | { kind: 'read-error'; code: string | null; message: string }
  | { kind: 'decode-error'; message: string };

export interface WorkerJob {
  id: number;
  paths: string[];
}

export interface WorkerReply {
  id: number;
  outcomes: WorkerFileOutcome[];
  /** Every outcome's pixels or bytes, packed; transferred, not copied. */
  buffer: ArrayBuffer;
}

/** The part of a MessagePort the worker loop uses (worker_threads' parentPort). */
interface WorkerPort {
  on(event: 'message', listener: (job: WorkerJob) => void): void;
  postMessage(reply: WorkerReply, transfer: ArrayBuffer[]): void;
}

/**
 * The worker's loop: read each file of a job, refuse a PNG whose header is over `maxPixels`, decode what
 * the PNG fast path takes, reply once per job with one packed buffer. Self-contained like createPngFastPath: its source text is the worker's code.
 */
function decodeWorkerLoop(port: WorkerPort, readFile: (path: string) => Uint8Array, png: PngFastPath, maxPixels: number): void {
  port.on('message', (job) => {
    const outcomes: WorkerFileOutcome[] = [];
    const parts: Uint8Array[] = [];
    let total = 0;
    const keep = (data: Uint8Array): { offset: number; length: number } => {
      parts.push(data);
      total += data.length;
      return { offset: total - data.length, length: data.length };
    };
    for (const path of job.paths) {
      let bytes: Uint8Array;
      try {
        bytes = readFile(path);
      } catch (err) {
        const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : null;
        outcomes.push({ kind: 'read-error', code, message: err instanceof Error ? err.message : String(err) });
        continue;
      }
      // `bytes` is valid until the next read: handed back files are copied, decoded pixels are new.
      if (!png.matches(bytes)) {
        outcomes.push({ kind: 'bytes', ...keep(bytes.slice()) });
        continue;
      }
      const header = png.header(bytes);
      if (header && header.width * header.height > maxPixels) {
        outcomes.push({ kind: 'too-large', width: header.width, height: header.height });
        continue;
      }
      try {
        const image = png.decode(bytes);
        if (image) outcomes.push({ kind: 'image', width: image.width, height: image.height, channels: image.channels, droppedAlpha: image.droppedAlpha === true, ...keep(image.data) });
        else outcomes.push({ kind: 'bytes', ...keep(bytes.slice()) });
      } catch (err) {
        outcomes.push({ kind: 'decode-error', message: err instanceof Error ? err.message : String(err) });
      }
    }
    const packed = new Uint8Array(total);
    let at = 0;
    for (const part of parts) {
      packed.set(part, at);
      at += part.length;
    }
    port.postMessage({ id: job.id, outcomes, buffer: packed.buffer }, [packed.buffer]);
  });
}

/**
 * The code of an image-decoding worker, for `new Worker(code, { eval: true })`: plain JavaScript built
 * from the two self-contained functions' source, so it needs no file of its own and runs the same from
 * tsx, from out/ and from the webpack bundle (dist/engine.js), where no worker script sits beside it.
 * Only Node built-ins are required (the strings stay out of the bundler's sight).
 */
export function decodeWorkerSource(): string {
  return [
    '"use strict";',
    // tsx compiles with esbuild's keepNames, which wraps inner functions in __name(fn, "name"): a helper
    // that lives in the module, not in the function's source.
    'const __name = (target) => target;',
    "const { parentPort } = require('node:worker_threads');",
    "const fs = require('node:fs');",
    "const zlib = require('node:zlib');",
    `const png = (${createPngFastPath.toString()})({ inflate: (c) => zlib.inflateSync(c), crc32: (b, s, e) => zlib.crc32(b.subarray(s, e)) >>> 0 });`,
    `(${decodeWorkerLoop.toString()})(parentPort, (${createSmallFileReader.toString()})(fs), png, ${MAX_IMAGE_PIXELS});`,
  ].join('\n');
}
