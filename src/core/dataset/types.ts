/**
 * A labelled dataset as it sits on disk, read lazily so memory does not grow with N. Readers are
 * detected by content (see detect.ts); each gives raw samples, and preprocessing turns them into the
 * model's input layout.
 */

/** Raw samples as stored: integers 0..255 (uint8) or floats, in the source's own layout. */
export interface RawBatch {
  /** count x prod(sampleShape) values. */
  data: Uint8Array | Float32Array | Float64Array;
  labels: Int32Array;
  count: number;
  /** Sample indices (into the source) of the rows, for error messages. */
  indices: Int32Array;
}

export interface DatasetSource {
  /** The path the user gave. */
  readonly source: string;
  /** 'idx', 'npz', 'npy', 'cifar10', 'cifar100', 'image-folder'. */
  readonly format: string;
  readonly size: number;
  /** Shape of one stored sample, e.g. [28, 28], [32, 32, 3] (HWC) or [3, 32, 32] (CHW). */
  readonly sampleShape: number[];
  /** How the sample shape is laid out: 'hw', 'hwc', 'chw' or 'flat'. */
  readonly sampleLayout: 'hw' | 'hwc' | 'chw' | 'flat';
  readonly dtype: 'uint8' | 'float32' | 'float64';
  /** Class names when the source has them (image folders, CIFAR meta), else null. */
  readonly classNames: string[] | null;
  /** All labels (N ints: cheap), for class checks and balanced subsampling. */
  labels(): Promise<Int32Array>;
  /** Reads the given sample indices (in this order). */
  read(indices: Int32Array): Promise<RawBatch>;
  /** Extra facts for the result JSON (files used, skipped samples). */
  describe(): Record<string, unknown>;
  /**
   * Checks what the reads so far could not: the whole file's integrity where it carries a checksum (an
   * .npz member's CRC-32 and size), reading only what they skipped. Rejects naming the file when corrupt.
   */
  verify?(): Promise<void>;
  close(): Promise<void>;
}

/** A dataset as the user named it; the engine detects the format by content. */
export interface DatasetSpec {
  /** File or folder. For IDX/.npy pairs, the images file (labels found by the usual naming) or a folder. */
  path: string;
  /** Explicit labels file (.npy / IDX) when it cannot be found by naming. */
  labelsPath?: string;
  /** Array names inside an .npz. */
  arrays?: { x?: string; y?: string };
  /** For a root holding train/ and test/: which one. */
  split?: 'train' | 'test';
  /** CIFAR-100: 'fine' (default) or 'coarse' labels. */
  labelKind?: 'fine' | 'coarse';
  /** Fail on the first corrupt image instead of skipping it (skips are counted in describe()). */
  strict?: boolean;
}

/** Preprocessing overrides; anything left out comes from collapse-lens.json, then settings, then defaults. */
export interface PreprocessingOptions {
  scale?: number;
  mean?: number[];
  std?: number[];
  channelOrder?: 'rgb' | 'bgr';
  resize?: boolean;
  /** Take float arrays as they are (default) or apply scale/mean/std to them too. */
  normalizeFloats?: boolean;
  /**
   * Where the model wants channels. Normally read from the model's input shape; needed only when that
   * shape cannot tell (e.g. [batch, 3, 3, 3] or fully dynamic dims).
   */
  layout?: 'nchw' | 'nhwc' | 'flat';
}
