// Generated feature files for `collapse-lens metrics`: K Gaussian classes in D dimensions, a few pairs of
// them placed close together (so the most-confused pairs are known), written as an uncompressed .npz.
// What the panel then shows is the engine's result for these features, never numbers written here.
import fs from 'node:fs';
import zlib from 'node:zlib';

/** A deterministic uniform generator in [0, 1) (mulberry32). */
function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(random) {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** One .npy file: version 1.0 header, little-endian, C order. */
function npy(descr, shape, bytes) {
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${dims}), }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  return Buffer.concat([head, Buffer.from(header, 'latin1'), Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)]);
}

/** A stored (uncompressed) zip of the members, as np.savez writes it. */
function zip(members) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const [name, data] of Object.entries(members)) {
    const file = Buffer.from(name, 'utf8');
    const crc = zlib.crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(file.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(file.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, file, data);
    centrals.push(central, file);
    offset += local.length + file.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(members).length, 8);
  end.writeUInt16LE(Object.keys(members).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/**
 * Writes `path`: "labels" (N int64) and the layers named (of "hidden", noisy, and "penultimate", tighter), each
 * N x `dim` float32, `perClass` samples of each of `classes` classes. Classes 2c and 2c + 1 for c < 3
 * have nearly the same centre: those pairs are the most confused.
 */
export function writeFeaturesNpz(path, { classes, dim, perClass, seed = 1, layerNames = ['hidden', 'penultimate'] }) {
  const random = seeded(seed);
  const centres = new Float64Array(classes * dim);
  for (let i = 0; i < centres.length; i++) centres[i] = 4 * gaussian(random);
  for (let c = 0; c < 3 && 2 * c + 1 < classes; c++) {
    for (let d = 0; d < dim; d++) centres[(2 * c + 1) * dim + d] = centres[2 * c * dim + d] + 0.6 * gaussian(random);
  }
  const n = classes * perClass;
  const labels = new BigInt64Array(n);
  const layers = { hidden: new Float32Array(n * dim), penultimate: new Float32Array(n * dim) };
  for (let i = 0; i < n; i++) {
    const c = i % classes;
    labels[i] = BigInt(c);
    for (let d = 0; d < dim; d++) {
      const centre = centres[c * dim + d];
      layers.hidden[i * dim + d] = centre + 2.5 * gaussian(random);
      layers.penultimate[i * dim + d] = 1.5 * centre + 0.8 * gaussian(random);
    }
  }
  const members = { 'labels.npy': npy('<i8', [n], labels) };
  for (const name of layerNames) members[`${name}.npy`] = npy('<f4', [n, dim], layers[name]);
  fs.writeFileSync(path, zip(members));
  return path;
}
