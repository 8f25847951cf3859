import { createReadStream, type ReadStream } from 'node:fs';
import { createInflateRaw, type InflateRaw } from 'node:zlib';
import type { ByteReader } from '../byteReader';
import { bytesOf } from '../fileAccess';
import { MemberCheck, type MemberDeclaration } from './memberCheck';

const EMPTY = Buffer.alloc(0);
const CHUNK = 256 * 1024;

/**
 * Reads a deflated zip member (np.savez_compressed) by streaming it forward: memory stays at a few chunk
 * buffers whatever the member's size. A read before the current position restarts the stream from the
 * start of the member, so readers should ask for rows in increasing order (selectIndices sorts them).
 * Reads are queued: concurrent callers (prefetch) see them in call order.
 *
 * Raw deflate has no checksum of its own, and damaged data can inflate to plausible bytes, or to more or
 * fewer bytes than the member holds. So the size and the zip's CRC-32 are checked over everything
 * inflated: a read that reaches the array's last byte also inflates the rest of the stream and checks
 * both there, so a member read to its end is never trusted unchecked.
 */
export class InflateCursor implements ByteReader {
  private position = 0;
  private carry: Buffer = EMPTY;
  private iterator: AsyncIterator<Buffer> | null = null;
  private input: ReadStream | null = null;
  private inflate: InflateRaw | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  /** Size and CRC-32 of the bytes taken from the inflate stream since the last (re)start. */
  private readonly check: MemberCheck;
  /** Set once the whole member inflated to its declared size with the right CRC-32. */
  private verified = false;
  /** How many times the stream went back to the start (for describe() and tests). */
  restarts = 0;

  constructor(
    private readonly path: string,
    private readonly start: number,
    private readonly compressedLength: number,
    readonly length: number,
    private readonly label: string,
    /** The member's name, full uncompressed size and CRC-32 from the zip directory. */
    member: MemberDeclaration,
  ) {
    this.check = new MemberCheck(path, member);
  }

  read(offset: number, length: number): Promise<Uint8Array> {
    const run = this.queue.then(() => this.readNow(offset, length));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Inflates on from where the stream is (normally the last row read) to the member's end: the rest only. */
  async verify(): Promise<void> {
    if (!this.verified) await this.read(this.length - 1, 1);
  }

  close(): void {
    this.stop();
  }

  private begin(): AsyncIterator<Buffer> {
    const input = createReadStream(this.path, {
      start: this.start,
      end: this.start + this.compressedLength - 1,
      highWaterMark: CHUNK,
    });
    const inflate = createInflateRaw({ chunkSize: CHUNK });
    input.on('error', (err) => inflate.destroy(err));
    input.pipe(inflate);
    this.input = input;
    this.inflate = inflate;
    this.iterator = inflate[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    this.position = 0;
    this.carry = EMPTY;
    this.check.restart();
    return this.iterator;
  }

  private stop(): void {
    this.input?.destroy();
    this.inflate?.destroy();
    this.input = null;
    this.inflate = null;
    this.iterator = null;
    this.carry = EMPTY;
    this.position = 0;
  }

  /** The next inflated chunk, counted and CRC'd; null at the end of the stream. Stops the stream on any error. */
  private async nextChunk(iterator: AsyncIterator<Buffer>): Promise<Buffer | null> {
    let next: IteratorResult<Buffer>;
    try {
      next = await iterator.next();
    } catch (err) {
      this.stop();
      throw new Error(`${this.path}: ${this.label}: cannot inflate (${(err as Error).message})`);
    }
    try {
      if (next.done) {
        this.check.finish();
        return null;
      }
      this.check.add(bytesOf(next.value));
      return next.value;
    } catch (err) {
      this.stop();
      throw err;
    }
  }

  /** Inflates what is left after the array's last byte (normally nothing), so the size and CRC get checked. */
  private async finishMember(iterator: AsyncIterator<Buffer>): Promise<void> {
    while ((await this.nextChunk(iterator)) !== null);
    this.verified = true;
    this.stop();
  }

  private async readNow(offset: number, length: number): Promise<Uint8Array> {
    if (offset + length > this.length) {
      throw new Error(`${this.path}: ${this.label}: bytes ${offset}..${offset + length} are past its end (${this.length})`);
    }
    if (offset < this.position && this.iterator) {
      this.stop();
      this.restarts++;
    }
    const iterator = this.iterator ?? this.begin();
    const out = new Uint8Array(length);
    let filled = 0;
    while (filled < length) {
      if (this.carry.length === 0) {
        const reached = this.position;
        const chunk = await this.nextChunk(iterator);
        if (chunk === null) {
          this.stop();
          throw new Error(`${this.path}: truncated: ${this.label} inflates to only ${reached} bytes, ${this.length} expected`);
        }
        this.carry = chunk;
      }
      if (this.position < offset) {
        const skip = Math.min(offset - this.position, this.carry.length);
        this.carry = this.carry.subarray(skip);
        this.position += skip;
        continue;
      }
      const take = Math.min(length - filled, this.carry.length);
      out.set(bytesOf(this.carry.subarray(0, take)), filled);
      this.carry = this.carry.subarray(take);
      this.position += take;
      filled += take;
    }
    if (this.position === this.length) await this.finishMember(iterator);
    return out;
  }
}
