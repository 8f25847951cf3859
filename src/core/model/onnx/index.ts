/**
 * ONNX checkpoints, graph side (no runtime): `loadOnnxGraph(path)` reads the model (external data
 * inlined), its single input, every float intermediate tensor in topological order with the auto probes
 * marked, and the classifier (W, b) or the reason there is none. Shapes of tensors the exporter did not
 * declare are [null]; src/engine/backends/onnxShapes.ts fills them by running one sample. Running the
 * model: src/engine/backends (createRunner / createOnnxRunner).
 */
export { loadOnnxGraph, decodeOnnxModel } from './load';
export { resolveProbes, closeLayerNames } from './probes';
export { isOnnxModel } from './types';
export type { OnnxModel } from './types';
export { findNonFiniteInitializers } from './finiteWeights';
