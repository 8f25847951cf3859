import { crc32 } from '../crc32';

/** What the zip directory says about one member: its name, full uncompressed size and CRC-32. */
export interface MemberDeclaration {
  name: string;
  size: number;
  crc32: number;
}

/**
 * The running CRC-32 and byte count of one zip member's uncompressed bytes, fed in order from its start.
 * A member is trusted only once all of its bytes went through here: the count must reach the declared size
 * exactly (a damaged deflate stream can inflate to more bytes, or fewer) and the CRC must match. Both the
 * deflate cursor and the stored-member reader use it, so the two kinds of member are checked alike.
 */
export class MemberCheck {
  private seen = 0;
  private crc = 0;

  constructor(
    private readonly path: string,
    private readonly member: MemberDeclaration,
  ) {}

  /** Bytes counted so far (the offset the next `add` must start at). */
  get position(): number {
    return this.seen;
  }

  restart(): void {
    this.seen = 0;
    this.crc = 0;
  }

  /** Counts the next bytes of the member; throws as soon as they run past its declared size. */
  add(bytes: Uint8Array): void {
    this.seen += bytes.length;
    if (this.seen > this.member.size) throw this.corrupt(`inflates to more than its declared ${this.member.size} bytes`);
    this.crc = crc32(bytes, 0, bytes.length, this.crc);
  }

  /** At the member's end: every declared byte seen, and the CRC-32 matches the directory's. */
  finish(): void {
    if (this.seen < this.member.size) {
      throw new Error(`${this.path}: truncated: member '${this.member.name}' inflates to only ${this.seen} bytes, ${this.member.size} declared`);
    }
    if (this.crc !== this.member.crc32) throw this.corrupt('CRC-32 mismatch');
  }

  private corrupt(what: string): Error {
    return new Error(`${this.path}: member '${this.member.name}' is corrupt (${what})`);
  }
}
