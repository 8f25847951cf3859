import type { ByteReader } from './byteReader';

/** Fixed-size rows (samples or records) stored one after another; every array-like format is one of these. */
export interface RowStore {
  readonly rows: number;
  readonly rowBytes: number;
  /** Rows [start, start + count) as one contiguous run of bytes. */
  readRows(start: number, count: number): Promise<Uint8Array>;
}

export class ReaderRowStore implements RowStore {
  constructor(
    private readonly reader: ByteReader,
    private readonly dataOffset: number,
    readonly rowBytes: number,
    readonly rows: number,
  ) {}

  readRows(start: number, count: number): Promise<Uint8Array> {
    return this.reader.read(this.dataOffset + start * this.rowBytes, count * this.rowBytes);
  }
}

/** Several files of the same row size seen as one (CIFAR's data_batch_1..5). */
export class ConcatRowStore implements RowStore {
  readonly rows: number;
  readonly rowBytes: number;
  private readonly starts: number[] = [];

  constructor(private readonly parts: RowStore[]) {
    if (parts.length === 0) throw new Error('ConcatRowStore needs at least one part');
    this.rowBytes = parts[0]!.rowBytes;
    let total = 0;
    for (const part of parts) {
      if (part.rowBytes !== this.rowBytes) throw new Error('ConcatRowStore parts differ in row size');
      this.starts.push(total);
      total += part.rows;
    }
    this.rows = total;
  }

  async readRows(start: number, count: number): Promise<Uint8Array> {
    const out = new Uint8Array(count * this.rowBytes);
    let done = 0;
    for (let p = 0; p < this.parts.length && done < count; p++) {
      const partStart = this.starts[p]!;
      const part = this.parts[p]!;
      const from = start + done - partStart;
      if (from >= part.rows) continue;
      const take = Math.min(count - done, part.rows - from);
      out.set(await part.readRows(from, take), done * this.rowBytes);
      done += take;
    }
    return out;
  }
}

// Nearby rows are read in one request: a few wasted bytes cost less than another read call.
const MAX_GAP_BYTES = 64 * 1024;
const MAX_SPAN_BYTES = 8 * 1024 * 1024;

/**
 * Reads the rows at `indices` (any order, repeats allowed) into one buffer in that order. Rows are fetched
 * in increasing index order, coalesced into spans, which keeps reads sequential (and a deflate stream
 * moving forward).
 */
export async function gatherRows(store: RowStore, indices: Int32Array, source: string): Promise<Uint8Array> {
  const n = indices.length;
  const rowBytes = store.rowBytes;
  const out = new Uint8Array(n * rowBytes);
  if (n === 0) return out;
  for (let i = 0; i < n; i++) {
    const index = indices[i]!;
    if (!(index >= 0 && index < store.rows)) throw new Error(`${source}: sample index ${index} is outside 0..${store.rows - 1}`);
  }
  const order = Array.from({ length: n }, (_, i) => i);
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) if (indices[i]! < indices[i - 1]!) sorted = false;
  if (!sorted) order.sort((a, b) => indices[a]! - indices[b]! || a - b);

  const maxGapRows = Math.floor(MAX_GAP_BYTES / rowBytes);
  const maxSpanRows = Math.max(1, Math.floor(MAX_SPAN_BYTES / rowBytes));
  let k = 0;
  while (k < n) {
    const first = indices[order[k]!]!;
    let end = k + 1;
    while (end < n) {
      const next = indices[order[end]!]!;
      const previous = indices[order[end - 1]!]!;
      if (next - previous - 1 > maxGapRows || next - first + 1 > maxSpanRows) break;
      end++;
    }
    const last = indices[order[end - 1]!]!;
    const span = await store.readRows(first, last - first + 1);
    for (let j = k; j < end; j++) {
      const position = order[j]!;
      const at = (indices[position]! - first) * rowBytes;
      out.set(span.subarray(at, at + rowBytes), position * rowBytes);
    }
    k = end;
  }
  return out;
}
