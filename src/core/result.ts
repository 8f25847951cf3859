/**
 * The result JSON (collapse-lens/result@1): the one format the CLI writes, the panels read and the
 * compare command takes. Every reader imports these types; keep names and meanings stable and bump
 * RESULT_SCHEMA when a meaning changes (see docs/result-schema.md).
 *
 * A metric that cannot be computed is `null`, with its reason in the sibling `unavailable` map, so a
 * reader never meets NaN.
 */

export const RESULT_SCHEMA = 'collapse-lens/result@1' as const;

export type CheckpointFormat = 'onnx' | 'tfjs-layers' | 'tfjs-graph' | 'features-npz';
export type SplitName = 'train' | 'test';

export interface CheckpointInfo {
  path: string;
  format: CheckpointFormat;
  sha256: string;
}

export interface DatasetSourceInfo {
  /** What the user pointed at (file or folder), as given. */
  source: string;
  /** Detected format: 'idx', 'npz', 'npy', 'cifar10', 'cifar100', 'image-folder', 'features-npz'. */
  format: string;
  /** Samples available in the source before subsampling. */
  available?: number;
  /** Content hash of the source description (paths, sizes, mtimes), used to refuse mismatched comparisons. */
  fingerprint?: string;
  /** Corrupt samples skipped (image folders); first few paths listed, each with the reason. */
  skipped?: { count: number; examples: string[] };
  /**
   * Held-out split only: how many of its samples used (`of`) have the same content (stored bytes) as a
   * training sample used; first few pairs listed. 0 means checked and none found.
   */
  overlap?: SplitOverlap;
  /** Image folders: the size and channels every image was brought to, and who decided them. */
  imageSize?: ImageSizeInfo;
  /** Image folders: images whose size differed from imageSize and were resized (bilinear) to it. */
  resized?: { count: number; examples: string[]; to: { width: number; height: number } };
  /** Image folders: images whose channels were converted (grey <-> RGB) or whose transparency was dropped. */
  converted?: { count: number; examples: string[]; to: 'grey' | 'rgb'; kinds: Partial<Record<ImageConversion, number>> };
  /**
   * Image folders read with the evaluation transform: resize the shorter side to resizeShorter (null:
   * no resize), then the centre centerCrop x centerCrop square; interpolation 'pil-bilinear' (Pillow's
   * antialiased bilinear, as torchvision's Resize on PIL images).
   */
  transform?: { resizeShorter: number | null; centerCrop: number; interpolation: 'pil-bilinear' };
  /** Image folders read with the transform: the decoder that ran ('sharp' or 'javascript'), its version, or why sharp did not. */
  decoder?: { name: 'sharp' | 'javascript'; version?: string; reason?: string };
  [extra: string]: unknown;
}

export interface SplitOverlap {
  /** Held-out samples whose content equals a training sample's. */
  samples: number;
  /** Held-out samples compared (those used). */
  of: number;
  /** A few pairs, "held-out <name> = train <name>". */
  examples: string[];
}

export type ImageConversion = 'grey-to-rgb' | 'rgb-to-grey' | 'alpha-dropped';

export interface ImageSizeInfo {
  width: number;
  height: number;
  channels: 1 | 3;
  /**
   * 'model-input': the model's fixed input; 'train-split': the training split's (a test split under a
   * model whose size is open); 'most-common': the most common size among the selected images' headers;
   * 'first-image': the first image's (a source read without a model); 'transform': the evaluation
   * transform's centre crop (a model whose size is open).
   */
  from: 'model-input' | 'train-split' | 'most-common' | 'first-image' | 'transform';
  /** With 'most-common': headers read, and how many had the chosen size. */
  headersRead?: number;
  ofSize?: number;
}

export interface PreprocessingInfo {
  scale?: number;
  mean?: number[];
  std?: number[];
  channelOrder?: 'rgb' | 'bgr';
  layout?: 'nchw' | 'nhwc' | 'flat';
  resize?: [number, number] | null;
  grayscale?: 'to-rgb' | 'from-rgb' | null;
  perClass?: number | null;
  seed?: number;
  /** Image folders: the evaluation transform (resize shorter side, centre crop) or null; its origin is origin.transform. */
  transform?: { resizeShorter: number | null; centerCrop: number } | null;
  /**
   * Where each setting came from: 'flag', 'collapse-lens.json' (the file is `configFile`),
   * 'vscode-settings', 'default', 'model-input' (the model's input shape decided), or for
   * normalizeFloats 'implied by mean/std' (an explicit scale/mean/std on float samples turned it on).
   */
  origin?: Record<string, string>;
  /** The collapse-lens.json that supplied the values whose origin is 'collapse-lens.json'. */
  configFile?: string;
  [extra: string]: unknown;
}

