/**
 * Dataset throughput: images per second read, decoded and preprocessed into the CNN's input, for the full
 * Fashion-MNIST training set (IDX gzipped and plain, .npz deflated) and a PNG folder of 5,000 of its
 * images (read by the decoding worker threads, as the engine does, and on the main thread alone for
 * comparison); peak RSS and RSS growth while streaming (it must not grow with N); and beside it the CNN's
 * inference rate with onnxruntime-node on the same 28x28 batches, when test/fixtures/models/cnn.onnx exists.
 * Goal: decoding at least 3x faster than CPU inference.
 *
 * Then the ImageNet-style section (bench/lib/imagenetData.ts): 500x375 JPEGs through resize 256 + crop
 * 224 with sharp and with the JavaScript fallback, beside a 224 px ResNet-18's CPU inference rate.
 *
 *   npm run bench:data                 (node --import tsx bench/data.ts)
 *   npm run bench:data -- --imagenet   the ImageNet-style section alone
 *
 * Each measurement runs in its own child process so that its peak RSS is its own.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { writeNpz, writePng } from '../test/unit/dataset/helpers/writers';
import { runChild, sendReport, type Report } from './lib/childReport';
import { FASHION_MNIST_DIR } from './lib/fashionMnist';
import { median } from './lib/table';
import { buildPreprocessor, openDataset, resolvePreprocessing, selectIndices, streamBatches, type DatasetSource, type DatasetSpec } from '../src/core/dataset';
import { ImageFolderSource } from '../src/core/dataset/images/imageFolderSource';
import { sharedDecodePool } from '../src/core/dataset/images/decodePool';
import { ensureResnet18, imagenetRounds, imagenetTable, prepareJpegs, type ImagenetRounds } from './lib/imagenetData';

const TRAIN_IMAGES = join(FASHION_MNIST_DIR, 'train-images-idx3-ubyte.gz');
const TRAIN_LABELS = join(FASHION_MNIST_DIR, 'train-labels-idx1-ubyte.gz');
const CNN = join(__dirname, '..', 'test', 'fixtures', 'models', 'cnn.onnx');
const BATCH = 256;
const PNG_COUNT = 5000;
const INFERENCE_IMAGES = 10240;
const INPUT_SHAPE = ['batch', 1, 28, 28];
const OPTIONS = resolvePreprocessing(null, { mean: [0.286], std: [0.353] }, null);

interface PhaseResult {
  name: string;
  images: number;
  seconds: number;
  openSeconds: number;
  /** The largest RSS sampled after each batch (the process's peak is the report's maxRssMiB). */
  sampledPeakMB: number;
  rssAt10MB: number;
  rssEndMB: number;
  note?: string;
}

const mb = (bytes: number): number => bytes / 1048576;

/**
 * Streams every sample through preprocessing, sampling RSS as it goes. With `passes` > 1 the last pass is
 * the one timed (the first pays for JIT warm-up, which a 5,000-file folder does not amortise).
 */
async function streamPhase(name: string, spec: DatasetSpec, note: string, passes = 1, open: () => Promise<DatasetSource> = () => openDataset(spec)): Promise<PhaseResult> {
  const t0 = performance.now();
  const source = await open();
  const labels = await source.labels();
  const indices = selectIndices(labels, 10, null, 0);
  const preprocess = buildPreprocessor(source, { shape: INPUT_SHAPE }, OPTIONS);
  const t1 = performance.now();
  const batches = Math.ceil(indices.length / BATCH);
  const rates: number[] = [];
  let rssAt10 = 0;
  let sampledPeak = 0;
  let checksum = 0;
  let seconds = 0;
  for (let pass = 0; pass < passes; pass++) {
    const start = performance.now();
    let seen = 0;
    for await (const batch of streamBatches(source, indices, BATCH, preprocess, { prefetch: 2 })) {
      seen++;
      checksum += batch.input[batch.input.length - 1]!;
      const rss = process.memoryUsage().rss;
      sampledPeak = Math.max(sampledPeak, rss);
      if (pass === 0 && seen === Math.ceil(batches / 10)) rssAt10 = rss;
    }
    seconds = (performance.now() - start) / 1000;
    rates.push(indices.length / seconds);
  }
  const rssEnd = process.memoryUsage().rss;
  await source.close();
  if (!Number.isFinite(checksum)) throw new Error(`${name}: non-finite input`);
  const passNote = passes > 1 ? `; timed pass ${passes} of ${passes}, first pass ${rates[0]!.toFixed(0)} img/s` : '';
  return {
    name,
    images: indices.length,
    seconds,
    openSeconds: (t1 - t0) / 1000,
    sampledPeakMB: mb(sampledPeak),
    rssAt10MB: mb(rssAt10),
    rssEndMB: mb(rssEnd),
    note: note + passNote,
  };
}

