import { halfToFloat } from '../../float16';
import { scanWeightValues, type NonFiniteWeight } from '../nonFiniteWeights';
import { elementCount, weightByteSize } from './weightsManifest';
import { readGroupBytes, type ResolvedWeightGroup } from './weightShards';

/**
 * The weights of a TF.js model holding NaN, read one weight at a time from the shards (memory: the
 * largest weight). `refuseInfinite`: infinite values count too (a layers model's weights are all learned
 * variables; a graph model's may be constants such as a -inf mask, where only NaN is refused).
 */
export function findNonFiniteTfjsWeights(groups: ResolvedWeightGroup[], modelJsonFile: string, refuseInfinite: boolean): NonFiniteWeight[] {
  const found: NonFiniteWeight[] = [];
  const seen = new Set<string>();
  for (const group of groups) {
    let offset = 0;
    for (const spec of group.weights) {
      const length = weightByteSize(spec, modelJsonFile);
      const at = offset;
      offset += length;
      if (seen.has(spec.name)) continue;
      seen.add(spec.name);
      const q = spec.quantization;
      // Integer-quantized values are stored * scale + min: finite exactly when scale and min are.
      if (q && q.dtype !== 'float16') {
        const bad = scanWeightValues(spec.name, 2, (i) => (i === 0 ? (q.scale ?? 1) : (q.min ?? 0)));
        if (bad) found.push({ ...bad, total: elementCount(spec.shape), first: 0 });
        continue;
      }
      if (!q && spec.dtype !== 'float32') continue;
      const bytes = readGroupBytes(group, at, length);
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const n = elementCount(spec.shape);
      const bad = q ? scanWeightValues(spec.name, n, (i) => halfToFloat(view.getUint16(2 * i, true))) : scanWeightValues(spec.name, n, (i) => view.getFloat32(4 * i, true));
      if (bad && (bad.nan > 0 || refuseInfinite)) found.push(bad);
    }
  }
  return found;
}
