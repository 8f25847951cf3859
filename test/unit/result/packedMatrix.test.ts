/**
 * The compact form of large K x K matrices (packedMatrix.ts): exact to the bit through a JSON file,
 * strict about damage (the validator names the file and the field), read by every reader the same as
 * the old nested rows, and used by the engine above PACK_ABOVE_CLASSES classes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { base64ToBytes, bytesToBase64, isPackedMatrix, matrixRows, packMatrix } from '../../../src/core/packedMatrix';
import { packResultMatrices } from '../../../src/core/packResultMatrices';
import { readResultFile } from '../../../src/core/readResultFile';
import { InvalidResultError, validateResult } from '../../../src/core/resultValidation';
import { compareResults } from '../../../src/core/compare';
import type { AnalysisResult, MatrixCells, PackedMatrix } from '../../../src/core/result';
import { seededRandom } from '../../../src/core/dataset/sampling';
import { syntheticResult } from '../helpers/syntheticResult';
import { largeResult, LARGE_K, symmetric } from '../helpers/largeResult';
import { withTempDir } from '../dataset/helpers/writers';

const K = LARGE_K;

function assertSameToTheBit(actual: MatrixCells, expected: MatrixCells, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: rows`);
  for (let i = 0; i < expected.length; i++) {
    assert.equal(actual[i]!.length, expected[i]!.length, `${what}: row ${i}`);
    for (let j = 0; j < expected.length; j++) {
      // Object.is tells -0 from 0 and null from NaN, which === and deepEqual would let through.
      if (!Object.is(actual[i]![j], expected[i]![j])) assert.fail(`${what}[${i}][${j}]: ${actual[i]![j]} !== ${expected[i]![j]}`);
    }
  }
}

const throughJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

test('base64: the codec matches Node for every tail length, and refuses what RFC 4648 does not allow', () => {
  const random = seededRandom(3);
  for (let length = 0; length < 40; length++) {
    const bytes = Uint8Array.from({ length }, () => Math.floor(random() * 256));
    const text = bytesToBase64(bytes);
    assert.equal(text, Buffer.from(bytes).toString('base64'), `encode ${length} bytes`);
    assert.deepEqual(base64ToBytes(text), bytes, `decode ${length} bytes`);
  }
  assert.throws(() => base64ToBytes('AAA'), /length 3 is not a multiple of 4/);
  assert.throws(() => base64ToBytes('AA AAAAA'), /character 2 \(" "\) is outside the base64 alphabet/);
  assert.throws(() => base64ToBytes('AA-_'), /character 2 \("-"\)/);
  assert.throws(() => base64ToBytes('A=AA'), /character 1 \("="\)/);
  assert.throws(() => base64ToBytes('AAAé'), /character 3 \("é"\)/);
});

test('a symmetric matrix packs to the upper triangle and comes back through JSON exact to the bit, nulls included', () => {
  for (const [name, diagonal] of [['CDNV (zero diagonal)', 0], ['cosines (unit diagonal)', 1], ['a zero-norm class (null diagonal)', null]] as const) {
    const rows = symmetric(K, diagonal);
    rows[3]![3] = null;
    const packed = throughJson(packMatrix(rows));
    assert.equal(packed.encoding, 'float64-upper-base64', name);
    assert.equal(packed.k, K);
    assert.equal(packed.data.length, (Math.ceil((8 * K * (K - 1)) / 2 / 3) * 4), `${name}: K(K-1)/2 float64`);
    assertSameToTheBit(matrixRows(packed), rows, name);
  }
});

test('a matrix that is not exactly symmetric is stored whole, never symmetrised', () => {
  const rows = symmetric(K, 0);
  rows[10]![20] = (rows[20]![10] as number) * (1 + Number.EPSILON);
  const packed = throughJson(packMatrix(rows));
  assert.equal(packed.encoding, 'float64-base64');
  assert.equal(packed.diagonal, undefined);
  assertSameToTheBit(matrixRows(packed), rows, 'asymmetric');
});

test('the engine packs every K x K matrix above PACK_ABOVE_CLASSES classes and leaves smaller results as rows', () => {
  const rows = largeResult();
  const packed = packResultMatrices(rows);
  for (const [i, layer] of packed.layers.entries()) {
    for (const split of ['train', 'test'] as const) {
      for (const field of ['cdnvMatrix', 'meanCosines'] as const) {
        const m = layer.metrics[split]![field]!;
        assert.ok(isPackedMatrix(m), `${layer.name} ${split} ${field}`);
        assertSameToTheBit(matrixRows(m), rows.layers[i]!.metrics[split]![field] as MatrixCells, `${layer.name} ${split} ${field}`);
      }
    }
  }
  assert.ok(packed.classifier?.cosines && isPackedMatrix(packed.classifier.cosines));
  // The scalar NC numbers stay JSON numbers, untouched.
  assert.deepEqual(packed.layers.map((l) => l.metrics.train.nc1), rows.layers.map((l) => l.metrics.train.nc1));

  const small = syntheticResult({ layers: [{ name: 'l0', nc1: 1, ncc: 1 }] });
  small.layers[0]!.metrics.train.cdnvMatrix = symmetric(10, 0);
  assert.ok(Array.isArray(packResultMatrices(small).layers[0]!.metrics.train.cdnvMatrix), 'K = 10 stays rows');
});

test('a packed result file reads back exact to the bit; an old file with rows still reads', async () => {
  await withTempDir('packed', async (dir) => {
    const rows = largeResult();
    const packedFile = join(dir, 'packed.json');
    writeFileSync(packedFile, JSON.stringify(packResultMatrices(rows), null, 2));
    const oldFile = join(dir, 'old.json');
    writeFileSync(oldFile, JSON.stringify(rows, null, 2));
    assert.ok(readFileSync(packedFile).length * 3 < readFileSync(oldFile).length, 'packed is the smaller file');
    const packed = await readResultFile(packedFile);
    const old = await readResultFile(oldFile);
    for (const [i, layer] of packed.layers.entries()) {
      // Exact against the numbers computed (the packed file even keeps -0, which JSON text writes as 0).
      assertSameToTheBit(matrixRows(layer.metrics.test!.meanCosines!), rows.layers[i]!.metrics.test!.meanCosines as MatrixCells, `${layer.name} test meanCosines`);
      const oldRows = matrixRows(old.layers[i]!.metrics.test!.meanCosines!);
      assert.ok(Array.isArray(old.layers[i]!.metrics.test!.meanCosines) && oldRows.every((row, r) => row.every((v, c) => v === matrixRows(layer.metrics.test!.meanCosines!)[r]![c])), `${layer.name}: the old rows read the same numbers`);
      assert.equal(layer.metrics.train.nc1, old.layers[i]!.metrics.train.nc1);
    }
    assertSameToTheBit(matrixRows(packed.classifier!.cosines!), rows.classifier!.cosines as MatrixCells, 'classifier cosines');
  });
});

type Loose = Record<string, any>;

/** The packed large result as read from disk, its train CDNV matrix of layer 0 changed by `fault`. */
function withPackedFault(fault: (m: Loose) => void): unknown {
  const r = throughJson(packResultMatrices(largeResult())) as Loose;
  fault(r.layers[0].metrics.train.cdnvMatrix);
  return r;
}

