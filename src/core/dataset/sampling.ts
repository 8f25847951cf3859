/**
 * Deterministic generator (mulberry32): the same seed picks the same samples on every machine and Node
 * version, which Math.random cannot promise.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A balanced subsample: up to `perClass` samples of each class, drawn uniformly without replacement with a
 * seeded generator, returned sorted by index so reads go forward through the files. `perClass` null keeps
 * every sample. A class with fewer samples than perClass gives all it has.
 */
export function selectIndices(labels: Int32Array, numClasses: number, perClass: number | null, seed: number): Int32Array {
  if (perClass === null) return Int32Array.from({ length: labels.length }, (_, i) => i);
  if (!Number.isInteger(perClass) || perClass < 1) throw new Error(`perClass must be a positive integer or null, got ${perClass}`);
  const byClass: number[][] = Array.from({ length: numClasses }, () => []);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    if (label < 0 || label >= numClasses) throw new Error(`label ${label} at sample ${i} is outside 0..${numClasses - 1}`);
    byClass[label]!.push(i);
  }
  const random = seededRandom(seed);
  const chosen: number[] = [];
  for (const members of byClass) {
    const take = Math.min(perClass, members.length);
    // Partial Fisher-Yates: the first `take` slots end up a uniform sample.
    for (let k = 0; k < take; k++) {
      const j = k + Math.floor(random() * (members.length - k));
      const t = members[k]!;
      members[k] = members[j]!;
      members[j] = t;
      chosen.push(members[k]!);
    }
  }
  return Int32Array.from(chosen).sort();
}
