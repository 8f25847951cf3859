import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { openNpy, openNpz, parseNpyHeader } from '../../../src/core/dataset/numpy';
import { parsePyLiteral } from '../../../src/core/dataset/numpy/pyLiteral';
import { npyBytes, toFortranOrder, withTempDir, writeNpz, zipBytes, writeBytes } from './helpers/writers';

const FIXTURES = join(__dirname, '../../fixtures/datasets/numpy');

function headerBytes(text: string, version = 1): Uint8Array {
  const lengthBytes = version === 1 ? [text.length & 0xff, text.length >> 8] : [text.length & 0xff, (text.length >> 8) & 0xff, 0, 0];
  return new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0, ...lengthBytes, ...Buffer.from(text, 'latin1')]);
}

test('the Python literal parser reads the header forms NumPy has written', () => {
  assert.deepEqual(parsePyLiteral("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }"), {
    descr: '<f4',
    fortran_order: false,
    shape: [3, 4],
  });
  assert.deepEqual(parsePyLiteral("{'shape': (7,), 'x': ()}"), { shape: [7], x: [] });
  assert.deepEqual(parsePyLiteral("{'shape': (3L, 4L)}"), { shape: [3, 4] });
  assert.throws(() => parsePyLiteral("{'a': __import__('os')}"), /unexpected token/);
});

test('parseNpyHeader reads version 1 and 2 headers and rejects what it cannot read', () => {
  const text1 = "{'descr': '|u1', 'fortran_order': False, 'shape': (10, 28, 28), }\n";
  const v1 = parseNpyHeader(headerBytes(text1), 'a.npy');
  assert.equal(v1.dtype, 'uint8');
  assert.deepEqual(v1.shape, [10, 28, 28]);
  assert.equal(v1.dataBytes, 7840);
  assert.equal(v1.dataOffset, 10 + text1.length);
  const text2 = "{'descr': '>i8', 'fortran_order': True, 'shape': (), }";
  const v2 = parseNpyHeader(headerBytes(text2, 2), 'b.npy');
  assert.deepEqual([v2.dtype, v2.littleEndian, v2.fortranOrder, v2.shape, v2.dataOffset], ['int64', false, true, [], 12 + text2.length]);
  assert.throws(() => parseNpyHeader(headerBytes("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }"), 's.npy'), /s\.npy: structured/);
  assert.throws(() => parseNpyHeader(headerBytes("{'descr': '<U3', 'fortran_order': False, 'shape': (2,), }"), 'u.npy'), /u\.npy: dtype '<U3' is not supported/);
  assert.throws(() => parseNpyHeader(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]), 'x.npy'), /x\.npy: not a \.npy/);
  assert.throws(() => parseNpyHeader(headerBytes("{'descr': '<f4'").subarray(0, 20), 't.npy'), /t\.npy: truncated/);
});

// Values the Python generator wrote (make_fixtures.py): x = arange(96).reshape(6,4,4), y = [0,1,2,0,1,2],
// feats = arange(18).reshape(6,3)/4 - 1.
const feat = (row: number, col: number): number => (row * 3 + col) / 4 - 1;

