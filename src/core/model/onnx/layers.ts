import type { LayerInfo } from '../types';
import type { OnnxGraphIndex } from './graphIndex';
import { FLOAT_TYPES } from './proto';

/**
 * Per-sample shape: the declared shape without its batch dimension, dynamic dims as null. A tensor with
 * no declared shape gets [null] ("unknown"); the engine fills it by running one sample
 * (src/engine/backends/onnxShapes.ts).
 */
function perSampleShape(shape: (number | string | null)[] | undefined): (number | null)[] {
  if (!shape) return [null];
  return shape.slice(1).map((d) => (typeof d === 'number' ? d : null));
}

/**
 * Every float tensor computed from the model input, in topological order: what `all` probes and what
 * `collapse-lens layers` lists. Scalars (rank 0 declared) are left out: they have no per-sample value.
 */
export function listOnnxLayers(index: OnnxGraphIndex, auto: Set<string>): LayerInfo[] {
  const layers: LayerInfo[] = [];
  for (const node of index.nodes) {
    for (const name of node.output ?? []) {
      if (!name || !index.sampleDependent.has(name)) continue;
      const type = index.elemType.get(name);
      if (type === undefined || !FLOAT_TYPES.has(type)) continue;
      const declared = index.shapes.get(name);
      if (declared && declared.length === 0) continue;
      layers.push({ name, op: node.opType ?? '', shape: perSampleShape(declared), index: layers.length, auto: auto.has(name) });
    }
  }
  return layers;
}