/** CNN inference alone, on batches prepared beforehand (not timed). */
async function inferencePhase(): Promise<PhaseResult> {
  const ort = await import('onnxruntime-node');
  const t0 = performance.now();
  const session = await ort.InferenceSession.create(CNN, { executionProviders: ['cpu'] });
  const source = await openDataset({ path: TRAIN_IMAGES });
  const preprocess = buildPreprocessor(source, { shape: INPUT_SHAPE }, OPTIONS);
  const indices = Int32Array.from({ length: INFERENCE_IMAGES }, (_, i) => i);
  const inputs: Float32Array[] = [];
  for await (const batch of streamBatches(source, indices, BATCH, preprocess)) inputs.push(batch.input);
  await source.close();
  const input = session.inputNames[0]!;
  // Warm-up runs so session start-up and the thread pool's first spin are not counted.
  for (let i = 0; i < 5; i++) await session.run({ [input]: new ort.Tensor('float32', inputs[i]!, [inputs[i]!.length / 784, 1, 28, 28]) });
  const t1 = performance.now();
  for (const data of inputs) await session.run({ [input]: new ort.Tensor('float32', data, [data.length / 784, 1, 28, 28]) });
  const t2 = performance.now();
  await session.release();
  return {
    name: 'CNN inference (onnxruntime-node, cpu)',
    images: INFERENCE_IMAGES,
    seconds: (t2 - t1) / 1000,
    openSeconds: (t1 - t0) / 1000,
    sampledPeakMB: 0,
    rssAt10MB: 0,
    rssEndMB: mb(process.memoryUsage().rss),
    note: `${cpus().length} cores, default threads`,
  };
}

/** Decode + preprocess + inference in one loop, as the engine runs them (prefetch 2). */
async function pipelinePhase(spec: DatasetSpec, name: string, note: string): Promise<PhaseResult> {
  const ort = await import('onnxruntime-node');
  const session = await ort.InferenceSession.create(CNN, { executionProviders: ['cpu'] });
  const source = await openDataset(spec);
  const preprocess = buildPreprocessor(source, { shape: INPUT_SHAPE }, OPTIONS);
  const indices = selectIndices(await source.labels(), 10, null, 0).subarray(0, INFERENCE_IMAGES);
  const input = session.inputNames[0]!;
  const t1 = performance.now();
  for await (const batch of streamBatches(source, indices, BATCH, preprocess, { prefetch: 2 })) {
    await session.run({ [input]: new ort.Tensor('float32', batch.input, [batch.count, 1, 28, 28]) });
  }
  const t2 = performance.now();
  await source.close();
  await session.release();
  return {
    name,
    images: indices.length,
    seconds: (t2 - t1) / 1000,
    openSeconds: 0,
    sampledPeakMB: 0,
    rssAt10MB: 0,
    rssEndMB: mb(process.memoryUsage().rss),
    note,
  };
}

/**
 * The load on a shared machine changes from second to second; measuring decoder and CNN alternately in one
 * process, several rounds, and taking the median of the per-round ratios keeps that out of the ratio.
 */
interface Round {
  /** PNG folder through the decoding workers (as the engine reads it), and on the main thread alone. */
  png: number;
  pngHere: number;
  idx: number;
  cnn: number;
}

/** The PNG folder read on the main thread only, as before the decoding workers. */
const pngHere = (dir: string): Promise<DatasetSource> => ImageFolderSource.open(join(dir, 'png'), false, {}, null);

