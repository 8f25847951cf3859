import type { CliCommand } from '../cli';
import { emitJson } from '../cli';
import { messageOf, UserError } from '../../errors';
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
    if (folder === undefined || folder.startsWith('-')) throw new UserError('trajectory needs the folder of checkpoints first (see collapse-lens trajectory --help)');
    let checkpoints;
    try {
      checkpoints = await listEpochCheckpoints(folder);
    } catch (err) {
      throw new UserError(messageOf(err));
    }
    const runs: { epoch: number; result: AnalysisResult }[] = [];
    let out: string | undefined;
    let quiet = false;
    for (const [i, c] of checkpoints.entries()) {
      const built = buildAnalyzeRequest([c.file, ...rest]);
      out = built.request.out;
      quiet = built.quiet;
      delete built.request.out;
      if (!quiet) process.stderr.write(`epoch ${c.epoch} (${i + 1}/${checkpoints.length}): ${c.file}\n`);
      runs.push({ epoch: c.epoch, result: await analyzeCheckpoint(built.request, { onProgress: throttleProgress(stderrProgress(quiet)) }) });
    }
    const trajectory: TrajectoryResult = buildTrajectory(runs);
    emitJson(trajectory, out);
    if (out) process.stdout.write(`trajectory of ${runs.length} epochs (${trajectory.epochs.join(', ')}) over ${trajectory.layers.length} layers written to ${out}\n`);
    return 0;
  },
};
