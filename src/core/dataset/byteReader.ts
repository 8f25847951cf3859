import { bytesOf, type RandomAccessFile } from './fileAccess';

/**
 * One logical run of bytes read by offset: a range of a file, a buffer in memory, or a deflate stream read
 * forward (numpy/inflateCursor.ts). Row stores sit on top of it, so every format shares one gather path.
 */
export interface ByteReader {
  readonly length: number;
  read(offset: number, length: number): Promise<Uint8Array>;
  /**
   * For readers with a checksum over the whole run (zip members): reads what earlier reads skipped, up to
   * the end, and checks it. Rejects when the data are corrupt; a no-op once checked.
   */
  verify?(): Promise<void>;
}

export class FileRangeReader implements ByteReader {
  constructor(
    private readonly file: RandomAccessFile,
    private readonly start: number,
    readonly length: number,
    private readonly what: string,
  ) {}

  async read(offset: number, length: number): Promise<Uint8Array> {
    return bytesOf(await this.file.read(this.start + offset, length, this.what));
  }
}

export class BufferReader implements ByteReader {
  constructor(private readonly buffer: Uint8Array) {}

  get length(): number {
    return this.buffer.length;
  }

  read(offset: number, length: number): Promise<Uint8Array> {
    return Promise.resolve(this.buffer.subarray(offset, offset + length));
  }
}
