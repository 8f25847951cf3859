import type { CliCommand } from '../cli';
import { choiceFlag, intFlag, listItems, numberFlag, parse, stringFlag, type FlagSpec, type Parsed } from '../args';
import { UsageError } from '../../errors';
import { checkOutputTarget, writeJsonOutput } from '../outputFile';
import { imageDecoderFlag, parsePreprocessingFlags, PREPROCESSING_FLAGS, PREPROCESSING_USAGE } from '../preprocessingFlags';
import { stderrProgress } from '../progressBar';
import { formatLayerTable, runNotes } from '../table';
import { throttleProgress } from '../../progress';
import { analyzeCheckpoint } from '../../analyze/pipeline';
import type { AnalyzeRequest, DatasetSpec } from '../../../protocol/engine';
import type { LayerSelection } from '../../../core/model/types';
import { parseReductionRequest, type ReductionRequest } from '../../../core/model/reduction';
import { messageOf } from '../../../core/messageOf';
import { parseShardSpec, type ShardSpec } from '../../shards/slice';
import { runShardPassOne, runShardPassTwo } from '../../shards/runShard';
import { PASS_ONE_SCHEMA, PASS_TWO_SCHEMA, writeShardFile } from '../../shards/shardFile';

const FLAGS: FlagSpec = {
  train: { type: 'string' },
  test: { type: 'string' },
  'train-labels': { type: 'string' },
  'test-labels': { type: 'string' },
  arrays: { type: 'string' },
  'cifar-labels': { type: 'string' },
  layers: { type: 'string' },
  reduce: { type: 'string' },
  'per-class': { type: 'string' },
  'batch-size': { type: 'string' },
  provider: { type: 'string' },
  threads: { type: 'string' },
  seed: { type: 'string' },
  epsilon: { type: 'string' },
  ...PREPROCESSING_FLAGS,
  strict: { type: 'boolean' },
  shard: { type: 'string' },
  phase: { type: 'string' },
  means: { type: 'string' },
  out: { type: 'string', short: 'o' },
  table: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
};

const USAGE = `Usage: collapse-lens analyze <checkpoint> --train <dataset> [--test <dataset>] [options]

Runs the checkpoint (.onnx, or a TF.js model.json) on a labelled dataset and computes NC1-NC4, the
simplex-ETF geometry, CDNV and nearest-class-centre accuracy at every probed layer.

Datasets (detected by content): an ImageFolder root (one folder per class; or a root with train/ and
test/), an .npz (x/y or images/labels), an .npy images file (labels .npy found by name), IDX files
(MNIST / Fashion-MNIST naming, gzipped or not, or their folder), CIFAR-10/100 binary batches.
When --train and --test name the same folder, its train and test parts are used.

Options:
  --train <path>            training split (required)
  --test <path>             held-out split
  --train-labels <path>     labels file when it cannot be found by name (also --test-labels)
  --arrays x,y              array names inside an .npz
  --cifar-labels fine|coarse  CIFAR-100 label kind (default fine)
  --layers auto|all|a,b,c   probes: one per block (a ResNet block at the activation after its Add, a
                            transformer block at its last sum), other activations, pooling, flatten,
                            classifier input and logits (auto, default; collapse-lens layers marks them *);
                            every float tensor (all); or tensor names
  --reduce auto|flatten|gap|cls|mean[,<layer>=<reduction>...]
                            how each probed tensor becomes a feature vector: flatten (the whole tensor),
                            gap (channel means of a C x H x W map), cls (token 0 of a T x D token tensor),
                            mean (mean over the tokens). auto (default): flatten, except a transformer's
                            token tensors: cls when it has a class token, else mean. One reduction applies
                            where it fits (the other layers are flattened); <layer>=<reduction> sets one
                            layer and is refused where it does not fit. Each layer's reduction is in the
                            result and the table
  --per-class N             balanced, seeded subsample of at most N per class (default: all)
  --batch-size B            inference batch size (default 64)
  --provider auto|cpu|cuda  onnxruntime execution provider (default auto: CUDA when present, else CPU)
  --threads T               intra-op threads (default 0 = every available core)
  --seed S                  subsampling seed (default 0)
  --epsilon E               NCC error threshold of the effective depth (default 0.01)
${PREPROCESSING_USAGE}
  --strict                  fail on the first corrupt image instead of skipping it
  --shard i/n --phase 1     one shard of a run cut over machines (docs/shards.md): pass 1's sums over the
                            i-th of n slices of each split, to --out; \`collapse-lens merge\` makes the means
  --shard i/n --phase 2 --means <file>
                            pass 2 of the i-th slice against the merged means, to --out; \`collapse-lens
                            merge\` of the n phase-2 files writes the result JSON
  --out, -o <file>          write the result JSON there (and print the per-layer table)
  --table                   print the per-layer table even without --out (on stderr)
  --quiet, -q               no progress on stderr`;

