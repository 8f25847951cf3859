import type { AnalysisResult, SplitLayerMetrics } from './result';
import { packIfLarge } from './packedMatrix';

/**
 * The result with its K x K matrices packed when K is large (packedMatrix.ts): done once, where the
 * engine assembles a result, so the file the CLI writes, the run the store keeps and the message a panel
 * receives all carry the compact form. The scalar metrics stay JSON numbers.
 */
export function packResultMatrices(result: AnalysisResult): AnalysisResult {
  const pack = (m: SplitLayerMetrics): SplitLayerMetrics => ({
    ...m,
    cdnvMatrix: m.cdnvMatrix && packIfLarge(m.cdnvMatrix),
    meanCosines: m.meanCosines && packIfLarge(m.meanCosines),
  });
  return {
    ...result,
    layers: result.layers.map((layer) => ({
      ...layer,
      metrics: layer.metrics.test ? { train: pack(layer.metrics.train), test: pack(layer.metrics.test) } : { train: pack(layer.metrics.train) },
    })),
    classifier: result.classifier?.cosines ? { ...result.classifier, cosines: packIfLarge(result.classifier.cosines) } : result.classifier,
  };
}
