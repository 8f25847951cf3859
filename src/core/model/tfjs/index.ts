/** The TF.js side of the core: sniff a model.json, read its graph, probes and classifier (no runtime). */
export { sniffTfjsModelJson, type TfjsModelKind, type TfjsSniffResult } from './sniff';
export { isTfjsModelGraph, loadTfjsModelGraph, readModelJson, type TfjsModelGraph } from './loadGraph';
// Probe selection is format-independent: one implementation (and one set of messages) for ONNX and TF.js.
export { resolveProbes, closeLayerNames } from '../onnx/probes';
export { TfjsModelError } from './errors';
export type { TfjsLayersGraph } from './layersGraph';
export { PRE_ACTIVATION_SUFFIX } from './layersGraph';
export type { TfjsGraphModelGraph } from './graphModelGraph';
export type { FlatLayerNode, FlatRef, KerasFlatGraph } from './kerasTopology';
export type { ResolvedWeightGroup, ResolvedShard } from './weightShards';
export { readAllShards } from './weightShards';
export type { TfjsWeightGroup, TfjsWeightSpec } from './weightsManifest';
export { findNonFiniteTfjsWeights } from './finiteWeights';
