/**
 * A small deterministic sample of projected points per class for the 2-D view. Each sample gets a
 * pseudo-random key from its dataset index and each class keeps the points with the smallest keys, so
 * the choice depends neither on batch size, order nor sharding, and the same samples are drawn at every
 * layer.
 */

export interface ProjectedPoint {
  x: number;
  y: number;
  label: number;
}

/** Per class: the kept points' keys and coordinates. */
export interface KeptPoints {
  keys: number[][];
  xs: number[][];
  ys: number[][];
}

export class PointSample {
  private readonly keys: number[][];
  private readonly xs: number[][];
  private readonly ys: number[][];

  constructor(
    readonly numClasses: number,
    readonly perClass: number,
  ) {
    this.keys = Array.from({ length: numClasses }, () => []);
    this.xs = Array.from({ length: numClasses }, () => []);
    this.ys = Array.from({ length: numClasses }, () => []);
  }

  /** Cheap test callers use before computing a point's coordinates. */
  wants(label: number, key: number): boolean {
    const keys = this.keys[label];
    return keys.length < this.perClass || key < maxOf(keys);
  }

  offer(label: number, key: number, x: number, y: number): void {
    const keys = this.keys[label];
    if (keys.length < this.perClass) {
      keys.push(key);
      this.xs[label].push(x);
      this.ys[label].push(y);
      return;
    }
    let worst = 0;
    for (let j = 1; j < keys.length; j++) if (keys[j] > keys[worst]) worst = j;
    if (key >= keys[worst]) return;
    keys[worst] = key;
    this.xs[label][worst] = x;
    this.ys[label][worst] = y;
  }

  merge(other: PointSample): void {
    this.mergeKept(other.kept());
  }

  /** The points kept, per class, as plain arrays (what a shard file stores). */
  kept(): KeptPoints {
    return { keys: this.keys, xs: this.xs, ys: this.ys };
  }

  /** Offers another sample's kept points: the smallest keys win, whatever the order of the merges. */
  mergeKept(other: KeptPoints): void {
    for (let c = 0; c < this.numClasses; c++) {
      const keys = other.keys[c] ?? [];
      for (let j = 0; j < keys.length; j++) this.offer(c, keys[j], other.xs[c][j], other.ys[c][j]);
    }
  }

  /** Points ordered by class, then by key (a stable, run-independent order). */
  points(): ProjectedPoint[] {
    const out: ProjectedPoint[] = [];
    for (let c = 0; c < this.numClasses; c++) {
      const order = this.keys[c].map((_, j) => j).sort((p, q) => this.keys[c][p] - this.keys[c][q]);
      for (const j of order) out.push({ x: this.xs[c][j], y: this.ys[c][j], label: c });
    }
    return out;
  }
}

/** A bijective 32-bit mix (the finaliser of MurmurHash3) of a sample's dataset index. */
export function sampleKey(index: number): number {
  let h = index >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function maxOf(values: number[]): number {
  let m = -Infinity;
  for (const v of values) if (v > m) m = v;
  return m;
}
