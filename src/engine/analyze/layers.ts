import type { LayerInfo } from '../../core/model/types';
import { loadModelGraph } from './loadModel';

export interface LayersDescription {
  format: string;
  layers: LayerInfo[];
  /** "<input layer> -> <logits> (<how it was found>)", or null. */
  classifier: string | null;
  classifierUnavailable?: string;
}

/** What `collapse-lens layers` prints and the analyze flow offers to pick from. */
export async function describeLayers(checkpoint: string): Promise<LayersDescription> {
  const graph = await loadModelGraph(checkpoint);
  const c = graph.classifier;
  return {
    format: graph.format,
    layers: graph.layers,
    classifier: c ? `${c.inputLayer} -> ${c.logitsLayer} (${c.description}; ${c.numClasses} classes x ${c.dim} features)` : null,
    ...(graph.classifierUnavailable ? { classifierUnavailable: graph.classifierUnavailable } : {}),
  };
}
