/**
 * bench:data's ImageNet-style section (issue 16): a folder of 500x375 JPEGs read with the evaluation
 * transform (resize the shorter side to 256, centre-crop 224, ImageNet mean/std into [batch, 3, 224, 224])
 * by sharp and by the JavaScript fallback, side by side with the CPU inference rate of a 224 px ResNet-18
 * (torchvision's, exported by bench/scripts/make_resnet18.py into a temp dir, never committed).
 * Goal: decoding + transform at >= 2x the ResNet-18's inference rate on the same machine.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPreprocessor, openDataset, resolvePreprocessing, selectIndices, streamBatches, type DatasetSource } from '../../src/core/dataset';
import { normalizeTransform } from '../../src/core/dataset/images/imageTransform';
import { loadSharp } from '../../src/core/dataset/images/sharpDecoder';
import { writeBytes, writeJpeg } from '../../test/unit/dataset/helpers/writers';
import { median } from './table';

export const RESNET18 = join(tmpdir(), 'collapse-lens-bench', 'resnet18.onnx');
const MAKE_RESNET18 = join(__dirname, '..', 'scripts', 'make_resnet18.py');
const JPEG_COUNT = 400;
const CLASSES = 10;
const WIDTH = 500;
const HEIGHT = 375;
const BATCH = 32;
const INPUT = ['batch', 3, 224, 224];
const TRANSFORM = normalizeTransform({ resizeShorter: 256, centerCrop: 224 });
const OPTIONS = resolvePreprocessing(null, { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225], transform: TRANSFORM }, null);

/** A photo-like 500x375 image: smooth colour fields, edges and noise (so the JPEGs are of a photo's size, ~60-90 KB). */
function photo(seed: number): Uint8Array {
  const px = new Uint8Array(WIDTH * HEIGHT * 3);
  let s = (seed * 2654435761) >>> 0;
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      s = (s * 1664525 + 1013904223) >>> 0;
      const noise = (s >>> 27) - 16;
      const i = (y * WIDTH + x) * 3;
      const edge = (x + seed * 13) % 97 < 48 ? 40 : -40;
      px[i] = 128 + 80 * Math.sin(x / (11 + seed) + y / 29) + noise;
      px[i + 1] = 128 + 70 * Math.cos(x / 37 - y / (9 + seed)) + edge;
      px[i + 2] = 128 + 60 * Math.sin((x + y) / 19 + seed) + noise;
    }
  }
  return px;
}

/** The JPEG folder (with sharp where it loads, 4:2:0 quality 90 as cameras write them; else jpeg-js). */
export async function prepareJpegs(dir: string): Promise<string> {
  const root = join(dir, 'jpeg');
  const sharp = loadSharp().sharp;
  for (let i = 0; i < JPEG_COUNT; i++) {
    const path = join(root, `class${i % CLASSES}`, `${String(i).padStart(4, '0')}.jpg`);
    const pixels = photo(i % 17);
    if (sharp) {
      mkdirSync(join(root, `class${i % CLASSES}`), { recursive: true });
      writeBytes(path, await sharp(pixels, { raw: { width: WIDTH, height: HEIGHT, channels: 3 } }).jpeg({ quality: 90, chromaSubsampling: '4:2:0' }).toBuffer());
    } else {
      writeJpeg(path, WIDTH, HEIGHT, pixels, 90);
    }
  }
  return root;
}

/** Exports the ResNet-18 once (python3 with torch and torchvision); null with the reason when it cannot. */
export function ensureResnet18(): string | null {
  if (existsSync(RESNET18)) return null;
  const r = spawnSync('/usr/bin/python3', [MAKE_RESNET18, RESNET18], { encoding: 'utf8', timeout: 10 * 60_000 });
  return r.status === 0 && existsSync(RESNET18) ? null : `could not export the ResNet-18 (${(r.stderr ?? '').trim().split('\n').pop()})`;
}

async function openFolder(root: string, decoder: 'auto' | 'javascript'): Promise<{ source: DatasetSource; indices: Int32Array }> {
  const source = await openDataset({ path: root, imageDecoder: decoder });
  const indices = selectIndices(await source.labels(), CLASSES, null, 0);
  await source.conformImages!({ height: 224, width: 224, channels: 3, fixedBy: 'model-input', resize: true, indices, transform: TRANSFORM });
  return { source, indices };
}

/** Images per second read, decoded, transformed and preprocessed into [batch, 3, 224, 224] (up to `limit` images). */
export async function decodeRate(root: string, decoder: 'auto' | 'javascript', limit: number): Promise<{ rate: number; cpuMs: number; decoder: string }> {
  const { source, indices } = await openFolder(root, decoder);
  const preprocess = buildPreprocessor(source, { shape: INPUT }, OPTIONS);
  const chosen = indices.subarray(0, limit);
  const start = performance.now();
  const cpu = process.cpuUsage();
  let rows = 0;
  for await (const batch of streamBatches(source, chosen, BATCH, preprocess, { prefetch: 2 })) rows += batch.count;
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  const info = source.describe().decoder as { name: string; version?: string; reason?: string };
  await source.close();
  if (rows !== chosen.length) throw new Error(`read ${rows} of ${chosen.length} images`);
  return { rate: rows / seconds, cpuMs: (used.user + used.system) / 1000 / rows, decoder: `${info.name}${info.version ? ` (${info.version})` : ''}${info.reason ? ` (${info.reason})` : ''}` };
}