for (const [file, compressed] of [
  ['stored.npz', false],
  ['compressed.npz', true],
] as const) {
  test(`openNpz lists and reads NumPy's own ${file}`, async () => {
    const npz = await openNpz(join(FIXTURES, file));
    try {
      const byName = Object.fromEntries(npz.members.map((m) => [m.name, m]));
      assert.deepEqual(byName.x && [byName.x.dtype, byName.x.shape, byName.x.compressed], ['uint8', [6, 4, 4], compressed]);
      assert.deepEqual(byName.y && [byName.y.dtype, byName.y.shape], ['int64', [6]]);
      assert.deepEqual(byName.feats && [byName.feats.dtype, byName.feats.shape], ['float32', [6, 3]]);
      const rows = await npz.readRows('x', 2, 4);
      assert.deepEqual(rows.shape, [2, 4, 4]);
      assert.deepEqual(Array.from(rows.data as Uint8Array), Array.from({ length: 32 }, (_, i) => 32 + i));
      const y = await npz.read('y');
      assert.ok(y.data instanceof BigInt64Array);
      assert.deepEqual(Array.from(y.data as BigInt64Array, Number), [0, 1, 2, 0, 1, 2]);
      const feats = await npz.readRows('feats', 4, 6);
      assert.deepEqual(Array.from(feats.data as Float32Array), [feat(4, 0), feat(4, 1), feat(4, 2), feat(5, 0), feat(5, 1), feat(5, 2)]);
      // Going back to an earlier row range works for both kinds of member.
      const first = await npz.readRows('feats', 0, 1);
      assert.deepEqual(Array.from(first.data as Float32Array), [feat(0, 0), feat(0, 1), feat(0, 2)]);
      if (compressed) {
        const f64 = await npz.read('feats64');
        assert.ok(f64.data instanceof Float64Array);
        assert.equal((f64.data as Float64Array)[17], feat(5, 2));
      }
      assert.throws(() => npz.array('nope'), /compressed\.npz|stored\.npz/);
      assert.throws(() => npz.array('nope'), /no array named 'nope' \(it has: x, y, feats/);
    } finally {
      await npz.close();
    }
  });
}

test("NumPy's own Fortran-order .npy reads in C order", async () => {
  const npy = await openNpy(join(FIXTURES, 'fortran.npy'));
  try {
    assert.equal(npy.header.fortranOrder, true);
    // np.asfortranarray(np.arange(12).reshape(3, 4)): row 1 is [4, 5, 6, 7] whatever the storage order.
    assert.deepEqual(Array.from((await npy.array.readRows(1, 2)).data as Float32Array), [4, 5, 6, 7]);
    assert.deepEqual(Array.from((await npy.array.readAll()).data as Float32Array), Array.from({ length: 12 }, (_, i) => i));
  } finally {
    await npy.close();
  }
});

for (const compressed of [false, true]) {
  test(`Fortran-order members of every rank read as C order (${compressed ? 'deflated' : 'stored'})`, async () => {
    await withTempDir('npz-fortran', async (dir) => {
      const cases = {
        vector: { data: Float64Array.from({ length: 7 }, (_, i) => i * 1.5), shape: [7] },
        matrix: { data: Float32Array.from({ length: 5 * 3 }, (_, i) => i), shape: [5, 3] },
        images: { data: Uint8Array.from({ length: 4 * 3 * 2 }, (_, i) => i * 3), shape: [4, 3, 2] },
        volumes: { data: Int32Array.from({ length: 3 * 2 * 4 * 5 }, (_, i) => i - 60), shape: [3, 2, 4, 5] },
        column: { data: Int16Array.from({ length: 6 }, (_, i) => i), shape: [6, 1] },
      };
      const path = writeNpz(join(dir, 'f.npz'), Object.fromEntries(Object.entries(cases).map(([k, a]) => [k, { ...a, fortran: true }])), compressed);
      const npz = await openNpz(path);
      try {
        for (const [name, a] of Object.entries(cases)) {
          assert.equal(npz.members.find((m) => m.name === name)?.fortranOrder, true);
          const all = await npz.read(name);
          assert.deepEqual(all.shape, a.shape);
          assert.deepEqual(Array.from(all.data as ArrayLike<number>), Array.from(a.data), `${name}, whole`);
          // A middle block of rows, then an earlier one.
          const perRow = a.data.length / a.shape[0]!;
          for (const [start, end] of [[1, 3], [0, 1]] as const) {
            const rows = await npz.readRows(name, start, end);
            assert.deepEqual(Array.from(rows.data as ArrayLike<number>), Array.from(a.data.subarray(start * perRow, end * perRow)), `${name}, rows ${start}..${end}`);
          }
        }
      } finally {
        await npz.close();
      }
    });
  });
}

test('a Fortran array too large to hold in memory is read column by column, with the same rows', async () => {
  const { FortranRowStore } = await import('../../../src/core/dataset/numpy/fortranRows');
  const { BufferReader } = await import('../../../src/core/dataset/byteReader');
  const shape = [6, 2, 3];
  const values = Float32Array.from({ length: 36 }, (_, i) => i / 4);
  const stored = toFortranOrder(values, shape);
  const bytes = new Uint8Array(stored.buffer);
  const reads: number[] = [];
  const reader = new BufferReader(bytes);
  const counting = { length: reader.length, read: (offset: number, length: number) => (reads.push(length), reader.read(offset, length)) };
  const store = new FortranRowStore(counting, 0, 6, [2, 3], 4, 0);
  const got = new Float32Array((await store.readRows(2, 3)).buffer);
  assert.deepEqual(Array.from(got), Array.from(values.subarray(12, 30)));
  // One read per item of a row (6), each the 3 rows' run of that item: never the whole array.
  assert.deepEqual(reads, [12, 12, 12, 12, 12, 12]);
});

test('big-endian and float16 arrays decode to host-order floats', async () => {
  const big = await openNpy(join(FIXTURES, 'bigendian.npy'));
  assert.deepEqual(Array.from((await big.array.readAll()).data as Float32Array), [0, 0.5, 1, 1.5, 2, 2.5]);
  await big.close();
  const half = await openNpy(join(FIXTURES, 'half.npy'));
  const values = Array.from((await half.array.readAll()).data as Float32Array);
  await half.close();
  assert.deepEqual(values.slice(0, 3), [0.5, -2, 65504]);
  // 1e-4 in float16 is 0x068E = 2^-14 * (654/1024) + ... ; NumPy stores 0.00010001659393310547.
  assert.ok(Math.abs(values[3]! - 0.00010001659393310547) < 1e-12);
});

test('truncated .npy and .npz files are errors that name the file', async () => {
  await withTempDir('npy-trunc', async (dir) => {
    const full = npyBytes(new Float32Array(12), [3, 4]);
    const cut = writeBytes(join(dir, 'cut.npy'), full.subarray(0, full.length - 5));
    await assert.rejects(openNpy(cut), /cut\.npy: truncated: shape \[3, 4\] of float32 needs 176 bytes, the file has 171/);

    const archive = readFileSync(join(FIXTURES, 'stored.npz'));
    const cutZip = writeBytes(join(dir, 'cut.npz'), new Uint8Array(archive.subarray(0, archive.length - 40)));
    await assert.rejects(openNpz(cutZip), /cut\.npz: not a complete zip/);

    // A member whose header promises more rows than it holds.
    const whole = npyBytes(new Uint8Array(16), [4, 4]);
    const liar = whole.subarray(0, whole.length - 8);
    const lying = writeBytes(join(dir, 'liar.npz'), zipBytes({ 'x.npy': liar }, false));
    const expected = new RegExp(`liar\\.npz:x\\.npy: truncated: shape \\[4, 4\\] of uint8 needs ${whole.length} bytes, the member holds ${liar.length}`);
    await assert.rejects(openNpz(lying), expected);
  });
});

test('a corrupt deflated member fails its read with the file named', async () => {
  await withTempDir('npz-corrupt', async (dir) => {
    const values = Float32Array.from({ length: 4000 }, (_, i) => Math.sin(i));
    const path = writeNpz(join(dir, 'bad.npz'), { x: { data: values, shape: [1000, 4] } }, true);
    const bytes = readFileSync(path);
    // Damage the middle of the compressed stream (after the header, before the central directory).
    for (let i = 400; i < 460; i++) bytes[i] = bytes[i]! ^ 0x5a;
    writeFileSync(path, bytes);
    const npz = await openNpz(path);
    try {
      await assert.rejects(npz.read('x'), /bad\.npz: .*member '?x\.npy'?.*(cannot inflate|inflates to only|CRC-32|more than its declared)/);
    } finally {
      await npz.close();
    }
  });
});

test('a deflated member that inflates cleanly to wrong bytes fails the CRC check', async () => {
  await withTempDir('npz-crc', async (dir) => {
    const path = writeNpz(join(dir, 'crc.npz'), { x: { data: new Uint8Array(64).fill(7), shape: [8, 8] } }, true);
    const bytes = readFileSync(path);
    // The CRC-32 field of the central directory entry (directory offset from the end record, +16).
    const directory = bytes.readUInt32LE(bytes.length - 6);
    bytes.writeUInt32LE((bytes.readUInt32LE(directory + 16) ^ 1) >>> 0, directory + 16);
    writeFileSync(path, bytes);
    const npz = await openNpz(path);
    try {
      await assert.rejects(npz.read('x'), /crc\.npz: member 'x\.npy' is corrupt \(CRC-32 mismatch\)/);
    } finally {
      await npz.close();
    }
  });
});

/** Where the one member of a zip built by zipBytes starts its (possibly compressed) data: after its 30-byte local header and name. */
const ONLY_MEMBER_DATA = 30 + 'x.npy'.length;

test('a flipped byte that makes a deflated member inflate past its declared size is refused', async () => {
  await withTempDir('npz-overshoot', async (dir) => {
    const values = Float32Array.from({ length: 4000 }, (_, i) => Math.sin(i));
    const member = npyBytes(values, [1000, 4]);
    const zip = zipBytes({ 'x.npy': member }, true);
    const stream = zip.subarray(ONLY_MEMBER_DATA, zip.length - 22 - 46 - 'x.npy'.length);
    // Find a single-byte flip (past the .npy header) that still inflates, to more bytes than the member
    // holds: damage of this kind passed unnoticed before, as the CRC was only checked at the exact size.
    let flipped: Uint8Array | null = null;
    const headerLength = npyBytes(new Float32Array(0), [1000, 4]).length;
    for (let i = stream.length >> 1; i < stream.length && !flipped; i++) {
      const damaged = new Uint8Array(stream);
      damaged[i] = damaged[i]! ^ 0x10;
      try {
        const inflated = inflateRawSync(damaged);
        const headerIntact = Buffer.compare(inflated.subarray(0, headerLength), Buffer.from(member.subarray(0, headerLength))) === 0;
        if (headerIntact && inflated.length > member.length) flipped = damaged;
      } catch {
        // this flip breaks the stream outright; look further
      }
    }
    assert.ok(flipped, 'some single-byte flip makes the stream inflate to more bytes');
    const bytes = new Uint8Array(zip);
    bytes.set(flipped, ONLY_MEMBER_DATA);
    const path = writeBytes(join(dir, 'long.npz'), bytes);
    const npz = await openNpz(path);
    try {
      const expected = new RegExp(`long\\.npz: member 'x\\.npy' is corrupt \\(inflates to more than its declared ${member.length} bytes\\)`);
      await assert.rejects(npz.read('x'), expected);
    } finally {
      await npz.close();
    }
  });
});

test('a stored member is CRC-checked too, also when its rows are read with gaps', async () => {
  await withTempDir('npz-stored-crc', async (dir) => {
    const values = Float32Array.from({ length: 40 }, (_, i) => i / 8);
    const bytes = zipBytes({ 'x.npy': npyBytes(values, [10, 4]) }, false);
    // One bit of row 3 flipped: the file still parses and every value is finite.
    const header = npyBytes(new Float32Array(0), [10, 4]).length;
    bytes[ONLY_MEMBER_DATA + header + 3 * 16 + 1] ^= 0x01;
    const path = writeBytes(join(dir, 'stored.npz'), bytes);
    const whole = await openNpz(path);
    try {
      await assert.rejects(whole.read('x'), /stored\.npz: member 'x\.npy' is corrupt \(CRC-32 mismatch\)/);
      // Once found corrupt, the member stays refused.
      await assert.rejects(whole.readRows('x', 0, 1), /CRC-32 mismatch/);
    } finally {
      await whole.close();
    }
    const sparse = await openNpz(path);
    try {
      assert.equal((await sparse.readRows('x', 0, 1)).shape[0], 1);
      // Rows 1..8 are never asked for: they are read for the check alone when the last row is.
      await assert.rejects(sparse.readRows('x', 9, 10), /CRC-32 mismatch/);
    } finally {
      await sparse.close();
    }
    // Sizes that differ in a stored member's directory entry are refused at open.
    const lying = new Uint8Array(bytes);
    const directory = Buffer.from(lying.buffer).readUInt32LE(lying.length - 6);
    Buffer.from(lying.buffer).writeUInt32LE(12345, directory + 24); // the uncompressed size
    await assert.rejects(openNpz(writeBytes(join(dir, 'sizes.npz'), lying)), /sizes\.npz: member 'x\.npy' is corrupt \(stored uncompressed, yet its directory sizes differ/);
  });
});

test('reading only the last rows of a deflated member still checks its CRC', async () => {
  await withTempDir('npz-tail-crc', async (dir) => {
    const path = writeNpz(join(dir, 'tail.npz'), { x: { data: new Uint8Array(64).fill(7), shape: [8, 8] } }, true);
    const bytes = readFileSync(path);
    const directory = bytes.readUInt32LE(bytes.length - 6);
    bytes.writeUInt32LE((bytes.readUInt32LE(directory + 16) ^ 0x100) >>> 0, directory + 16);
    writeFileSync(path, bytes);
    const npz = await openNpz(path);
    try {
      assert.equal((await npz.readRows('x', 0, 2)).shape[0], 2);
      await assert.rejects(npz.readRows('x', 6, 8), /tail\.npz: member 'x\.npy' is corrupt \(CRC-32 mismatch\)/);
    } finally {
      await npz.close();
    }
  });
});

test('row reads of a large deflated member stream across chunk boundaries, forward and back', async () => {
  await withTempDir('npz-stream', async (dir) => {
    const rows = 5000;
    const cols = 40; // 800 KB of float32: several 256 KB inflate chunks
    const values = Float32Array.from({ length: rows * cols }, (_, i) => (i % 977) * 0.25 - Math.floor(i / cols));
    const path = writeNpz(join(dir, 'big.npz'), { feats: { data: values, shape: [rows, cols] } }, true);
    const npz = await openNpz(path);
    try {
      for (const [start, end] of [
        [0, 3],
        [1630, 1700],
        [3270, 3290],
        [4998, 5000],
        [10, 12],
      ] as const) {
        const got = (await npz.readRows('feats', start, end)).data as Float32Array;
        assert.deepEqual(Array.from(got), Array.from(values.subarray(start * cols, end * cols)), `rows ${start}..${end}`);
      }
      assert.deepEqual(npz.members[0]?.compressed, true);
    } finally {
      await npz.close();
    }
  });
});

test('the CRC-32 (native when Node has it, else the table) gives the standard check values', async () => {
  const { crc32, crc32Table } = await import('../../../src/core/dataset/crc32');
  const text = new Uint8Array(Buffer.from('123456789'));
  // The CRC-32/ISO-HDLC check value of "123456789".
  assert.equal(crc32(text), 0xcbf43926);
  assert.equal(crc32Table(text), 0xcbf43926);
  // A running CRC over two parts equals the CRC of the whole.
  assert.equal(crc32(text, 4, 9, crc32(text, 0, 4)), 0xcbf43926);
  assert.equal(crc32Table(text, 4, 9, crc32Table(text, 0, 4)), 0xcbf43926);
});
