import type { CliCommand } from '../cli';
import { checkOutputTarget, writeJsonOutput } from '../outputFile';
import { UsageError } from '../../errors';
import { stderrProgress } from '../progressBar';
import { throttleProgress } from '../../progress';
import { analyzeCheckpoint } from '../../analyze/pipeline';
import { buildAnalyzeRequest } from './analyze';
import { buildTrajectory, listEpochCheckpoints, type TrajectoryResult } from '../../../core/compare';
import type { AnalysisResult } from '../../../core/result';
import type { AnalyzeRequest } from '../../../protocol/engine';
import type { FlagSpec } from '../args';

const USAGE = `Usage: collapse-lens trajectory <folder> --train <dataset> [--test <dataset>] [analyze options] [--out trajectory.json]

Analyses every checkpoint in a folder of epoch checkpoints (epoch read from the file names:
epoch_010.onnx, ckpt-e30.onnx, ...; TF.js checkpoints as <name>/model.json) on the same data, and
writes each metric against epoch for every layer (Papyan et al.'s figures, per depth).
Takes every option of collapse-lens analyze.`;

/**
 * The command line of a command over a folder of epoch checkpoints (trajectory, watch): the folder first,
 * then analyze's flags (and the command's own, `extra`). The flags are checked before the folder is read,
 * so a typo fails at once, not after the first epoch. `requestFor` builds one checkpoint's request.
 */
export function parseFolderCommand(command: string, argv: string[], extra: FlagSpec = {}) {
  const [folder, ...rest] = argv;
  if (folder === undefined || folder.startsWith('-')) throw new UsageError(`${command} needs the folder of checkpoints first (see collapse-lens ${command} --help)`);
  const base = buildAnalyzeRequest([folder, ...rest], extra);
  // A folder's checkpoints are each analysed whole; cutting them over machines is analyze's (docs/shards.md).
  if (base.shard) throw new UsageError(`${command} analyses whole checkpoints: --shard/--phase/--means are for collapse-lens analyze`);
  return {
    folder,
    /** The request as given on the command line (its checkpoint is the folder): the settings every epoch shares. */
    request: base.request,
    out: base.request.out,
    quiet: base.quiet,
    flags: base.flags,
    /** One checkpoint's request; without `out` (that is the trajectory's, not each analysis's). */
    requestFor(file: string): AnalyzeRequest {
      const { request } = buildAnalyzeRequest([file, ...rest], extra);
      delete request.out;
      return request;
    },
  };
}

export const trajectoryCommand: CliCommand = {
  name: 'trajectory',
  summary: 'analyse a folder of epoch checkpoints and write each metric against epoch',
  usage: USAGE,
  async run(argv) {
    const { folder, out, quiet, requestFor } = parseFolderCommand('trajectory', argv);
    // Every request is built before the first analysis, and --out checked: no failure after the first epoch.
    const checkpoints = await listEpochCheckpoints(folder);
    const requests = checkpoints.map((c) => ({ epoch: c.epoch, request: requestFor(c.file) }));
    if (out) await checkOutputTarget(out);
    const runs: { epoch: number; result: AnalysisResult }[] = [];
    for (const [i, { epoch, request }] of requests.entries()) {
      if (!quiet) process.stderr.write(`epoch ${epoch} (${i + 1}/${requests.length}): ${request.checkpoint}\n`);
      runs.push({ epoch, result: await analyzeCheckpoint(request, { onProgress: throttleProgress(stderrProgress(quiet)) }) });
    }
    const trajectory: TrajectoryResult = buildTrajectory(runs);
    await writeJsonOutput(trajectory, out);
    if (out) process.stdout.write(`trajectory of ${runs.length} epochs (${trajectory.epochs.join(', ')}) over ${trajectory.layers.length} layers written to ${out}\n`);
    // Every epoch's warnings, with or without --out (the JSON may have stdout to itself): never dropped.
    for (const w of trajectory.warnings) process.stderr.write(`warning: ${w}\n`);
    return 0;
  },
};
