/**
 * Models above protobuf's 2 GB limit (and many exporters' large-model mode) keep initializer bytes in
 * files beside the .onnx, named by each tensor's external_data `location`. We copy those bytes into the
 * in-memory model so that onnxruntime can be given a single buffer (it is created from bytes, because
 * we add graph outputs to read intermediate tensors).
 *
 * A location is attacker-controlled text inside a downloaded checkpoint: it must not reach files outside
 * the model's own folder (`../../.ssh/id_rsa`, absolute paths, symlinks pointing out).
 */
import { open, realpath } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { onnx } from 'onnx-proto';
import { ELEMENT_BYTES } from './proto';
import { tensorElementCount } from './tensorValues';

/** protobuf cannot encode a message of 2 GiB or more, so the inlined model must stay below it. */
const PROTOBUF_LIMIT = 2 ** 31 - 1;

interface ExternalRef {
  location: string;
  offset: number;
  length: number | null;
}

function readRef(t: onnx.ITensorProto, modelPath: string): ExternalRef {
  const entries = new Map((t.externalData ?? []).map((e) => [e.key ?? '', e.value ?? '']));
  const location = entries.get('location');
  if (!location) throw new Error(`${modelPath}: tensor "${t.name}" has external data without a location`);
  const offset = Number(entries.get('offset') ?? '0');
  const lengthText = entries.get('length');
  const length = lengthText === undefined ? null : Number(lengthText);
  if (!Number.isSafeInteger(offset) || offset < 0 || (length !== null && (!Number.isSafeInteger(length) || length < 0))) {
    throw new Error(`${modelPath}: tensor "${t.name}" has an invalid external data offset/length`);
  }
  return { location, offset, length };
}

function isInside(folder: string, target: string): boolean {
  const rel = relative(folder, target);
  return rel !== '' && !rel.startsWith('..' + sep) && rel !== '..' && !isAbsolute(rel);
}

async function resolveInside(folder: string, location: string, tensor: string, modelPath: string): Promise<string> {
  const refuse = (why: string): Error =>
    new Error(`${modelPath}: refusing external data "${location}" of tensor "${tensor}": ${why}`);
  if (isAbsolute(location)) throw refuse('an absolute path (external data must sit in the model\'s folder)');
  const target = resolve(folder, location);
  if (!isInside(folder, target)) throw refuse(`it resolves outside the model's folder ${folder}`);
  let real: string;
  try {
    real = await realpath(target);
  } catch {
    throw new Error(`${modelPath}: external data file "${location}" of tensor "${tensor}" was not found beside the model`);
  }
  if (!isInside(await realpath(folder), real)) throw refuse(`it links to ${real}, outside the model's folder`);
  return real;
}

async function readRange(handle: FileHandle, offset: number, length: number): Promise<Uint8Array> {
  const bytes = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(bytes, done, length - done, offset + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return bytes;
}

/**
 * The external data files a decoded model names, resolved and checked like the loader does, each once,
 * in the order its initializers first name them (the checkpoint's identity covers their bytes too).
 */
export async function externalDataFiles(model: onnx.IModelProto, modelPath: string): Promise<string[]> {
  const locate = locator(modelPath);
  const files: string[] = [];
  for (const t of model.graph?.initializer ?? []) {
    if (t.dataLocation !== onnx.TensorProto.DataLocation.EXTERNAL) continue;
    const file = await locate(readRef(t, modelPath).location, t.name ?? '');
    if (!files.includes(file)) files.push(file);
  }
  return files;
}

/**
 * resolveInside for the tensors of one model, each location resolved once: an exporter's single data
 * file is named by every initializer (hundreds of them), and each resolution costs two realpath calls.
 * Errors name the first tensor that gave the location.
 */
function locator(modelPath: string): (location: string, tensor: string) => Promise<string> {
  const folder = dirname(resolve(modelPath));
  const seen = new Map<string, Promise<string>>();
  return (location, tensor) => {
    let file = seen.get(location);
    if (!file) {
      file = resolveInside(folder, location, tensor, modelPath);
      seen.set(location, file);
    }
    return file;
  };
}

/** Replaces every external initializer of `model` with its bytes read from beside `modelPath`. */
export async function inlineExternalData(model: onnx.ModelProto, modelPath: string): Promise<void> {
  const tensors = (model.graph?.initializer ?? []).filter(
    (t) => t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL,
  );
  if (tensors.length === 0) return;
  const locate = locator(modelPath);
  const handles = new Map<string, FileHandle>();
  let total = 0;
  try {
    for (const t of tensors) {
      const ref = readRef(t, modelPath);
      const file = await locate(ref.location, t.name ?? '');
      let handle = handles.get(file);
      if (!handle) {
        handle = await open(file, 'r');
        handles.set(file, handle);
      }
      const size = (await handle.stat()).size;
      const width = ELEMENT_BYTES[t.dataType ?? 0] ?? 1;
      const length = ref.length ?? size - ref.offset;
      const expected = tensorElementCount(t) * width;
      if (length !== expected) {
        throw new Error(`${modelPath}: tensor "${t.name}" needs ${expected} bytes but its external data gives ${length}`);
      }
      if (ref.offset + length > size) {
        throw new Error(`${modelPath}: external data file "${ref.location}" is too short for tensor "${t.name}" (${size} bytes, needs ${ref.offset + length})`);
      }
      total += length;
      if (total > PROTOBUF_LIMIT) {
        throw new Error(`${modelPath}: its external data exceeds 2 GB, which cannot be loaded into one in-memory model`);
      }
      const bytes = await readRange(handle, ref.offset, length);
      t.rawData = bytes;
      t.externalData = [];
      t.dataLocation = onnx.TensorProto.DataLocation.DEFAULT;
    }
  } finally {
    await Promise.all([...handles.values()].map((h) => h.close()));
  }
}
