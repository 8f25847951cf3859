import { basename } from 'node:path';
import type { CliCommand } from '../cli';
import { emitJson } from '../cli';
import { parse, stringFlag, type FlagSpec } from '../args';
import { messageOf, UserError } from '../../errors';
import type { AnalysisResult } from '../../../core/result';
import { readResultFile } from '../../../core/readResultFile';
import { compareResults, type CompareResult } from '../../../core/compare';
import { formatCompareTable } from '../compareTable';

const FLAGS: FlagSpec = { out: { type: 'string', short: 'o' }, 'allow-mismatch': { type: 'boolean' }, labels: { type: 'string' } };

const USAGE = `Usage: collapse-lens compare <result.json> <result.json>... [--out compare.json]

Aligns two or more analyses layer by layer (by name when the architectures match, else by relative
depth) and writes the per-layer comparison, the largest changes (last run against the first) first.
Runs made on different data or preprocessing are refused, naming the difference.

Options:
  --labels a,b,...    names for the runs (default: the result files' names)
  --allow-mismatch    compare runs on different data anyway (recorded as a warning)
  --out, -o <file>    write the comparison JSON there (and print the table); stdout without it`;

/** A result file, or a one-line usage error naming it. */
async function readResult(path: string): Promise<AnalysisResult> {
  try {
    return await readResultFile(path);
  } catch (err) {
    throw new UserError(messageOf(err));
  }
}

export const compareCommand: CliCommand = {
  name: 'compare',
  summary: 'align two or more result JSONs layer by layer and list the changes',
  usage: USAGE,
  async run(argv) {
    const { positionals, flags } = parse('compare', argv, FLAGS);
    if (positionals.length < 2) throw new UserError('compare needs at least two result files (see collapse-lens compare --help)');
    const results = await Promise.all(positionals.map(readResult));
    const labelsFlag = stringFlag(flags, 'labels');
    const labels = labelsFlag ? labelsFlag.split(',') : positionals.map((p) => basename(p).replace(/\.json$/, ''));
    if (labels.length !== results.length) throw new UserError(`--labels names ${labels.length} runs but ${results.length} result files were given`);
    let comparison: CompareResult;
    try {
      comparison = compareResults(results, labels, flags['allow-mismatch'] === true);
    } catch (err) {
      throw new UserError(messageOf(err));
    }
    const out = stringFlag(flags, 'out');
    emitJson(comparison, out);
    if (out) process.stdout.write(formatCompareTable(comparison) + `\n\ncomparison written to ${out}\n`);
    return 0;
  },
};
