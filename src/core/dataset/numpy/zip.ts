import type { RandomAccessFile } from '../fileAccess';

/**
 * Reads a zip's central directory (what np.savez / np.savez_compressed write), zip64 included, so members
 * can be located and read by offset without unpacking the archive.
 */
export interface ZipEntry {
  name: string;
  /** 0 = stored, 8 = deflated. */
  method: number;
  flags: number;
  /** CRC-32 of the uncompressed bytes. */
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;

export const ZIP_STORED = 0;
export const ZIP_DEFLATED = 8;

function u64(view: DataView, offset: number): number {
  const value = view.getBigUint64(offset, true);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error('zip64 value too large');
  return Number(value);
}

export async function readZipDirectory(file: RandomAccessFile): Promise<ZipEntry[]> {
  const path = file.path;
  // The end record is 22 bytes plus a comment of up to 65535 bytes, at the very end of the file.
  const tailLength = Math.min(file.size, 22 + 65535);
  const tailStart = file.size - tailLength;
  const tail = await file.read(tailStart, tailLength, 'zip end record');
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD_SIGNATURE) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${path}: not a complete zip/.npz archive (no end-of-central-directory record; truncated?)`);
  let entryCount = tail.readUInt16LE(eocd + 10);
  let directorySize = tail.readUInt32LE(eocd + 12);
  let directoryOffset = tail.readUInt32LE(eocd + 16);

  if (entryCount === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) {
    const locatorAt = tailStart + eocd - 20;
    const locator = await file.read(locatorAt, 20, 'zip64 locator');
    if (locator.readUInt32LE(0) !== ZIP64_LOCATOR_SIGNATURE) throw new Error(`${path}: zip64 archive without a zip64 locator`);
    const recordAt = u64(new DataView(locator.buffer, locator.byteOffset, 20), 8);
    const record = await file.read(recordAt, 56, 'zip64 end record');
    if (record.readUInt32LE(0) !== ZIP64_EOCD_SIGNATURE) throw new Error(`${path}: bad zip64 end record`);
    const view = new DataView(record.buffer, record.byteOffset, 56);
    entryCount = u64(view, 32);
    directorySize = u64(view, 40);
    directoryOffset = u64(view, 48);
  }

  const directory = await file.read(directoryOffset, directorySize, 'zip central directory');
  const view = new DataView(directory.buffer, directory.byteOffset, directory.length);
  const entries: ZipEntry[] = [];
  let at = 0;
  for (let n = 0; n < entryCount; n++) {
    if (at + 46 > directory.length || directory.readUInt32LE(at) !== CENTRAL_SIGNATURE) {
      throw new Error(`${path}: corrupt zip central directory (entry ${n})`);
    }
    const flags = directory.readUInt16LE(at + 8);
    const method = directory.readUInt16LE(at + 10);
    const crc32 = directory.readUInt32LE(at + 16);
    let compressedSize = directory.readUInt32LE(at + 20);
    let uncompressedSize = directory.readUInt32LE(at + 24);
    const nameLength = directory.readUInt16LE(at + 28);
    const extraLength = directory.readUInt16LE(at + 30);
    const commentLength = directory.readUInt16LE(at + 32);
    let localHeaderOffset = directory.readUInt32LE(at + 42);
    const name = directory.toString('utf8', at + 46, at + 46 + nameLength);

    // zip64 extra field: the 64-bit values appear only for the 32-bit fields that are saturated, in this order.
    let extra = at + 46 + nameLength;
    const extraEnd = extra + extraLength;
    while (extra + 4 <= extraEnd) {
      const id = directory.readUInt16LE(extra);
      const size = directory.readUInt16LE(extra + 2);
      if (id === 0x0001) {
        let p = extra + 4;
        if (uncompressedSize === 0xffffffff) {
          uncompressedSize = u64(view, p);
          p += 8;
        }
        if (compressedSize === 0xffffffff) {
          compressedSize = u64(view, p);
          p += 8;
        }
        if (localHeaderOffset === 0xffffffff) localHeaderOffset = u64(view, p);
      }
      extra += 4 + size;
    }
    entries.push({ name, method, flags, crc32, compressedSize, uncompressedSize, localHeaderOffset });
    at = extraEnd + commentLength;
  }
  return entries;
}

/** Where an entry's (possibly compressed) bytes start: after its local header, whose extra field may differ from the central one. */
export async function zipEntryDataOffset(file: RandomAccessFile, entry: ZipEntry): Promise<number> {
  const header = await file.read(entry.localHeaderOffset, 30, `local header of ${entry.name}`);
  if (header.readUInt32LE(0) !== LOCAL_SIGNATURE) throw new Error(`${file.path}: corrupt zip: bad local header for ${entry.name}`);
  if (entry.flags & 1) throw new Error(`${file.path}: member ${entry.name} is encrypted`);
  const offset = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  if (offset + entry.compressedSize > file.size) {
    throw new Error(
      `${file.path}: truncated: member ${entry.name} needs bytes up to ${offset + entry.compressedSize} but the file has ${file.size}`,
    );
  }
  return offset;
}
