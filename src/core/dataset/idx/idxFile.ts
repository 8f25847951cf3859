import { BufferReader, FileRangeReader, type ByteReader } from '../byteReader';
import { bytesOf, RandomAccessFile } from '../fileAccess';
import { gunzipFile, isGzip } from '../gzip';
import { parseIdxHeader, type IdxHeader } from './idxHeader';

/** An IDX file ready for reads: by offset when plain, from memory when gzipped (see gzip.ts for the cost). */
export interface IdxData {
  path: string;
  header: IdxHeader;
  reader: ByteReader;
  gzip: boolean;
  /** Bytes held in memory for this file (the inflated file when gzipped, else 0). */
  memoryBytes: number;
  close(): Promise<void>;
}

function checkSize(path: string, header: IdxHeader, actual: number, gzip: boolean): void {
  const expected = header.dataOffset + header.dataBytes;
  const what = gzip ? 'decompresses to' : 'has';
  const shape = header.dims.join(' x ');
  if (actual < expected) {
    throw new Error(`${path}: truncated: the header promises ${shape} ${header.dtype} values (${expected} bytes) but the file ${what} ${actual} bytes`);
  }
  if (actual > expected) {
    throw new Error(`${path}: the header promises ${shape} ${header.dtype} values (${expected} bytes) but the file ${what} ${actual} bytes; not a valid IDX file`);
  }
}

export async function openIdxData(path: string): Promise<IdxData> {
  const file = await RandomAccessFile.open(path);
  let keepOpen = false;
  try {
    const head = bytesOf(await file.readUpTo(0, 20));
    if (isGzip(head)) {
      await file.close();
      const parsed: { header?: IdxHeader } = {};
      const { bytes, total } = await gunzipFile(path, 20, (start) => {
        const header = parseIdxHeader(start, path);
        parsed.header = header;
        return header.dataOffset + header.dataBytes;
      });
      const header = parsed.header!;
      checkSize(path, header, total, true);
      return { path, header, reader: new BufferReader(bytes), gzip: true, memoryBytes: bytes.length, close: async () => undefined };
    }
    const header = parseIdxHeader(head, path);
    checkSize(path, header, file.size, false);
    keepOpen = true;
    return {
      path,
      header,
      reader: new FileRangeReader(file, 0, file.size, 'IDX data'),
      gzip: false,
      memoryBytes: 0,
      close: () => file.close(),
    };
  } finally {
    if (!keepOpen) await file.close().catch(() => undefined);
  }
}
