import * as zlib from 'node:zlib';

/**
 * CRC-32 (IEEE, as PNG and zip use it). node:zlib's native crc32 exists from Node 20.15 and runs several
 * times faster; engines allows 20.9, so the table version stays as the fallback.
 */
const native = (zlib as unknown as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

/** Whether this Node has the native CRC-32 (the image-decoding workers need it: they cannot load this module). */
export const hasNativeCrc32 = native !== undefined;

const TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32Table(bytes: Uint8Array, start = 0, end = bytes.length, previous = 0): number {
  let c = (previous ^ 0xffffffff) >>> 0;
  for (let i = start; i < end; i++) c = TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** CRC of bytes[start, end); pass the CRC of the preceding bytes as `previous` to continue a running one. */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length, previous = 0): number {
  if (native) return native(bytes.subarray(start, end), previous) >>> 0;
  return crc32Table(bytes, start, end, previous);
}
