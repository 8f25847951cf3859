import type { ByteReader } from '../byteReader';
import { product } from '../layout';
import { ReaderRowStore, type RowStore } from '../rows';
import { bytesToTypedArray, type NpyDType, type NumericArray } from './dtype';
import { FortranRowStore, fortranDiffersFromC } from './fortranRows';
import type { NpyHeader } from './header';

/** A whole array, or rows of it, decoded into a typed array (C order). */
export interface NpyArray {
  dtype: NpyDType;
  shape: number[];
  data: NumericArray;
}

/**
 * One array on disk (a .npy file or an .npz member), read whole or by rows along axis 0. Rows always come
 * out in C order: a Fortran-order array is transposed on the fly (numpy/fortranRows.ts).
 */
export class NpyArrayReader {
  readonly rows: number;
  readonly rowBytes: number;
  /** Raw little-/big-endian row bytes in C order, for readers that decode themselves. */
  readonly store: RowStore;

  constructor(
    /** File path, or `file.npz:member` for an .npz member: used in every message. */
    readonly source: string,
    readonly header: NpyHeader,
    private readonly reader: ByteReader,
  ) {
    const shape = header.shape;
    this.rows = shape.length === 0 ? 1 : shape[0]!;
    this.rowBytes = product(shape.slice(1)) * header.itemSize;
    this.store =
      header.fortranOrder && fortranDiffersFromC(shape)
        ? new FortranRowStore(reader, header.dataOffset, this.rows, shape.slice(1), header.itemSize)
        : new ReaderRowStore(reader, header.dataOffset, this.rowBytes, this.rows);
  }

  get shape(): number[] {
    return this.header.shape;
  }

  get dtype(): NpyDType {
    return this.header.dtype;
  }

  decode(bytes: Uint8Array): NumericArray {
    return bytesToTypedArray(bytes, this.header);
  }

  /** Checks the whole array's integrity where its container has a checksum (an .npz member's CRC-32); a no-op for a plain .npy. */
  async verify(): Promise<void> {
    await this.reader.verify?.();
  }

  async readAll(): Promise<NpyArray> {
    return this.readRows(0, this.rows);
  }

  /** Rows [start, end) along the first axis. */
  async readRows(start: number, end: number): Promise<NpyArray> {
    if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end <= this.rows && start <= end)) {
      throw new Error(`${this.source}: row range ${start}..${end} is outside 0..${this.rows}`);
    }
    const bytes = await this.store.readRows(start, end - start);
    const shape = this.header.shape.length === 0 ? [] : [end - start, ...this.header.shape.slice(1)];
    return { dtype: this.header.dtype, shape, data: this.decode(bytes) };
  }
}
