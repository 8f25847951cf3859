/**
 * Neural-collapse metrics of one layer, in two streaming passes (see docs/metrics-implementation.md):
 *
 *   const train1 = new ClassStatsAccumulator(layer, K, D);   // pass 1, per batch: train1.add(h, y)
 *   const trainStats = train1.finish();
 *   const train2 = new ProjectionAccumulator(trainStats, trainStats, { classifier });
 *   // pass 2, per batch: train2.add(h, y, { logits })
 *   const metrics = train2.finish();              // SplitLayerMetrics
 *   const network = train2.finishNetwork();       // accuracy, NC4
 *   // held-out split: its own ClassStats, and the training ones as the reference
 *   const test2 = new ProjectionAccumulator(testStats, trainStats, { classifier });
 */
export { ClassStatsAccumulator } from './class-stats-accumulator';
export type { ClassStats, Nc2Numbers, PassOneTotals } from './class-stats';
export { buildClassStats } from './class-stats';
export { ProjectionAccumulator } from './projection-accumulator';
export type { ComputedSplitMetrics, LinearClassifier, NetworkMetrics, PassTwoBatchOptions, ProjectionOptions, ProjectionTotals } from './projection-accumulator';
export type { BatchOptions, FeatureRows } from './batch-input';
export { NonFiniteReduction } from './batch-input';
export type { KernelChoice } from './product-kernel';
export { classifierMetrics } from './classifier-metrics';
export type { ClassifierMetrics } from './classifier-metrics';
export { classifierGeometry, classifierWeightFields, biasSpread } from './classifier-geometry';
export type { ClassifierGeometry } from './classifier-geometry';
export { effectiveDepth } from './effective-depth';
export type { EffectiveDepth } from './effective-depth';
export { symmetricEigen } from './eigen';
export type { SymmetricEigen } from './eigen';
export { simplexGeometry } from './geometry';
export type { SimplexGeometry } from './geometry';
export { ABSOLUTE_SQUARED_TOLERANCE, EFFECTIVE_DEPTH_SLACK, RELATIVE_EIGEN_TOLERANCE } from './tolerances';
export { METRIC_CONVENTIONS } from './conventions';
