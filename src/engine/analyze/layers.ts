import type { LayerInfo } from '../../core/model/types';
import { autoReduction } from '../../core/model/reduction';
import { loadModelGraph } from './loadModel';

export interface LayersDescription {
  format: string;
  /** Every layer with its resolved shape and, where the shape is known, the reduction `auto` gives it. */
  layers: LayerInfo[];
  /** "<input layer> -> <logits> (<how it was found>)", or null. */
  classifier: string | null;
  classifierUnavailable?: string;
  /** Set for a transformer: whether a class token was found (token tensors then default to cls, else mean). */
  tokens?: { classToken: boolean };
}

/** What `collapse-lens layers` prints and the analyze flow offers to pick from. */
export async function describeLayers(checkpoint: string): Promise<LayersDescription> {
  const graph = await loadModelGraph(checkpoint);
  const c = graph.classifier;
  const layers = graph.layers.map((l): LayerInfo => {
    if (l.shape.some((d) => d === null)) return l;
    return { ...l, reduction: autoReduction(l.shape as number[], graph.tokens) };
  });
  return {
    format: graph.format,
    layers,
    classifier: c ? `${c.inputLayer} -> ${c.logitsLayer} (${c.description}; ${c.numClasses} classes x ${c.dim} features)` : null,
    ...(graph.classifierUnavailable ? { classifierUnavailable: graph.classifierUnavailable } : {}),
    ...(graph.tokens ? { tokens: graph.tokens } : {}),
  };
}