async function interleavedPhase(dir: string): Promise<{ rounds: Round[] }> {
  const ort = await import('onnxruntime-node');
  const session = await ort.InferenceSession.create(CNN, { executionProviders: ['cpu'] });
  const inputName = session.inputNames[0]!;
  const rate = async (spec: DatasetSpec, limit: number, open: () => Promise<DatasetSource> = () => openDataset(spec)): Promise<number> => {
    const source = await open();
    const preprocess = buildPreprocessor(source, { shape: INPUT_SHAPE }, OPTIONS);
    const indices = selectIndices(await source.labels(), 10, null, 0).subarray(0, limit);
    const start = performance.now();
    for await (const batch of streamBatches(source, indices, BATCH, preprocess)) if (batch.count === 0) throw new Error('empty batch');
    const seconds = (performance.now() - start) / 1000;
    await source.close();
    return indices.length / seconds;
  };
  const idxSource = await openDataset({ path: join(dir, 'train-images-idx3-ubyte') });
  const preprocess = buildPreprocessor(idxSource, { shape: INPUT_SHAPE }, OPTIONS);
  const inputs: Float32Array[] = [];
  for await (const batch of streamBatches(idxSource, Int32Array.from({ length: PNG_COUNT }, (_, i) => i), BATCH, preprocess)) inputs.push(batch.input);
  await idxSource.close();
  const inference = async (): Promise<number> => {
    const start = performance.now();
    for (const data of inputs) await session.run({ [inputName]: new ort.Tensor('float32', data, [data.length / 784, 1, 28, 28]) });
    return PNG_COUNT / ((performance.now() - start) / 1000);
  };
  await rate({ path: join(dir, 'png') }, PNG_COUNT);
  await rate({ path: join(dir, 'png') }, PNG_COUNT, () => pngHere(dir));
  await inference();
  const rounds: Round[] = [];
  for (let r = 0; r < 5; r++) {
    rounds.push({
      png: await rate({ path: join(dir, 'png') }, PNG_COUNT),
      pngHere: await rate({ path: join(dir, 'png') }, PNG_COUNT, () => pngHere(dir)),
      idx: await rate({ path: TRAIN_IMAGES }, 20000),
      cnn: await inference(),
    });
  }
  await session.release();
  return { rounds };
}

/** Test data for the phases: plain IDX, a deflated .npz of the training set, and a PNG folder. */
function prepare(dir: string): void {
  const images = gunzipSync(readFileSync(TRAIN_IMAGES));
  const labels = gunzipSync(readFileSync(TRAIN_LABELS));
  writeFileSync(join(dir, 'train-images-idx3-ubyte'), images);
  writeFileSync(join(dir, 'train-labels-idx1-ubyte'), labels);
  const count = images.readUInt32BE(4);
  writeNpz(join(dir, 'train.npz'), { x: { data: images.subarray(16), shape: [count, 28, 28] }, y: { data: labels.subarray(8), shape: [count] } }, true);
  for (let i = 0; i < PNG_COUNT; i++) {
    const folder = join(dir, 'png', String(labels[8 + i]));
    mkdirSync(folder, { recursive: true });
    writePng(join(folder, `${String(i).padStart(5, '0')}.png`), 28, 28, 1, images.subarray(16 + i * 784, 16 + (i + 1) * 784));
  }
}

async function runPhase(phase: string, dir: string): Promise<PhaseResult | { prepared: number }> {
  switch (phase) {
    case 'prepare': {
      const t = performance.now();
      prepare(dir);
      return { prepared: (performance.now() - t) / 1000 };
    }
    case 'idx-gz':
      return streamPhase('Fashion-MNIST train, IDX .gz', { path: TRAIN_IMAGES }, 'gunzip once into memory (47 MB), in open time');
    case 'idx':
      return streamPhase('Fashion-MNIST train, IDX plain', { path: join(dir, 'train-images-idx3-ubyte') }, 'read by offset');
    case 'npz':
      return streamPhase('Fashion-MNIST train, .npz deflated', { path: join(dir, 'train.npz') }, 'streaming inflate + CRC');
    case 'png':
      return streamPhase(`PNG folder (${PNG_COUNT} files)`, { path: join(dir, 'png') }, `one file per image, ${sharedDecodePool()?.size ?? 0} decoding workers`, 2);
    case 'png-here':
      return streamPhase(`PNG folder, main thread only`, { path: join(dir, 'png') }, 'the same without workers', 2, () => pngHere(dir));
    case 'cnn':
      return inferencePhase();
    case 'interleaved':
      return interleavedPhase(dir) as unknown as PhaseResult;
    case 'pipeline-png':
      return pipelinePhase({ path: join(dir, 'png') }, 'PNG folder -> CNN, end to end', 'decoding workers beside inference, prefetch 2');
    case 'imagenet-prepare':
      await prepareJpegs(dir);
      return { prepared: 0 };
    case 'imagenet':
      return (await imagenetRounds(join(dir, 'jpeg'))) as unknown as PhaseResult;
    case 'pipeline-idx':
      return pipelinePhase({ path: TRAIN_IMAGES }, 'IDX .gz -> CNN, end to end', 'decode and inference on one thread, prefetch 2');
    default:
      throw new Error(`unknown phase ${phase}`);
  }
}

/** A phase's result with the child's peak RSS (getrusage), which sendReport adds. */
type PhaseReport = PhaseResult & { maxRssMiB: number };

function runPhaseChild<T = PhaseReport>(phase: string, dir: string): T {
  return runChild(__filename, ['--phase', phase, dir]) as unknown as T;
}

