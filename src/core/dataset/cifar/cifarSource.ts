import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ArrayDatasetSource } from '../arraySource';
import { FileRangeReader } from '../byteReader';
import { bytesOf, RandomAccessFile } from '../fileAccess';
import { fingerprintFiles } from '../fingerprint';
import { ConcatRowStore, ReaderRowStore, type RowStore } from '../rows';
import type { DatasetSource } from '../types';
import { concatArrays } from '../../concatArrays';

/** CIFAR binary batches: records of label byte(s) then a 3x32x32 image, channel-major (R plane, G, B). */
export type CifarVariant = 'cifar10' | 'cifar100';

export const CIFAR_IMAGE_BYTES = 3 * 32 * 32;
const LABEL_BYTES: Record<CifarVariant, number> = { cifar10: 1, cifar100: 2 };
/** Records checked when telling CIFAR apart from other headerless files. */
export const CIFAR_SNIFF_RECORDS = 16;

export function cifarRecordBytes(variant: CifarVariant): number {
  return LABEL_BYTES[variant] + CIFAR_IMAGE_BYTES;
}

function fits(variant: CifarVariant, size: number, head: Uint8Array): boolean {
  const record = cifarRecordBytes(variant);
  if (size === 0 || size % record !== 0) return false;
  for (let at = 0; at + record <= head.length && at < CIFAR_SNIFF_RECORDS * record; at += record) {
    if (variant === 'cifar10' && head[at]! >= 10) return false;
    if (variant === 'cifar100' && (head[at]! >= 20 || head[at + 1]! >= 100)) return false;
  }
  return true;
}

/**
 * CIFAR files have no magic number: they are recognised by a size that is a whole number of records and
 * label bytes in range at the start of the first records. The name breaks the rare tie.
 */
export function cifarVariantOf(name: string, size: number, head: Uint8Array): CifarVariant | null {
  const ten = fits('cifar10', size, head);
  const hundred = fits('cifar100', size, head);
  if (ten && hundred) return /^(train|test)\.bin$/.test(name) ? 'cifar100' : 'cifar10';
  return ten ? 'cifar10' : hundred ? 'cifar100' : null;
}

/**
 * The variant a file's name suggests (data_batch_N.bin / test_batch.bin: CIFAR-10; train.bin / test.bin:
 * CIFAR-100). Used only for files whose content did not pass as CIFAR, so that a truncated batch is
 * reported as such instead of being passed over.
 */
export function cifarVariantByName(name: string): CifarVariant | null {
  if (/^(data_batch_\d+|test_batch)\.bin$/.test(name)) return 'cifar10';
  if (/^(train|test)\.bin$/.test(name)) return 'cifar100';
  return null;
}

async function readNames(path: string): Promise<string[] | null> {
  try {
    const lines = (await readFile(path, 'utf8')).split(/\r?\n/).map((l) => l.trim());
    const names = lines.filter((l) => l.length > 0);
    return names.length > 0 ? names : null;
  } catch {
    return null;
  }
}

async function readLabelBytes(file: RandomAccessFile, variant: CifarVariant, labelOffset: number): Promise<Int32Array> {
  const record = cifarRecordBytes(variant);
  const count = file.size / record;
  const labels = new Int32Array(count);
  const perChunk = 1024;
  for (let first = 0; first < count; first += perChunk) {
    const n = Math.min(perChunk, count - first);
    const chunk = bytesOf(await file.read(first * record, n * record, 'CIFAR records'));
    for (let i = 0; i < n; i++) labels[first + i] = chunk[i * record + labelOffset]!;
  }
  return labels;
}

/** One or more CIFAR batch files of the same variant, read as one dataset in the order given. */
export async function openCifarSource(
  source: string,
  files: string[],
  variant: CifarVariant,
  labelKind: 'fine' | 'coarse' = 'fine',
  details: Record<string, unknown> = {},
): Promise<DatasetSource> {
  const record = cifarRecordBytes(variant);
  const opened: RandomAccessFile[] = [];
  try {
    const stores: RowStore[] = [];
    for (const path of files) {
      const file = await RandomAccessFile.open(path);
      opened.push(file);
      if (file.size % record !== 0) {
        const kind = variant === 'cifar10' ? 'CIFAR-10' : 'CIFAR-100';
        throw new Error(
          `${path}: truncated or not ${kind}: ${file.size} bytes is not a whole number of ${record}-byte records ` +
            `(${LABEL_BYTES[variant]} label byte(s) + 3x32x32 image)`,
        );
      }
      stores.push(new ReaderRowStore(new FileRangeReader(file, 0, file.size, 'CIFAR records'), 0, record, file.size / record));
    }
    // CIFAR-100 records are <coarse label><fine label><image>.
    const labelOffset = variant === 'cifar100' && labelKind === 'fine' ? 1 : 0;
    const dir = dirname(files[0]!);
    const namesFile =
      variant === 'cifar10' ? 'batches.meta.txt' : labelKind === 'fine' ? 'fine_label_names.txt' : 'coarse_label_names.txt';
    const classNames = await readNames(join(dir, namesFile));
    return new ArrayDatasetSource({
      source,
      format: variant,
      store: new ConcatRowStore(stores),
      payload: { offset: LABEL_BYTES[variant], bytes: CIFAR_IMAGE_BYTES },
      decode: (bytes) => bytes,
      dtype: 'uint8',
      sampleShape: [3, 32, 32],
      sampleLayout: 'chw',
      classNames,
      loadLabels: async () => {
        const parts = await Promise.all(opened.map((f) => readLabelBytes(f, variant, labelOffset)));
        return concatArrays(parts, (n) => new Int32Array(n));
      },
      fingerprint: await fingerprintFiles(files),
      files,
      details: {
        ...details,
        batches: files.map((f) => basename(f)),
        ...(variant === 'cifar100' ? { labelKind } : {}),
        classNamesFile: classNames ? join(dir, namesFile) : null,
      },
      close: async () => {
        for (const file of opened) await file.close();
      },
    });
  } catch (err) {
    for (const file of opened) await file.close();
    throw err;
  }
}
