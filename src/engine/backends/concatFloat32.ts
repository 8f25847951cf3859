/**
 * Joins the outputs of a batch run in pieces (a model exported with a fixed batch size) into one array
 * per tensor; a single piece is returned as is, without a copy.
 */
export function concatFloat32(pieces: readonly Float32Array[]): Float32Array {
  if (pieces.length === 1) return pieces[0];
  const joined = new Float32Array(pieces.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of pieces) {
    joined.set(p, at);
    at += p.length;
  }
  return joined;
}
