import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { messageOf } from '../errors';

/** Which TF.js backend ran: the native TensorFlow addon, WebAssembly, or plain JS. */
export type TfjsBackendKind = 'tfjs-node' | 'tfjs-wasm' | 'tfjs-cpu';

export interface TfjsBackendOptions {
  /**
   * Folder holding tfjs-backend-wasm's .wasm files. The engine passes dist/wasm/ when bundled;
   * unbundled it defaults to node_modules/@tensorflow/tfjs-backend-wasm/dist/.
   */
  wasmDir?: string;
  /** Force a backend (tests, benchmarks); 'auto' tries tfjs-node, then wasm, then cpu. */
  backend?: TfjsBackendKind | 'auto';
  /** Ask for the GPU build of tfjs-node (@tensorflow/tfjs-node-gpu) first. */
  preferGpu?: boolean;
}

export interface TfjsBackendInfo {
  kind: TfjsBackendKind;
  /** @tensorflow/tfjs-core version. */
  tfjsVersion: string;
  threads: number;
  /** Why a faster backend was not used, when one was skipped. */
  note?: string;
}

const WASM_FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];

/** Where tfjs-backend-wasm keeps its .wasm files when the engine runs from node_modules. */
export function defaultWasmDir(): string {
  return path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
}

function reasonOf(err: unknown): string {
  return messageOf(err).split('\n')[0];
}

/**
 * Loads tfjs-node when it is installed. It is an optional peer: the require stays static so a bundler
 * can mark it external, and its absence (or a missing native addon) only means another backend.
 */
function tryTfjsNode(gpu: boolean): string | null {
  try {
    if (gpu) require('@tensorflow/tfjs-node-gpu');
    else require('@tensorflow/tfjs-node');
    return null;
  } catch (err) {
    return `${gpu ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node'} unavailable (${reasonOf(err)})`;
  }
}

let wasmDirInUse: string | null = null;

async function tryWasm(wasmDir: string): Promise<string | null> {
  const missing = WASM_FILES.filter((f) => !fs.existsSync(path.join(wasmDir, f)));
  if (missing.length === WASM_FILES.length) return `no .wasm files in ${wasmDir}`;
  try {
    if (wasmDirInUse === null) {
      setWasmPaths(wasmDir.endsWith(path.sep) || wasmDir.endsWith('/') ? wasmDir : wasmDir + path.sep);
      wasmDirInUse = wasmDir;
    }
    const ok = await tf.setBackend('wasm');
    return ok ? null : `the wasm backend did not initialise from ${wasmDirInUse}`;
  } catch (err) {
    return `the wasm backend failed (${reasonOf(err)})`;
  }
}

let active: TfjsBackendInfo | null = null;

async function startTfjsNode(preferGpu: boolean): Promise<string | null> {
  let failure = preferGpu ? tryTfjsNode(true) : 'not tried';
  if (failure !== null) failure = tryTfjsNode(false);
  if (failure !== null) return failure;
  return (await tf.setBackend('tensorflow')) ? null : 'the tensorflow backend did not initialise';
}

/**
 * Picks and initialises the TF.js backend for this process (TF.js keeps one global backend): tfjs-node
 * when it loads, else wasm, else cpu. A forced backend that cannot start is an error, not a fallback.
 * Calling it again with the same choice is free.
 */
export async function initTfjsBackend(options: TfjsBackendOptions = {}): Promise<TfjsBackendInfo> {
  const wanted = options.backend ?? 'auto';
  if (active && (wanted === 'auto' || wanted === active.kind)) return active;
  // Prod mode: no debug checks, and no "install tfjs-node" banner on stderr.
  tf.enableProdMode();
  const skipped: string[] = [];
  let kind: TfjsBackendKind | null = null;

  if (wanted === 'auto' || wanted === 'tfjs-node') {
    const failure = await startTfjsNode(options.preferGpu === true);
    if (failure === null) kind = 'tfjs-node';
    else skipped.push(failure);
  }
  if (kind === null && (wanted === 'auto' || wanted === 'tfjs-wasm')) {
    const failure = await tryWasm(options.wasmDir ?? defaultWasmDir());
    if (failure === null) kind = 'tfjs-wasm';
    else skipped.push(failure);
  }
  if (kind === null && wanted !== 'auto' && wanted !== 'tfjs-cpu') {
    throw new Error(`the ${wanted} backend cannot start: ${skipped.join('; ')}`);
  }
  if (kind === null) {
    if (!(await tf.setBackend('cpu'))) throw new Error(`no TF.js backend could start (${skipped.join('; ')})`);
    kind = 'tfjs-cpu';
  }
  await tf.ready();
  active = {
    kind,
    tfjsVersion: tf.version_core,
    // Node gives the wasm backend no worker threads; tfjs-node sizes its own pool to the cores.
    threads: kind === 'tfjs-node' ? os.cpus().length : 1,
    ...(skipped.length > 0 ? { note: `skipped: ${skipped.join('; ')}` } : {}),
  };
  return active;
}
