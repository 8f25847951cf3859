/**
 * Joins typed arrays end to end: a fixed-batch model's output pieces, a split's label files, blocks of
 * rows. A single piece is returned as it is, without a copy.
 */
type NumericArray = Float32Array | Float64Array | Int32Array;

export function concatArrays<T extends NumericArray>(pieces: readonly T[], allocate: (length: number) => T): T {
  if (pieces.length === 1) return pieces[0]!;
  const joined = allocate(pieces.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of pieces) {
    joined.set(p, at);
    at += p.length;
  }
  return joined;
}

export const concatFloat32 = (pieces: readonly Float32Array[]): Float32Array => concatArrays(pieces, (n) => new Float32Array(n));
