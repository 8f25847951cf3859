import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { CliCommand } from '../cli';
import { parse, stringFlag, type FlagSpec } from '../args';
import { checkOutputTarget, writeJsonOutput } from '../outputFile';
import { formatClassifierTable } from '../classifierTable';
import { UsageError } from '../../errors';
import { TOOL_VERSION } from '../../version';
import { classifierReport, type CheckpointClassifierEntry } from '../../../core/classifierReport';
import { describeCheckpointClassifier } from '../../../core/model/describeClassifier';
import { listEpochCheckpoints } from '../../../core/compare';

const FLAGS: FlagSpec = { out: { type: 'string', short: 'o' }, json: { type: 'boolean' } };

const USAGE = `Usage: collapse-lens classifier <checkpoint|folder>... [--out classifier.json] [--json]

The classifier's geometry from the checkpoint's weights alone (no dataset, no inference): for the rows
w_c of the last linear layer, centred by their mean, the equinorm, equiangularity, max-angle and
distance to a simplex ETF, the row norms, the bias spread and the K x K cosines (NC2 on the classifier).
A folder of epoch checkpoints (epoch_010.onnx, ..., or <epoch>/model.json) gives one row per epoch.

Prints one row per checkpoint; a checkpoint without a classifier gets a line saying why.
Exit status: 0 when every checkpoint was read and at least one has a classifier; 1 when one could not
be read, or none has a classifier (the table and --out are still written); 2 for a wrong command line.

Options:
  --out, -o <file>   also write the numbers as JSON (schema collapse-lens/classifier@1)
  --json             print the JSON instead of the table`;

/**
 * The checkpoints named: a folder that is itself one checkpoint (a model.json, or a single .onnx) is
 * read as one; a folder of several is read as epochs.
 */
async function expand(path: string): Promise<{ path: string; epoch?: number }[]> {
  const info = await stat(path).catch(() => null);
  if (!info?.isDirectory()) return [{ path }];
  if (await stat(join(path, 'model.json')).catch(() => null)) return [{ path }];
  const epochs = await listEpochCheckpoints(path);
  return epochs.length === 1 ? [{ path: epochs[0].file }] : epochs.map((e) => ({ path: e.file, epoch: e.epoch }));
}

export const classifierCommand: CliCommand = {
  name: 'classifier',
  summary: "the classifier's geometry from the weights alone (no dataset)",
  usage: USAGE,
  async run(argv) {
    const { positionals, flags } = parse(argv, FLAGS);
    if (positionals.length === 0) throw new UsageError('classifier needs at least one checkpoint (see collapse-lens classifier --help)');
    const out = stringFlag(flags, 'out');
    if (out) await checkOutputTarget(out);
    const targets = (await Promise.all(positionals.map(expand))).flat();
    // One after another: each read is a few ms, and a 50-epoch folder should not hold 50 models at once.
    const entries: CheckpointClassifierEntry[] = [];
    for (const t of targets) entries.push(await describeCheckpointClassifier(t.path, t.epoch));
    const report = classifierReport(entries, TOOL_VERSION);
    if (out) await writeJsonOutput(report, out);
    process.stdout.write((flags.json ? JSON.stringify(report, null, 2) : formatClassifierTable(entries)) + '\n');
    if (out && !flags.json) process.stdout.write(`written to ${out}\n`);
    const unreadable = entries.some((e) => e.error !== undefined);
    const anyClassifier = entries.some((e) => e.classifier !== null);
    return unreadable || !anyClassifier ? 1 : 0;
  },
};