export interface SplitInfo {
  samples: number;
  /** The network's own top-1 accuracy on this split (null when there are no logits). */
  accuracy: number | null;
  /** Samples per class actually used. */
  classCounts?: number[];
}

/** A K x K matrix as K rows of K numbers, null where a cell is undefined. */
export type MatrixCells = (number | null)[][];

/**
 * A K x K matrix packed (src/core/packedMatrix.ts, docs/result-schema.md "Large matrices"): `data` is
 * base64 of little-endian float64, NaN standing for null. 'float64-upper-base64' (an exactly symmetric
 * matrix) stores the strict upper triangle row by row, K(K-1)/2 cells, and the K diagonal cells in
 * `diagonal`; 'float64-base64' stores all K x K cells row by row.
 */
export interface PackedMatrix {
  encoding: 'float64-upper-base64' | 'float64-base64';
  k: number;
  diagonal?: (number | null)[];
  data: string;
}

/**
 * Either form; read it with matrixRows (src/core/packedMatrix.ts). Results pack matrices of more than 64
 * classes; older results and smaller K hold the rows.
 */
export type SquareMatrix = MatrixCells | PackedMatrix;

/** Metrics of one layer on one split. */
export interface SplitLayerMetrics {
  nc1: number | null;
  /** Rank of Sigma_B used by the pseudo-inverse (<= K-1). */
  nc1Rank: number | null;
  /**
   * Set (true) when nc1Rank < K-1 and nc1 is a number: NC1 then only measures the spread inside the
   * nc1Rank-dimensional span of the class means and can be small while the classes overlap. Readers use
   * nc1RankDeficient (src/core/lowRankNc1.ts), which judges older results without the flag the same way.
   */
  nc1LowRank?: true;
  equinorm: number | null;
  equiangularity: number | null;
  maxAngle: number | null;
  etfDistance: number | null;
  /** Mean CDNV over pairs c != c'. */
  cdnv: number | null;
  /** NCC accuracy; on the held-out split it uses the TRAINING split's class means. */
  nccAccuracy: number | null;
  /** K x K, zero diagonal; null entries where a pair is undefined (coincident means). Packed above 64 classes (SquareMatrix). */
  cdnvMatrix: SquareMatrix | null;
  /** Var_c = (1/n_c) sum ||h - mu_c||^2 per class. */
  classVariability: (number | null)[] | null;
  /** K x K cosine of centred class means (for the detail view). Packed above 64 classes (SquareMatrix). */
  meanCosines: SquareMatrix | null;
  /** Norms ||mu_c - mu_G|| per class. */
  meanNorms: (number | null)[] | null;
  /**
   * Centred class means projected on their top two principal directions (K x 2), and a small sample
   * of points projected likewise, for the 2-D view.
   */
  projection?: { means: [number, number][]; points?: { x: number; y: number; label: number }[] } | null;
  /** Why a null metric is null, keyed by metric name. */
  unavailable?: Record<string, string>;
}

export interface LayerResult {
  /** ONNX tensor name, TF.js layer or node name, or the array name in a features .npz. */
  name: string;
  op: string;
  /** Per-sample shape (no batch dimension) of the features the metrics saw: after `reduction`. */
  shape: number[];
  dim: number;
  /** Probe order (0 = shallowest). */
  depth: number;
  /**
   * How the probed tensor became the feature vector: flatten (the whole tensor), gap (channel means of a
   * C x H x W map), cls (token 0 of T x D), mean (mean over the T tokens). Absent in results written
   * before reductions existed and for a features .npz read without --reduce (taken as stored): read as flatten.
   */
  reduction?: LayerReduction;
  /** The probed tensor's per-sample shape before the reduction; present when reduction is not flatten. */
  tensorShape?: number[];
  metrics: { train: SplitLayerMetrics; test?: SplitLayerMetrics };
}

export type LayerReduction = 'flatten' | 'gap' | 'cls' | 'mean';

export interface EtfNumbers {
  equinorm: number | null;
  equiangularity: number | null;
  maxAngle: number | null;
  etfDistance: number | null;
}

