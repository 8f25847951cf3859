import { access, open, stat, type FileHandle } from 'node:fs/promises';
import { messageOf } from '../messageOf';

/** The `code` of a Node error ('ENOENT', 'Z_DATA_ERROR', ...), or '' when it has none. */
export function errorCode(err: unknown): string {
  return typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
}

const FS_REASONS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory, expected a file',
  ENOTDIR: 'a parent of this path is not a directory',
  EMFILE: 'too many open files',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  ELOOP: 'too many symbolic links',
};

/** A Node fs error in words, with its code: "permission denied, EACCES"; its own message when the code is unusual. */
export function fsErrorReason(err: unknown): string {
  const code = errorCode(err);
  return FS_REASONS[code] ? `${FS_REASONS[code]}, ${code}` : messageOf(err);
}

/**
 * Turns a Node fs error into a message that names the file and says what went wrong, in words. A missing
 * file reads `<path>: no such file or directory` whichever command or reader meets it (checkpoint,
 * dataset, result file, folder of epochs), so one fault has one phrasing.
 */
export function describeFsError(path: string, err: unknown): Error {
  // The cause keeps the code (ENOENT): a reader such as the run store tells a deleted file from an unreadable one.
  return new Error(`${path}: ${readProblem(err)}`, { cause: err });
}

/** describeFsError's words without the path, for errors that put the path in front themselves. */
export function readProblem(err: unknown): string {
  return errorCode(err) === 'ENOENT' ? FS_REASONS.ENOENT : `cannot read (${fsErrorReason(err)})`;
}

/**
 * A file read by position. Several reads may be in flight at once (positional reads do not share a cursor),
 * which is what lets a prefetched batch read while the previous one is being used.
 */
export class RandomAccessFile {
  private constructor(
    readonly path: string,
    readonly size: number,
    private readonly handle: FileHandle,
  ) {}

  static async open(path: string): Promise<RandomAccessFile> {
    let handle: FileHandle;
    try {
      handle = await open(path, 'r');
    } catch (err) {
      throw describeFsError(path, err);
    }
    try {
      const stat = await handle.stat();
      if (stat.isDirectory()) throw new Error(`${path}: is a directory, expected a file`);
      return new RandomAccessFile(path, stat.size, handle);
    } catch (err) {
      await handle.close();
      throw err;
    }
  }

  /** Exactly `length` bytes from `offset`; a file that ends early is reported as truncated. */
  async read(offset: number, length: number, what = 'data'): Promise<Buffer> {
    if (offset + length > this.size) {
      throw new Error(
        `${this.path}: truncated: ${what} needs bytes ${offset}..${offset + length} but the file has ${this.size} bytes`,
      );
    }
    const bytes = new Uint8Array(length);
    let filled = 0;
    while (filled < length) {
      const { bytesRead } = await this.handle.read(bytes, filled, length - filled, offset + filled);
      if (bytesRead === 0) {
        throw new Error(`${this.path}: truncated: file ended after ${offset + filled} bytes while reading ${what}`);
      }
      filled += bytesRead;
    }
    return Buffer.from(bytes.buffer, 0, length);
  }

  /** Up to `length` bytes from `offset` (fewer at the end of the file); for sniffing. */
  async readUpTo(offset: number, length: number): Promise<Buffer> {
    const n = Math.max(0, Math.min(length, this.size - offset));
    return n === 0 ? Buffer.alloc(0) : this.read(offset, n);
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

/**
 * A Buffer seen as a plain Uint8Array (same memory), so readers hand out one array type whatever Node
 * API produced the bytes (some @types/node versions do not let a Buffer pass for a Uint8Array).
 */
export function bytesOf(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** Reads the first bytes of a file (for format detection) and closes it. */
export async function readFileHead(path: string, length: number): Promise<{ head: Buffer; size: number }> {
  const file = await RandomAccessFile.open(path);
  try {
    return { head: await file.readUpTo(0, length), size: file.size };
  } finally {
    await file.close();
  }
}

/** Whether a path can be reached (a missing labels file or split folder is a normal answer, not an error). */
export async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** What a path is (links followed), or null when it cannot be reached: for searches where absence is normal. */
export async function pathKind(path: string): Promise<'file' | 'dir' | null> {
  try {
    return (await stat(path)).isDirectory() ? 'dir' : 'file';
  } catch {
    return null;
  }
}
