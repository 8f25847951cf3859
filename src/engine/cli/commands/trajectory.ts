import type { CliCommand } from '../cli';
import { checkOutputTarget, writeJsonOutput } from '../outputFile';
import { UsageError } from '../../errors';
import { stderrProgress } from '../progressBar';
import { throttleProgress } from '../../progress';
import { analyzeCheckpoint } from '../../analyze/pipeline';
import { buildAnalyzeRequest } from './analyze';
import { buildTrajectory, listEpochCheckpoints, type TrajectoryResult } from '../../../core/compare';
import type { AnalysisResult } from '../../../core/result';

const USAGE = `Usage: collapse-lens trajectory <folder> --train <dataset> [--test <dataset>] [analyze options] [--out trajectory.json]

Analyses every checkpoint in a folder of epoch checkpoints (epoch read from the file names:
epoch_010.onnx, ckpt-e30.onnx, ...; TF.js checkpoints as <name>/model.json) on the same data, and
writes each metric against epoch for every layer (Papyan et al.'s figures, per depth).
Takes every option of collapse-lens analyze.`;

export const trajectoryCommand: CliCommand = {
  name: 'trajectory',
  summary: 'analyse a folder of epoch checkpoints and write each metric against epoch',
  usage: USAGE,
  async run(argv) {
    // The folder comes first, as in the usage line; the rest are analyze's own flags.
    const [folder, ...rest] = argv;
    if (folder === undefined || folder.startsWith('-')) throw new UsageError('trajectory needs the folder of checkpoints first (see collapse-lens trajectory --help)');
    // The flags are checked before the folder is read, and every request is built before the first
    // analysis, so a typo or an --out that cannot be written fails at once, not after the first epoch.
    buildAnalyzeRequest([folder, ...rest]);
    const checkpoints = await listEpochCheckpoints(folder);
    const requests = checkpoints.map((c) => ({ epoch: c.epoch, ...buildAnalyzeRequest([c.file, ...rest]) }));
    const { out } = requests[0].request;
    if (out) await checkOutputTarget(out);
    const runs: { epoch: number; result: AnalysisResult }[] = [];
    for (const [i, { epoch, request, quiet }] of requests.entries()) {
      delete request.out;
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
