/**
 * Tells which checkpoint format a file (or folder) holds, from its content rather than its name: a
 * model.json may be TF.js Layers, TF.js Graph or something else entirely, and an ONNX file can be
 * named anything. The reason says what was found when it is none of them.
 */
import { open, readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { checkOnnxOutline } from './onnx/looksLikeOnnx';
import { sniffTfjsModelJson } from './tfjs/sniff';
import { messageOf } from '../messageOf';
import { describeFsError } from '../dataset/fileAccess';

export type CheckpointKind = 'onnx' | 'tfjs-layers' | 'tfjs-graph' | 'unknown';

export interface CheckpointSniff {
  kind: CheckpointKind;
  /** Why the file is 'unknown' (or what is odd about it). */
  reason?: string;
  /** The file that was examined: `path` itself, or the model file found inside a folder. */
  file: string;
}

/** A model.json is told apart by the TF.js module's own rule, so the two can never disagree. */
function sniffModelJson(text: string, file: string): CheckpointSniff {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { kind: 'unknown', file, reason: `${file} is not valid JSON (${messageOf(error)})` };
  }
  const found = sniffTfjsModelJson(json);
  return found.kind === 'other' ? { kind: 'unknown', file, reason: `${file}: ${found.reason ?? 'not a TF.js model'}` } : { kind: found.kind, file };
}

/** Well-known non-checkpoint formats people point at by mistake, by their magic bytes. */
function knownForeignFormat(head: Uint8Array): string | null {
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) {
    return 'a ZIP archive (a PyTorch .pt/.pth or Keras .keras file?); export the model to ONNX or TensorFlow.js first';
  }
  if (head[0] === 0x89 && head[1] === 0x48 && head[2] === 0x44 && head[3] === 0x46) {
    return 'an HDF5 file (a Keras .h5 model?); convert it with tensorflowjs_converter or tf2onnx first';
  }
  if (head[0] === 0x80 && head[1] >= 2 && head[1] <= 5) {
    return 'a Python pickle (a PyTorch checkpoint?); export the model to ONNX first';
  }
  return null;
}

async function sniffFile(file: string): Promise<CheckpointSniff> {
  const handle = await open(file, 'r');
  try {
    const size = (await handle.stat()).size;
    if (size === 0) return { kind: 'unknown', file, reason: `${file} is empty` };
    const head = new Uint8Array(Math.min(size, 64));
    await handle.read(head, 0, head.length, 0);
    const firstChar = head.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09 && b !== 0xef && b !== 0xbb && b !== 0xbf);
    if (firstChar === 0x7b) return sniffModelJson((await readFile(file, 'utf8')).replace(/^\uFEFF/, ''), file);
    const foreign = knownForeignFormat(head);
    if (foreign) return { kind: 'unknown', file, reason: `${file} is ${foreign}` };
    const check = await checkOnnxOutline(handle, size);
    return check.onnx ? { kind: 'onnx', file } : { kind: 'unknown', file, reason: `${file} is ${check.reason}` };
  } finally {
    await handle.close();
  }
}

/**
 * The checkpoint format of `path`. A folder is looked into: its model.json (TF.js), else its only .onnx file.
 * Rejects only when `path` cannot be read at all.
 */
export async function sniffCheckpoint(path: string): Promise<CheckpointSniff> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    throw describeFsError(path, error);
  }
  if (!info.isDirectory()) return sniffFile(path);
  const entries = await readdir(path);
  if (entries.includes('model.json')) return sniffFile(join(path, 'model.json'));
  const onnxFiles = entries.filter((e) => e.toLowerCase().endsWith('.onnx'));
  if (onnxFiles.length === 1) return sniffFile(join(path, onnxFiles[0]));
  const why = onnxFiles.length > 1 ? `holds ${onnxFiles.length} .onnx files; name one` : 'holds no model.json and no .onnx file';
  return { kind: 'unknown', file: path, reason: `${path} is a folder that ${why}` };
}
