import type { ByteReader } from '../byteReader';
import { product } from '../layout';
import type { RowStore } from '../rows';

/**
 * A Fortran-order member at most this large is read whole on the first row read, and rows are gathered
 * from memory until the last row is read. A larger one is read column by column for every block of rows asked for: memory
 * stays at one block, but a deflated member is inflated once per block (slow, never wrong).
 */
export const FORTRAN_IN_MEMORY_BYTES = 256 * 2 ** 20;

/** Whether Fortran order lays the array out differently from C order (it does not with at most one axis longer than 1). */
export function fortranDiffersFromC(shape: number[]): boolean {
  return shape.filter((n) => n !== 1).length > 1;
}

/**
 * Rows (along axis 0) of an array stored in Fortran order (np.savez writes that order for a transposed or
 * otherwise F-contiguous array), handed out in C order like every other row store: a row of an N x D
 * Fortran array is strided (item j of row i sits at i + N*j), and each row's own axes are reversed too.
 */
export class FortranRowStore implements RowStore {
  readonly rowBytes: number;
  /** Items per row. */
  private readonly perRow: number;
  /** fortranIndex[c]: where item c of a row in C order sits in the row's Fortran order. */
  private readonly fortranIndex: Int32Array;
  private whole: Promise<Uint8Array> | null = null;

  constructor(
    private readonly reader: ByteReader,
    private readonly dataOffset: number,
    readonly rows: number,
    rowShape: number[],
    private readonly itemSize: number,
    private readonly inMemoryLimit = FORTRAN_IN_MEMORY_BYTES,
  ) {
    this.perRow = product(rowShape);
    this.rowBytes = this.perRow * itemSize;
    this.fortranIndex = cToFortranIndex(rowShape);
  }

  async readRows(start: number, count: number): Promise<Uint8Array> {
    const out = new Uint8Array(count * this.rowBytes);
    if (count === 0 || this.perRow === 0) return out;
    const { rows, perRow, itemSize, fortranIndex } = this;
    const total = rows * perRow * itemSize;
    if (total <= this.inMemoryLimit) {
      this.whole ??= this.reader.read(this.dataOffset, total);
      const whole = await this.whole;
      // Readers go through the rows in increasing order: once the last one is out, the copy is let go, so
      // several Fortran layers read one after another never sit in memory together.
      if (start + count === rows) this.whole = null;
      for (let r = 0; r < count; r++) {
        for (let c = 0; c < perRow; c++) {
          copyItem(whole, (start + r + rows * fortranIndex[c]!) * itemSize, out, (r * perRow + c) * itemSize, itemSize);
        }
      }
      return out;
    }
    // Column pass: item j of rows [start, start + count) is one contiguous run, read in increasing offset order.
    const cIndex = new Int32Array(perRow);
    for (let c = 0; c < perRow; c++) cIndex[fortranIndex[c]!] = c;
    for (let j = 0; j < perRow; j++) {
      const run = await this.reader.read(this.dataOffset + (j * rows + start) * itemSize, count * itemSize);
      const c = cIndex[j]!;
      for (let r = 0; r < count; r++) copyItem(run, r * itemSize, out, (r * perRow + c) * itemSize, itemSize);
    }
    return out;
  }
}

function copyItem(from: Uint8Array, at: number, to: Uint8Array, dest: number, itemSize: number): void {
  for (let b = 0; b < itemSize; b++) to[dest + b] = from[at + b]!;
}

/** For each C-order position in an array of `shape`, its position in Fortran order (first axis fastest). */
function cToFortranIndex(shape: number[]): Int32Array {
  const n = product(shape);
  const out = new Int32Array(n);
  const fortranStride: number[] = [];
  let stride = 1;
  for (const d of shape) {
    fortranStride.push(stride);
    stride *= d;
  }
  const index = new Array<number>(shape.length).fill(0);
  for (let c = 0; c < n; c++) {
    let f = 0;
    for (let a = 0; a < shape.length; a++) f += index[a]! * fortranStride[a]!;
    out[c] = f;
    // Next C-order position: the last axis moves fastest.
    for (let a = shape.length - 1; a >= 0; a--) {
      if (++index[a]! < shape[a]!) break;
      index[a] = 0;
    }
  }
  return out;
}