async function main(): Promise<void> {
  if (process.argv[2] === '--phase') {
    sendReport((await runPhase(process.argv[3]!, process.argv[4]!)) as unknown as Report);
    return;
  }
  if (process.argv[2] === '--imagenet') {
    imagenetSection();
    return;
  }
  if (!existsSync(TRAIN_IMAGES)) {
    console.log(`${TRAIN_IMAGES} is missing: apt-get install dataset-fashion-mnist (scripts/install-system.sh). Nothing measured.`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'cl-bench-data-'));
  try {
    // In a child too: Linux carries a parent's peak RSS over into the getrusage of the children it starts.
    const { prepared } = runPhaseChild<{ prepared: number }>('prepare', dir);
    console.log(`prepared plain IDX, deflated .npz and ${PNG_COUNT} PNGs in ${prepared.toFixed(1)} s (not measured)\n`);
    const decode = ['idx-gz', 'idx', 'npz', 'png', 'png-here'].map((p) => runPhaseChild(p, dir));
    const haveCnn = existsSync(CNN);
    const cnn = haveCnn ? runPhaseChild('cnn', dir) : null;
    const pipelines = haveCnn ? ['pipeline-idx', 'pipeline-png'].map((p) => runPhaseChild(p, dir)) : [];
    const cnnRate = cnn ? cnn.images / cnn.seconds : null;

    const header = ['source'.padEnd(38), 'images'.padStart(7), 'open s'.padStart(7), 'img/s'.padStart(9), 'peak RSS'.padStart(9), 'RSS 10%->end (max)'.padStart(19), 'vs CNN'.padStart(7), '  note'];
    console.log(header.join(' '));
    console.log('-'.repeat(130));
    for (const r of [...decode, ...(cnn ? [cnn] : []), ...pipelines]) {
      const rate = r.images / r.seconds;
      const growth = r.rssAt10MB ? `${r.rssAt10MB.toFixed(0)}->${r.rssEndMB.toFixed(0)} (${r.sampledPeakMB.toFixed(0)}) MB` : '';
      const ratio = cnnRate && decode.includes(r) ? `${(rate / cnnRate).toFixed(1)}x` : '';
      console.log(
        [
          r.name.padEnd(38),
          String(r.images).padStart(7),
          r.openSeconds.toFixed(2).padStart(7),
          rate.toFixed(0).padStart(9),
          `${r.maxRssMiB.toFixed(0)} MB`.padStart(9),
          growth.padStart(19),
          ratio.padStart(7),
          `  ${r.note ?? ''}`,
        ].join(' '),
      );
    }
    if (!cnn) console.log(`\nCNN column skipped: ${CNN} does not exist yet.`);
    else {
      // The engine's decoders: the main-thread PNG row is there for comparison only.
      const slowest = Math.min(...decode.slice(0, 4).map((r) => r.images / r.seconds));
      console.log(`\nslowest decoder / CNN inference = ${(slowest / cnnRate!).toFixed(1)}x (goal: >= 3x)`);
      const { rounds } = runPhaseChild<{ rounds: Round[] }>('interleaved', dir);
      console.log('\ninterleaved in one process, 5 rounds (img/s):');
      for (const r of rounds) {
        console.log(`  PNG ${r.png.toFixed(0).padStart(6)}   PNG main thread only ${r.pngHere.toFixed(0).padStart(6)}   IDX .gz ${r.idx.toFixed(0).padStart(6)}   CNN ${r.cnn.toFixed(0).padStart(6)}`);
      }
      const ratio = (key: keyof Round) => median(rounds.map((r) => r[key] / r.cnn)).toFixed(1);
      console.log(`  median ratio to CNN: PNG folder ${ratio('png')}x (main thread only ${ratio('pngHere')}x), IDX .gz ${ratio('idx')}x`);
      console.log(`  median speed-up of the decoding workers: ${median(rounds.map((r) => r.png / r.pngHere)).toFixed(2)}x`);
    }
    console.log(`batch ${BATCH}, prefetch 2, input [batch, 1, 28, 28], Node ${process.version}, ${cpus().length} cores (shared machine: rates vary between runs)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  imagenetSection();
}

/** The ImageNet-style folder against a 224 px ResNet-18, in its own temp dir and child processes. */
function imagenetSection(): void {
  const missing = ensureResnet18();
  if (missing) {
    console.log(`\nImageNet-style section skipped: ${missing}`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'cl-bench-imagenet-'));
  try {
    runPhaseChild('imagenet-prepare', dir);
    const rounds = runPhaseChild<ImagenetRounds>('imagenet', dir);
    console.log(`\nImageNet-style folder, ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} at the end:\n`);
    console.log(imagenetTable(rounds));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