const FIELD = 'layers[0].metrics.train.cdnvMatrix';

test('a damaged packed matrix is refused, naming the file and the field', () => {
  const cases: [string, (m: Loose) => void, string][] = [
    ['data cut short', (m) => (m.data = m.data.slice(0, -8)), `${FIELD}.data holds ${8 * ((K * (K - 1)) / 2) - 6} bytes, expected ${8 * ((K * (K - 1)) / 2)} (${(K * (K - 1)) / 2} float64 for float64-upper-base64 of k = ${K})`],
    ['one cell too many', (m) => (m.data = bytesToBase64(new Uint8Array([...base64ToBytes(m.data), 0, 0, 0, 0, 0, 0, 0, 0]))), `${FIELD}.data holds`],
    ['a character outside base64', (m) => (m.data = `${m.data.slice(0, 100)}!${m.data.slice(101)}`), `${FIELD}.data is not base64: character 100 ("!") is outside the base64 alphabet`],
    ['a line break in the data', (m) => (m.data = `${m.data.slice(0, 76)}\n${m.data.slice(76, -1)}`), `${FIELD}.data is not base64: character 76 ("\\n")`],
    ['a length that is not base64', (m) => (m.data = m.data.slice(1)), `${FIELD}.data is not base64: its length`],
    [
      'an infinite cell',
      (m) => {
        const bytes = base64ToBytes(m.data);
        new DataView(bytes.buffer).setFloat64(8 * 5, -Infinity, true);
        m.data = bytesToBase64(bytes);
      },
      `${FIELD}.data cell 5 is -Infinity; results hold no Infinity`,
    ],
    ['k not classes.count', (m) => (m.k = K - 1), `${FIELD}.k is ${K - 1}, expected ${K} (classes.count)`],
    ['an unknown encoding', (m) => (m.encoding = 'float16-upper-base64'), `${FIELD}.encoding is the string "float16-upper-base64", expected one of float64-upper-base64, float64-base64`],
    ['no diagonal', (m) => delete m.diagonal, `${FIELD}.diagonal is missing`],
    ['a short diagonal', (m) => m.diagonal.pop(), `${FIELD}.diagonal has ${K - 1} entries, expected ${K} (classes.count)`],
    ['data not a string', (m) => (m.data = 12), `${FIELD}.data is 12, expected a string`],
    ['a diagonal beside the whole form', (m) => (m.encoding = 'float64-base64'), `${FIELD}.diagonal is present, but float64-base64 holds the diagonal in its data`],
  ];
  for (const [name, fault, message] of cases) {
    assert.throws(
      () => validateResult(withPackedFault(fault), 'run.json'),
      (e: unknown) => e instanceof InvalidResultError && e.message.startsWith(`run.json: not a valid Collapse Lens result: ${message}`),
      name,
    );
  }
  // A NaN cell is the null marker (an undefined pair), as null is in rows: accepted and read as null.
  const withNull = withPackedFault((m) => {
    const bytes = base64ToBytes(m.data);
    new DataView(bytes.buffer).setFloat64(0, NaN, true);
    m.data = bytesToBase64(bytes);
  }) as AnalysisResult;
  assert.equal(matrixRows(validateResult(withNull, 'run.json').layers[0]!.metrics.train.cdnvMatrix!)[0]![1], null);
});

test('a damaged packed classifier matrix is refused too', () => {
  const r = throughJson(packResultMatrices(largeResult())) as Loose;
  (r.classifier.cosines as PackedMatrix).data = 'AAAA';
  assert.throws(() => validateResult(r, 'run.json'), /run\.json: not a valid Collapse Lens result: classifier\.cosines\.data holds 3 bytes, expected/);
});

test('compare gives the same answer on two packed results as on the same results with rows', () => {
  const a = largeResult(1);
  const b = largeResult(2);
  b.layers[1]!.metrics.train.nc1 = 0.25;
  const strip = (c: ReturnType<typeof compareResults>) => ({ ...c, createdAt: '' });
  const packed = compareResults([throughJson(packResultMatrices(a)), throughJson(packResultMatrices(b))], ['a', 'b'], false);
  assert.deepEqual(strip(packed), strip(compareResults([a, b], ['a', 'b'], false)));
  assert.ok(packed.rows.length > 0);
});