export interface ClassifierResult {
  /** The layer whose output feeds the classifier (penultimate features). */
  input: string;
  /** The logits tensor / layer. */
  output?: string;
  nc3: number | null;
  nc4: { train: number | null; test?: number | null };
  /** ETF numbers of the classifier rows w_c, centred by their mean (see docs/metrics-conventions). */
  weights: EtfNumbers;
  /** ||w_c - w_bar|| per class: the norms equinorm is the spread of (absent in results written before they were added). */
  rowNorms?: number[];
  /** Spread of the bias b over the classes; null when the classifier has no bias term. */
  bias?: BiasSpread | null;
  /** K x K cosines of the centred rows (1 on the diagonal; null where a centred row is zero). Packed above 64 classes. */
  cosines?: SquareMatrix;
  unavailable?: Record<string, string>;
}

/** Mean, population standard deviation (divided by K), smallest and largest of the K bias values. */
export interface BiasSpread {
  mean: number;
  std: number;
  min: number;
  max: number;
}

/** Where the per-batch reductions ran (runtime.reductionPath). */
export type ReductionPath = 'javascript-float64' | 'in-graph-float64';

export interface AnalysisResult {
  schema: typeof RESULT_SCHEMA;
  createdAt: string;
  tool: { name: 'collapse-lens'; version: string };
  checkpoint: CheckpointInfo;
  /** Execution provider / backend that ran: 'cpu', 'cuda', 'tfjs-wasm', 'tfjs-node', 'tfjs-cpu', 'none'. */
  provider: string;
  /**
   * `metricsKernel`: what reduced the features, 'webassembly-simd' or the slower 'javascript' fallback
   * (same numbers), with `metricsKernelNote` saying why the fallback ran.
   * `reductionPath`: where each batch's sums and products were computed: 'javascript-float64' (the features
   * fetched into JavaScript) or 'in-graph-float64' (nodes added to the ONNX graph, float64, merged in
   * JavaScript in float64); `reductionPathNote` names the probes left to JavaScript, or why the graph
   * path did not run when it was asked for. Absent in results written before it existed (JavaScript).
   */
  runtime?: {
    name: string;
    version: string;
    threads?: number;
    note?: string;
    metricsKernel?: 'webassembly-simd' | 'javascript';
    metricsKernelNote?: string;
    /** Image folders read with the evaluation transform: which decoder read the images (the training split's). */
    imageDecoder?: 'sharp' | 'javascript';
    /** The decoder's version (sharp and libvips), or why the JavaScript decoders ran. */
    imageDecoderNote?: string;
    reductionPath?: ReductionPath;
    reductionPathNote?: string;
    /**
     * Where pass 2 (projections) took the features from: 'replayed' (pass 1's runner outputs, kept in
     * memory, reduced again: one inference per split instead of two, the same float32 values), 'partly
     * replayed' (some splits), or 'inferred' (the model ran again). Absent on the in-graph path, in shards,
     * and in results written before it existed (inferred).
     */
    pass2?: 'replayed' | 'partly replayed' | 'inferred';
    /** Bytes of pass-1 outputs the replay held (all replayed splits together). */
    pass2CachedBytes?: number;
    /** Per split, why pass 2 ran the model again (the cache's budget, COLLAPSE_LENS_PASS2_CACHE_MB=0). */
    pass2Note?: string;
  };
  classes: { count: number; names: string[] };
  dataset: {
    train: DatasetSourceInfo;
    test?: DatasetSourceInfo;
    preprocessing: PreprocessingInfo;
  };
  splits: { train: SplitInfo; test?: SplitInfo };
  layers: LayerResult[];
  classifier: ClassifierResult | null;
  /** Why there is no classifier section, when there is none. */
  classifierUnavailable?: string;
  effectiveDepth: { epsilon: number; layer: string | null; depth: number | null };
  /** Conventions pinned by docs/metrics.md, stated so every reader can show them. */
  conventions: string[];
  timing: { totalSeconds: number; [stage: string]: number };
  /** `reduction`: the reduction request as given (`auto`, `gap`, `auto,<layer>=gap`, ...); each layer states its own. */
  settings?: { layers: string; perClass: number | null; batchSize: number; seed: number; epsilon: number; reduction?: string };
  warnings?: string[];
  /**
   * Present when the result was merged from shard files (analyze --shard, then merge; docs/shards.md):
   * the shards of pass 1 and of pass 2, and the checksum of the class-means file pass 2 ran against.
   */
  shards?: ShardRecord;
}

export interface ShardRecord {
  passOne: number;
  passTwo: number;
  /** sha256 of the means file's body. */
  means: string;
}
