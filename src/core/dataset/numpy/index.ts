export { parseNpyHeader, npyHeaderSize, hasNpyMagic, type NpyHeader } from './header';
export { parseDescr, bytesToTypedArray, toInt32Labels, isFloatDType, type NpyDType, type NumericArray } from './dtype';
export { NpyArrayReader, type NpyArray } from './arrayReader';
export { openNpy, type NpyFile } from './npy';
export { openNpz, type NpzFile, type NpzMember } from './npz';
export { readZipDirectory, type ZipEntry } from './zip';
