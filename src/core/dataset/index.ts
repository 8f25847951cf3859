/** The dataset side of the core: readers detected by content, preprocessing, sampling and streaming. */
export type { DatasetSource, DatasetSpec, PreprocessingOptions, RawBatch } from './types';
export { openDataset, listSplits } from './open';
export type { SplitName } from './folderPlan';
export { sniffFile, type SniffedFile } from './sniff';
export { checkLabels, checkSplitsAgree, type SplitDescription } from './labels';
export { refuseIdenticalSplits, SampleDigests, overlapWarning } from './splitOverlap';
export { selectIndices, seededRandom } from './sampling';
export { streamBatches, type StreamedBatch, type StreamOptions, type BatchPreprocessor } from './stream';
export { buildPreprocessor, DEFAULT_SCALE, type Preprocessor, type PreprocessorOptions, type PreprocessSource } from './preprocess/build';
export { readModelInput, formatShape, type ModelInputGeometry } from './preprocess/modelInput';
export { bilinearAxis, resizeUint8 } from './preprocess/bilinear';
export { loadDatasetConfig, readDatasetConfig, configSearchPath, CONFIG_FILE_NAME, type LoadedDatasetConfig } from './config/load';
export { resolvePreprocessing, PREPROCESSING_DEFAULTS, type ResolvedPreprocessing, type SettingOrigin } from './config/resolve';
export { validateDatasetConfig, validateSettings, type DatasetConfig, type DatasetEntry, type DatasetRef, type PreprocessingSettings } from './config/schema';
export { describeWorkspaceDatasets, type WorkspaceDataset } from './config/workspace';
export { decodeImage } from './images/decodeImage';
export type { DecodedImage } from './images/decodedImage';
export * as numpy from './numpy';
