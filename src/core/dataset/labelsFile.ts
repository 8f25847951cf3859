import { bytesOf, readFileHead } from './fileAccess';
import { gunzipPrefix, isGzip } from './gzip';
import { decodeIdxValues, looksLikeIdx } from './idx/idxHeader';
import { openIdxData } from './idx/idxFile';
import { hasNpyMagic } from './numpy/header';
import type { NpyArrayReader } from './numpy/arrayReader';
import { openNpy } from './numpy/npy';
import { toInt32Labels } from './numpy/dtype';

/** One label per sample: shape [N] or [N, 1]. */
export function isLabelShape(shape: number[]): boolean {
  return shape.length === 1 || (shape.length === 2 && shape[1] === 1);
}

/** All labels of a NumPy array (an .npy file or an .npz member) of shape [N] or [N, 1], as int32. */
export async function readLabelArray(array: NpyArrayReader): Promise<Int32Array> {
  if (!isLabelShape(array.shape)) {
    throw new Error(`${array.source}: labels must have shape [N] or [N, 1], this array is [${array.shape.join(', ')}]`);
  }
  const all = await array.readAll();
  return toInt32Labels(all.data, all.dtype, array.source);
}

/** Reads a labels file given on its own (.npy or IDX, gzipped or not), detected by content. */
export async function readLabelsFile(path: string): Promise<Int32Array> {
  const { head } = await readFileHead(path, 64);
  const bytes = bytesOf(head);
  if (hasNpyMagic(bytes)) {
    const npy = await openNpy(path);
    try {
      return await readLabelArray(npy.array);
    } finally {
      await npy.close();
    }
  }
  const idxHead = isGzip(bytes) ? gunzipPrefix(bytes) : bytes;
  if (looksLikeIdx(idxHead)) return readIdxLabels(path);
  throw new Error(`${path}: not a labels file (expected a .npy array or an IDX labels file)`);
}

export async function readIdxLabels(path: string): Promise<Int32Array> {
  const data = await openIdxData(path);
  try {
    const { header } = data;
    if (!isLabelShape(header.dims)) {
      throw new Error(`${path}: an IDX labels file has one dimension, this one has ${header.dims.length} (${header.dims.join(' x ')})`);
    }
    if (header.dtype === 'float32' || header.dtype === 'float64') throw new Error(`${path}: labels must be integers, the file holds ${header.dtype}`);
    const values = decodeIdxValues(await data.reader.read(header.dataOffset, header.dataBytes), header);
    return Int32Array.from(values);
  } finally {
    await data.close();
  }
}
