import type { ImageTransform } from './images/imageTransform';

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
  /** A sample's name for messages (an image's path in its folder); sources without one are named by index. */
  sampleName?(index: number): string;
  /** Extra facts for the result JSON (files used, skipped samples). Call it again after reading: image folders count what they skipped, resized and converted as they read. */
  describe(): Record<string, unknown>;
  /**
   * Image folders only: the size and channels every image is brought to, set before the first read (the
   * sample shape changes to it). Without this call an image folder keeps its first image's shape.
   */
  conformImages?(request: ImageShapeRequest): Promise<void>;
  /**
   * Checks what the reads so far could not: the whole file's integrity where it carries a checksum (an
   * .npz member's CRC-32 and size), reading only what they skipped. Rejects naming the file when corrupt.
   */
  verify?(): Promise<void>;
  close(): Promise<void>;
}

/** What an image folder's images are brought to (see DatasetSource.conformImages). */
export interface ImageShapeRequest {
  /** Fixed height and width, or null where the model's input leaves them open (the images' most common size then decides). */
  height: number | null;
  width: number | null;
  /** The model's channel count, or null to take the images' most common one. */
  channels: 1 | 3 | null;
  /** Who fixed height and width when they are given: the model's input, or the training split (a dynamic model's test split). */
  fixedBy: 'model-input' | 'train-split';
  /** False (preprocessing resize: false): an image of another size fails the read instead of being resized. */
  resize: boolean;
  /** The samples whose headers decide what is left open: the split's selection. */
  indices: Int32Array;
  /**
   * The evaluation transform (resize the shorter side, centre-crop), applied to every image as it is
   * decoded; the crop then is the size every image is brought to. Null or absent: none.
   */
  transform?: ImageTransform | null;
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
  /**
   * Image folders: 'auto' (default) decodes with sharp where it loads, else with the JavaScript
   * decoders; 'javascript' always uses the JavaScript decoders. The result says which ran.
   */
  imageDecoder?: 'auto' | 'javascript';
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
  /**
   * Image folders: torchvision's Resize(resizeShorter) + CenterCrop(centerCrop), see
   * images/imageTransform.ts. null: none (the default).
   */
  transform?: { resizeShorter?: number | null; centerCrop: number } | null;
}
