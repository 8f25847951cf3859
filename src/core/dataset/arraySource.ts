import { gatherRows, type RowStore } from './rows';
import type { DatasetSource, RawBatch } from './types';

export type RawData = RawBatch['data'];

/** What a fixed-row format (IDX, .npy/.npz, CIFAR) hands to the shared source implementation. */
export interface ArraySourceParts {
  source: string;
  format: string;
  store: RowStore;
  /** Where the sample sits inside each stored row (CIFAR rows start with label bytes); default: the whole row. */
  payload?: { offset: number; bytes: number };
  /** Turns the payload bytes of `count` samples into the batch's data. */
  decode(bytes: Uint8Array): RawData;
  dtype: DatasetSource['dtype'];
  sampleShape: number[];
  sampleLayout: DatasetSource['sampleLayout'];
  classNames: string[] | null;
  /** All N labels; called at most once. */
  loadLabels(): Promise<Int32Array>;
  fingerprint: string;
  files: string[];
  details?: Record<string, unknown>;
  /** Checks the integrity of what reads may have skipped (an .npz member's CRC-32); absent where there is nothing to check. */
  verify?(): Promise<void>;
  close(): Promise<void>;
}

/** A dataset whose samples are fixed-size rows; reads gather rows in index order and decode per batch. */
export class ArrayDatasetSource implements DatasetSource {
  readonly source: string;
  readonly format: string;
  readonly size: number;
  readonly sampleShape: number[];
  readonly sampleLayout: DatasetSource['sampleLayout'];
  readonly dtype: DatasetSource['dtype'];
  readonly classNames: string[] | null;
  private labelsPromise: Promise<Int32Array> | null = null;

  constructor(private readonly parts: ArraySourceParts) {
    this.source = parts.source;
    this.format = parts.format;
    this.size = parts.store.rows;
    this.sampleShape = parts.sampleShape;
    this.sampleLayout = parts.sampleLayout;
    this.dtype = parts.dtype;
    this.classNames = parts.classNames;
  }

  labels(): Promise<Int32Array> {
    if (!this.labelsPromise) {
      this.labelsPromise = this.parts.loadLabels().then((labels) => {
        if (labels.length !== this.size) {
          throw new Error(`${this.source}: ${labels.length} labels for ${this.size} samples`);
        }
        return labels;
      });
    }
    return this.labelsPromise;
  }

  async read(indices: Int32Array): Promise<RawBatch> {
    const all = await this.labels();
    const rows = await gatherRows(this.parts.store, indices, this.source);
    const payload = this.parts.payload;
    let bytes = rows;
    if (payload) {
      const rowBytes = this.parts.store.rowBytes;
      bytes = new Uint8Array(indices.length * payload.bytes);
      for (let i = 0; i < indices.length; i++) {
        const at = i * rowBytes + payload.offset;
        bytes.set(rows.subarray(at, at + payload.bytes), i * payload.bytes);
      }
    }
    const labels = new Int32Array(indices.length);
    for (let i = 0; i < indices.length; i++) labels[i] = all[indices[i]!]!;
    return { data: this.parts.decode(bytes), labels, count: indices.length, indices: Int32Array.from(indices) };
  }

  describe(): Record<string, unknown> {
    return {
      source: this.source,
      format: this.format,
      available: this.size,
      fingerprint: this.parts.fingerprint,
      files: this.parts.files,
      sampleShape: this.sampleShape,
      dtype: this.dtype,
      ...this.parts.details,
    };
  }

  async verify(): Promise<void> {
    await this.parts.verify?.();
  }

  close(): Promise<void> {
    return this.parts.close();
  }
}
