export { loadOnnxGraph, decodeOnnxModel } from './load';
export { resolveProbes, closeLayerNames } from './probes';
export { isOnnxModel } from './types';
export type { OnnxModel } from './types';
