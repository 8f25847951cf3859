import { basename } from 'node:path';
import type { CliCommand } from '../cli';
import { checkOutputTarget, writeJsonOutput } from '../outputFile';
import { listItems, parse, stringFlag, type FlagSpec } from '../args';
import { messageOf, UsageError, UserError } from '../../errors';
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

export const compareCommand: CliCommand = {
  name: 'compare',
  summary: 'align two or more result JSONs layer by layer and list the changes',
  usage: USAGE,
  async run(argv) {
    const { positionals, flags } = parse(argv, FLAGS);
    if (positionals.length < 2) throw new UsageError('compare needs at least two result files (see collapse-lens compare --help)');
    const labels = listItems(flags, 'labels') ?? positionals.map((p) => basename(p).replace(/\.json$/, ''));
    if (labels.length !== positionals.length) throw new UsageError(`--labels names ${labels.length} runs but ${positionals.length} result files were given`);
    const out = stringFlag(flags, 'out');
    if (out) await checkOutputTarget(out);
    const results: AnalysisResult[] = await Promise.all(positionals.map(readResultFile));
    let comparison: CompareResult;
    try {
      comparison = compareResults(results, labels, flags['allow-mismatch'] === true);
    } catch (err) {
      throw new UserError(messageOf(err));
    }
    await writeJsonOutput(comparison, out);
    if (out) process.stdout.write(formatCompareTable(comparison) + `\n\ncomparison written to ${out}\n`);
    // Without --out the JSON has stdout to itself: the warnings (data differences, reductions) go to stderr.
    else for (const w of comparison.warnings) process.stderr.write(`warning: ${w}\n`);
    return 0;
  },
};