function datasetSpec(path: string, labels: string | undefined, flags: Parsed['flags'], split: 'train' | 'test'): DatasetSpec {
  const spec: DatasetSpec = { path, split };
  if (labels) spec.labelsPath = labels;
  const arrays = listItems(flags, 'arrays');
  if (arrays) {
    if (arrays.length !== 2) throw new UsageError(`--arrays: expected "x,y" (the images and labels array names), got "${String(flags.arrays)}"`);
    spec.arrays = { x: arrays[0], y: arrays[1] };
  }
  if (flags['cifar-labels'] !== undefined) spec.labelKind = choiceFlag(flags, 'cifar-labels', ['fine', 'coarse'] as const, 'fine');
  if (flags['image-decoder'] !== undefined) spec.imageDecoder = imageDecoderFlag(flags);
  return spec;
}

function layerSelection(flags: Parsed['flags']): LayerSelection {
  const raw = stringFlag(flags, 'layers');
  if (raw === undefined || raw === 'auto') return 'auto';
  if (raw === 'all') return 'all';
  return listItems(flags, 'layers') ?? 'auto';
}

/** One shard's step of a sharded analysis (docs/shards.md). */
export type ShardStep = { spec: ShardSpec; phase: 1 } | { spec: ShardSpec; phase: 2; means: string };

function shardStep(flags: Parsed['flags']): ShardStep | null {
  const shard = stringFlag(flags, 'shard');
  const phase = flags.phase === undefined ? undefined : (intFlag(flags, 'phase', 1, 1, 2) as 1 | 2);
  const means = stringFlag(flags, 'means');
  if (shard === undefined) {
    if (phase !== undefined || means !== undefined) throw new UsageError(`--${phase !== undefined ? 'phase' : 'means'} goes with --shard i/n (see docs/shards.md)`);
    return null;
  }
  const spec = parseShardSpec(shard);
  if (phase === undefined) throw new UsageError('--shard needs --phase 1 (class sums) or --phase 2 (with --means)');
  if (!stringFlag(flags, 'out')) throw new UsageError(`--shard ${shard} --phase ${phase} writes a shard file: give it a path with --out`);
  if (phase === 1) {
    if (means !== undefined) throw new UsageError('--means goes with --phase 2; phase 1 computes what the means are merged from');
    return { spec, phase };
  }
  if (means === undefined) throw new UsageError('--phase 2 needs --means <file>, the merge of the phase-1 shard files');
  return { spec, phase, means };
}

/**
 * The analysis request the command line asks for. `extra`: flags of a command built on analyze (watch's
 * --poll-ms...), accepted here and handed back in `flags` for that command to read.
 */
