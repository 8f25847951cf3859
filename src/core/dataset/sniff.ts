import { basename } from 'node:path';
import { CIFAR_SNIFF_RECORDS, cifarRecordBytes, cifarVariantOf, type CifarVariant } from './cifar/cifarSource';
import { bytesOf, readFileHead } from './fileAccess';
import { gunzipPrefix, isGzip } from './gzip';
import { looksLikeIdx, parseIdxHeader } from './idx/idxHeader';
import { isJpeg, isPng } from './images/decodedImage';
import { hasNpyMagic } from './numpy/header';

/** What a file holds, judged from its first bytes and size, never from its extension. */
export type SniffedFile =
  | { kind: 'npy' }
  | { kind: 'npz' }
  | { kind: 'idx'; gzip: boolean; dims: number[] }
  | { kind: CifarVariant }
  | { kind: 'png' }
  | { kind: 'jpeg' }
  | { kind: 'gzip' }
  | { kind: 'unknown'; size: number; head: string };

const HEAD_BYTES = CIFAR_SNIFF_RECORDS * cifarRecordBytes('cifar100');

export async function sniffFile(path: string): Promise<SniffedFile> {
  const { head: buffer, size } = await readFileHead(path, HEAD_BYTES);
  const head = bytesOf(buffer);
  if (hasNpyMagic(head)) return { kind: 'npy' };
  // A zip starts with a local header (PK\3\4), or an end record when empty (PK\5\6).
  if (head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5)) return { kind: 'npz' };
  if (isPng(head)) return { kind: 'png' };
  if (isJpeg(head)) return { kind: 'jpeg' };
  if (isGzip(head)) {
    const inner = gunzipPrefix(head.subarray(0, 4096));
    return looksLikeIdx(inner) ? { kind: 'idx', gzip: true, dims: parseIdxHeader(inner, path).dims } : { kind: 'gzip' };
  }
  if (looksLikeIdx(head)) {
    const header = parseIdxHeader(head, path);
    // IDX has a weak magic (two zero bytes); insist that the size agrees before calling it IDX.
    if (header.dataOffset + header.dataBytes === size) return { kind: 'idx', gzip: false, dims: header.dims };
  }
  const cifar = cifarVariantOf(basename(path), size, head);
  if (cifar) return { kind: cifar };
  if (looksLikeIdx(head)) return { kind: 'idx', gzip: false, dims: parseIdxHeader(head, path).dims };
  return { kind: 'unknown', size, head: Array.from(head.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ') };
}

export const SUPPORTED_FORMATS =
  'an image folder (one sub-folder per class), .npz, .npy (+ labels .npy), IDX (MNIST-style, gzipped or not) or CIFAR-10/100 binary batches';
