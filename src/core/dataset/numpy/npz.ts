import { constants as zlibConstants, inflateRawSync } from 'node:zlib';
import type { ByteReader } from '../byteReader';
import { bytesOf, RandomAccessFile } from '../fileAccess';
import { NpyArrayReader, type NpyArray } from './arrayReader';
import type { NpyDType } from './dtype';
import { npyHeaderSize, parseNpyHeader, type NpyHeader } from './header';
import { InflateCursor } from './inflateCursor';
import { StoredMemberReader } from './storedMemberReader';
import { readZipDirectory, zipEntryDataOffset, ZIP_DEFLATED, ZIP_STORED, type ZipEntry } from './zip';

export interface NpzMember {
  /** Array name (the entry name without `.npy`). */
  name: string;
  entryName: string;
  descr: string;
  dtype: NpyDType;
  shape: number[];
  fortranOrder: boolean;
  /** True for np.savez_compressed members (read by streaming inflate), false for np.savez (read by offset). */
  compressed: boolean;
  compressedSize: number;
  uncompressedSize: number;
}

export interface NpzFile {
  readonly path: string;
  readonly members: NpzMember[];
  has(name: string): boolean;
  /** The reader of one array; throws naming the file and the arrays it has. */
  array(name: string): NpyArrayReader;
  read(name: string): Promise<NpyArray>;
  /** Rows [start, end) of an array along its first axis. */
  readRows(name: string, start: number, end: number): Promise<NpyArray>;
  close(): Promise<void>;
}

/** Inflates just enough of a deflated member to parse its .npy header, without inflating the member. */
async function readDeflatedHeader(file: RandomAccessFile, entry: ZipEntry, dataStart: number, source: string): Promise<NpyHeader> {
  let take = Math.min(entry.compressedSize, 1024);
  for (;;) {
    const compressed = await file.read(dataStart, take, `member ${entry.name}`);
    let head: Uint8Array;
    try {
      head = bytesOf(inflateRawSync(bytesOf(compressed), { finishFlush: zlibConstants.Z_SYNC_FLUSH }));
    } catch (err) {
      throw new Error(`${source}: cannot inflate (${(err as Error).message})`);
    }
    if (head.length >= 12) {
      const size = npyHeaderSize(head, source);
      if (head.length >= size) return parseNpyHeader(head, source);
    }
    if (take >= entry.compressedSize) throw new Error(`${source}: truncated .npy header`);
    take = Math.min(entry.compressedSize, take * 4);
  }
}

async function readStoredHeader(file: RandomAccessFile, entry: ZipEntry, dataStart: number, source: string): Promise<NpyHeader> {
  const prefix = bytesOf(await file.read(dataStart, Math.min(12, entry.uncompressedSize), `member ${entry.name}`));
  const size = Math.min(npyHeaderSize(prefix, source), entry.uncompressedSize);
  return parseNpyHeader(bytesOf(await file.read(dataStart, size, `member ${entry.name}`)), source);
}

async function openMember(file: RandomAccessFile, entry: ZipEntry): Promise<{ member: NpzMember; reader: NpyArrayReader; close(): void }> {
  const source = `${file.path}:${entry.name}`;
  if (entry.method !== ZIP_STORED && entry.method !== ZIP_DEFLATED) {
    throw new Error(`${source}: zip compression method ${entry.method} is not supported (stored and deflate are)`);
  }
  const dataStart = await zipEntryDataOffset(file, entry);
  const compressed = entry.method === ZIP_DEFLATED;
  const header = compressed ? await readDeflatedHeader(file, entry, dataStart, source) : await readStoredHeader(file, entry, dataStart, source);
  const needed = header.dataOffset + header.dataBytes;
  if (entry.uncompressedSize < needed) {
    throw new Error(
      `${source}: truncated: shape [${header.shape.join(', ')}] of ${header.dtype} needs ${needed} bytes, the member holds ${entry.uncompressedSize}`,
    );
  }
  const declared = { name: entry.name, size: entry.uncompressedSize, crc32: entry.crc32 };
  let byteReader: ByteReader;
  let close = (): void => undefined;
  if (compressed) {
    const cursor = new InflateCursor(file.path, dataStart, entry.compressedSize, needed, `member ${entry.name}`, declared);
    byteReader = cursor;
    close = () => cursor.close();
  } else {
    if (entry.compressedSize !== entry.uncompressedSize) {
      throw new Error(
        `${file.path}: member '${entry.name}' is corrupt (stored uncompressed, yet its directory sizes differ: ${entry.compressedSize} and ${entry.uncompressedSize} bytes)`,
      );
    }
    byteReader = new StoredMemberReader(file, dataStart, needed, `member ${entry.name}`, declared);
  }
  const member: NpzMember = {
    name: entry.name.replace(/\.npy$/, ''),
    entryName: entry.name,
    descr: header.descr,
    dtype: header.dtype,
    shape: header.shape,
    fortranOrder: header.fortranOrder,
    compressed,
    compressedSize: entry.compressedSize,
    uncompressedSize: entry.uncompressedSize,
  };
  return { member, reader: new NpyArrayReader(source, header, byteReader), close };
}

/**
 * Opens an .npz (np.savez or np.savez_compressed) and reads every member's header; no array data is read
 * until asked. Stored members are read by offset, deflated ones by a forward-streaming inflate.
 */
export async function openNpz(path: string): Promise<NpzFile> {
  const file = await RandomAccessFile.open(path);
  const closers: (() => void)[] = [];
  try {
    const entries = (await readZipDirectory(file)).filter((e) => e.name.endsWith('.npy'));
    if (entries.length === 0) throw new Error(`${path}: the archive holds no .npy arrays`);
    const members: NpzMember[] = [];
    const readers = new Map<string, NpyArrayReader>();
    for (const entry of entries) {
      const opened = await openMember(file, entry);
      members.push(opened.member);
      readers.set(opened.member.name, opened.reader);
      closers.push(opened.close);
    }
    const array = (name: string): NpyArrayReader => {
      const reader = readers.get(name);
      if (!reader) throw new Error(`${path}: no array named '${name}' (it has: ${members.map((m) => m.name).join(', ')})`);
      return reader;
    };
    return {
      path,
      members,
      has: (name) => readers.has(name),
      array,
      read: (name) => array(name).readAll(),
      readRows: (name, start, end) => array(name).readRows(start, end),
      close: async () => {
        for (const close of closers) close();
        await file.close();
      },
    };
  } catch (err) {
    for (const close of closers) close();
    await file.close();
    throw err;
  }
}