export function buildAnalyzeRequest(argv: string[], extra: FlagSpec = {}): { request: AnalyzeRequest; quiet: boolean; table: boolean; flags: Parsed['flags']; shard: ShardStep | null } {
  const { positionals, flags } = parse(argv, { ...FLAGS, ...extra });
  if (positionals.length !== 1) throw new UsageError(`analyze takes one checkpoint, got ${positionals.length === 0 ? 'none' : positionals.join(' ')} (see collapse-lens analyze --help)`);
  const train = stringFlag(flags, 'train');
  if (!train) throw new UsageError('analyze needs --train <dataset> (see collapse-lens analyze --help)');
  const test = stringFlag(flags, 'test');
  const preprocessing = parsePreprocessingFlags(flags);
  const reduceText = stringFlag(flags, 'reduce');
  let reduction: ReductionRequest | undefined;
  try {
    reduction = reduceText === undefined ? undefined : parseReductionRequest(reduceText);
  } catch (err) {
    throw new UsageError(messageOf(err));
  }
  const perClass = flags['per-class'] === undefined ? null : intFlag(flags, 'per-class', 0, 1);
  const request: AnalyzeRequest = {
    checkpoint: positionals[0],
    train: datasetSpec(train, stringFlag(flags, 'train-labels'), flags, 'train'),
    layers: layerSelection(flags),
    ...(reduction ? { reduction } : {}),
    perClass,
    batchSize: intFlag(flags, 'batch-size', 64, 1),
    provider: choiceFlag(flags, 'provider', ['auto', 'cpu', 'cuda'] as const, 'auto'),
    threads: intFlag(flags, 'threads', 0, 0),
    // The sampler keeps 32 bits of the seed: a larger one would silently pick another seed's samples.
    seed: intFlag(flags, 'seed', 0, 0, 2 ** 32 - 1),
    epsilon: numberFlag(flags, 'epsilon', 0.01, (n) => n >= 0 && n < 1, 'a number in [0, 1)'),
    preprocessing,
    strict: flags.strict === true,
  };
  if (test) request.test = datasetSpec(test, stringFlag(flags, 'test-labels'), flags, 'test');
  const out = stringFlag(flags, 'out');
  if (out) request.out = out;
  return { request, quiet: flags.quiet === true, table: flags.table === true, flags, shard: shardStep(flags) };
}

export const analyzeCommand: CliCommand = {
  name: 'analyze',
  summary: 'run a checkpoint on a dataset and compute the per-layer collapse metrics',
  usage: USAGE,
  async run(argv) {
    const { request, quiet, table, shard } = buildAnalyzeRequest(argv);
    // Before minutes of inference, not after: a folder that is missing or not writable is a one-line fix.
    if (request.out) await checkOutputTarget(request.out);
    if (shard) return runShardStep(request, shard, quiet);
    const result = await analyzeCheckpoint(request, { onProgress: throttleProgress(stderrProgress(quiet)) });
    await writeJsonOutput(result, request.out);
    if (request.out) process.stdout.write(formatLayerTable(result) + `\n\nresult written to ${request.out}\n`);
    else if (table) process.stderr.write(formatLayerTable(result) + '\n');
    // JSON on stdout and no table: the preprocessing line and the warnings (skipped, resized, converted
    // images...) still reach the screen, on stderr.
    else process.stderr.write(runNotes(result, quiet));
    return 0;
  },
};

/** One shard's phase, its file written to --out. */
async function runShardStep(request: AnalyzeRequest, step: ShardStep, quiet: boolean): Promise<number> {
  const hooks = { onProgress: throttleProgress(stderrProgress(quiet)) };
  const out = request.out as string;
  const { index, count } = step.spec;
  if (step.phase === 1) await writeShardFile(out, PASS_ONE_SCHEMA, await runShardPassOne(request, step.spec, hooks));
  else await writeShardFile(out, PASS_TWO_SCHEMA, await runShardPassTwo(request, step.spec, step.means, hooks));
  process.stdout.write(`shard ${index}/${count}, phase ${step.phase}, written to ${out}\n`);
  return 0;
}