/** One ResNet-18 session on the CPU with every core (issue 16: ratios against a bare pass that uses all cores). */
export async function resnetInference(): Promise<{ rate: () => Promise<{ rate: number; cpuMs: number }>; release: () => Promise<void>; threads: number }> {
  const ort = await import('onnxruntime-node');
  const threads = availableParallelism();
  const session = await ort.InferenceSession.create(RESNET18, { executionProviders: ['cpu'], intraOpNumThreads: threads });
  const data = new Float32Array(BATCH * 3 * 224 * 224).map((_, i) => Math.sin(i) * 0.5);
  const feeds = { [session.inputNames[0]!]: new ort.Tensor('float32', data, [BATCH, 3, 224, 224]) };
  await session.run(feeds); // warm-up: session start-up and the thread pool's first spin
  return {
    threads,
    rate: async () => {
      const runs = 3;
      const start = performance.now();
      const cpu = process.cpuUsage();
      for (let i = 0; i < runs; i++) await session.run(feeds);
      const used = process.cpuUsage(cpu);
      return { rate: (runs * BATCH) / ((performance.now() - start) / 1000), cpuMs: (used.user + used.system) / 1000 / (runs * BATCH) };
    },
    release: () => session.release(),
  };
}

export interface ImagenetRounds {
  sharp: number[];
  javascript: number[];
  resnet: number[];
  /** CPU milliseconds per image (every thread of the process): less sensitive to the machine's load than rates. */
  cpuMs: { sharp: number[]; javascript: number[]; resnet: number[] };
  sharpDecoder: string;
  jsDecoder: string;
  threads: number;
}

/**
 * Decoders and ResNet-18 measured alternately in one process, `rounds` times: the machine's load changes
 * from second to second, and the per-round ratio keeps most of that out. The JavaScript fallback reads
 * fewer images (a 500x375 JPEG takes it ~0.1 s).
 */
export async function imagenetRounds(root: string, rounds = 3): Promise<ImagenetRounds> {
  const net = await resnetInference();
  await decodeRate(root, 'auto', 64); // warm-up (JIT, sharp's first calls)
  const out: ImagenetRounds = { sharp: [], javascript: [], resnet: [], cpuMs: { sharp: [], javascript: [], resnet: [] }, sharpDecoder: '', jsDecoder: '', threads: net.threads };
  for (let r = 0; r < rounds; r++) {
    const sharp = await decodeRate(root, 'auto', JPEG_COUNT);
    const js = await decodeRate(root, 'javascript', 64);
    const resnet = await net.rate();
    out.sharp.push(sharp.rate);
    out.javascript.push(js.rate);
    out.resnet.push(resnet.rate);
    out.cpuMs.sharp.push(sharp.cpuMs);
    out.cpuMs.javascript.push(js.cpuMs);
    out.cpuMs.resnet.push(resnet.cpuMs);
    out.sharpDecoder = sharp.decoder;
    out.jsDecoder = js.decoder;
  }
  await net.release();
  return out;
}

/** The side-by-side table, for bench:data's output and docs/benchmarks.md. */
export function imagenetTable(r: ImagenetRounds): string {
  const resnet = median(r.resnet);
  const ratio = (rates: number[]): number => median(rates.map((rate, i) => rate / r.resnet[i]!));
  const cpu = (ms: number[]): string => median(ms).toFixed(1);
  const cpuRatio = (ms: number[]): string => `${(median(r.cpuMs.resnet) / median(ms)).toFixed(1)}x`;
  const rows: [string, number, string, string, string, string][] = [
    [`decode + resize 256 + crop 224, ${r.sharpDecoder.startsWith('sharp') ? 'sharp' : 'auto (sharp did not load)'}`, median(r.sharp), `${ratio(r.sharp).toFixed(1)}x`, cpu(r.cpuMs.sharp), cpuRatio(r.cpuMs.sharp), r.sharpDecoder],
    ['decode + resize 256 + crop 224, JavaScript fallback', median(r.javascript), `${ratio(r.javascript).toFixed(1)}x`, cpu(r.cpuMs.javascript), cpuRatio(r.cpuMs.javascript), r.jsDecoder],
    [`ResNet-18 224 px inference (onnxruntime-node, cpu, ${r.threads} threads)`, resnet, '1.0x', cpu(r.cpuMs.resnet), '1.0x', `batch ${BATCH}`],
  ];
  const lines = [
    `| ${['ImageNet-style folder: 500x375 JPEGs', 'img/s (median)', 'rate ratio to ResNet-18 (median per round)', 'CPU ms / image', 'CPU-cost ratio', 'note'].join(' | ')} |`,
    '|---|---:|---:|---:|---:|---|',
    ...rows.map(([name, rate, rel, ms, cpuRel, note]) => `| ${name} | ${rate.toFixed(1)} | ${rel} | ${ms} | ${cpuRel} | ${note} |`),
  ];
  const perRound = r.resnet.map((_, i) => `sharp ${r.sharp[i]!.toFixed(0)}, JavaScript ${r.javascript[i]!.toFixed(1)}, ResNet-18 ${r.resnet[i]!.toFixed(1)}`);
  return `${lines.join('\n')}\n\nper round (img/s): ${perRound.join('; ')}\ngoal: decoding at >= 2x the ResNet-18's rate`;
}
