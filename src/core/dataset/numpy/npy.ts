import { FileRangeReader } from '../byteReader';
import { bytesOf, RandomAccessFile } from '../fileAccess';
import { NpyArrayReader } from './arrayReader';
import { parseNpyHeader, npyHeaderSize, type NpyHeader } from './header';

/** A standalone .npy file kept open for row reads. */
export interface NpyFile {
  readonly path: string;
  readonly header: NpyHeader;
  readonly array: NpyArrayReader;
  close(): Promise<void>;
}

export async function openNpy(path: string): Promise<NpyFile> {
  const file = await RandomAccessFile.open(path);
  try {
    const prefix = bytesOf(await file.readUpTo(0, 12));
    const headerSize = npyHeaderSize(prefix, path);
    const header = parseNpyHeader(bytesOf(await file.read(0, headerSize, '.npy header')), path);
    const needed = header.dataOffset + header.dataBytes;
    if (file.size < needed) {
      throw new Error(
        `${path}: truncated: shape [${header.shape.join(', ')}] of ${header.dtype} needs ${needed} bytes, the file has ${file.size}`,
      );
    }
    const array = new NpyArrayReader(path, header, new FileRangeReader(file, 0, needed, '.npy data'));
    return { path, header, array, close: () => file.close() };
  } catch (err) {
    await file.close();
    throw err;
  }
}
