import type { ByteReader } from '../byteReader';
import { bytesOf, type RandomAccessFile } from '../fileAccess';
import { MemberCheck, type MemberDeclaration } from './memberCheck';

/** Bytes read at a time when the CRC needs bytes no caller asked for (a gap between row reads, or the tail). */
const GAP_CHUNK = 1024 * 1024;

/**
 * A stored (np.savez) member read by offset, with its CRC-32 checked like a deflated member's: the bytes
 * callers read are fed to the running CRC in order, a gap between two forward reads is read for the CRC
 * alone (in 1 MiB pieces, so memory stays bounded), and the check is made when the reads reach the
 * array's last byte. Reads themselves run concurrently; only the bookkeeping is queued in call order.
 * Once a check failed, every later read fails with the same message.
 */
export class StoredMemberReader implements ByteReader {
  private readonly check: MemberCheck;
  private queue: Promise<unknown> = Promise.resolve();
  private verified = false;
  private failure: Error | null = null;

  constructor(
    private readonly file: RandomAccessFile,
    private readonly start: number,
    readonly length: number,
    private readonly what: string,
    private readonly member: MemberDeclaration,
  ) {
    this.check = new MemberCheck(file.path, member);
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const data = this.file.read(this.start + offset, length, this.what).then(bytesOf);
    // A failed read is reported through `accounted` below; until the queue gets to it, it must not count as unhandled.
    data.catch(() => undefined);
    const accounted = this.queue.then(async () => this.account(offset, await data));
    this.queue = accounted.catch(() => undefined);
    await accounted;
    return data;
  }

  /** Reads what no caller asked for, from the running position to the end, and checks the CRC. */
  async verify(): Promise<void> {
    if (this.failure) throw this.failure;
    if (!this.verified) await this.read(this.length - 1, 1);
  }

  private async account(offset: number, bytes: Uint8Array): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.verified) return;
    try {
      // A read that starts before the running position (rows read again, or out of order) is already counted.
      await this.feedFromFile(this.check.position, offset);
      const end = offset + bytes.length;
      if (end > this.check.position) this.check.add(bytes.subarray(this.check.position - offset));
      if (this.check.position >= this.length) {
        await this.feedFromFile(this.check.position, this.member.size);
        this.check.finish();
        this.verified = true;
      }
    } catch (err) {
      this.failure = err as Error;
      throw err;
    }
  }

  private async feedFromFile(from: number, to: number): Promise<void> {
    for (let at = from; at < to; at += GAP_CHUNK) {
      this.check.add(bytesOf(await this.file.read(this.start + at, Math.min(GAP_CHUNK, to - at), this.what)));
    }
  }
}
