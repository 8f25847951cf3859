// A K x K matrix of a result JSON as rows, in either form docs/result-schema.md allows: nested arrays, or
// packed above 64 classes ("Large matrices"). Written from the documented format with Node's Buffer, apart
// from the product's decoder (src/core/packedMatrix.ts), so the e2e checks the panel against the spec.
export function resultMatrix(m, k) {
  if (m === null || Array.isArray(m)) return m;
  if (m.k !== k) throw new Error(`packed matrix of k = ${m.k}, expected ${k}`);
  const bytes = Buffer.from(m.data, 'base64');
  const values = Array.from({ length: bytes.length / 8 }, (_, n) => bytes.readDoubleLE(8 * n)).map((v) => (Number.isNaN(v) ? null : v));
  if (m.encoding === 'float64-base64') return Array.from({ length: k }, (_, i) => values.slice(i * k, (i + 1) * k));
  if (m.encoding !== 'float64-upper-base64') throw new Error(`unknown matrix encoding ${m.encoding}`);
  if (values.length !== (k * (k - 1)) / 2) throw new Error(`${values.length} cells for the upper triangle of ${k}`);
  const rows = Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => (i === j ? m.diagonal[i] : null)));
  let n = 0;
  for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) rows[i][j] = rows[j][i] = values[n++];
  return rows;
}
