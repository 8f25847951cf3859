import type { CliCommand } from '../cli';
import { parse, stringFlag, type FlagSpec } from '../args';
import { UsageError } from '../../errors';
import { checkOutputTarget, writeJsonOutput } from '../outputFile';
import { formatLayerTable } from '../table';
import { mergeShardFiles } from '../../shards/mergeFiles';
import { MEANS_SCHEMA, writeShardFile } from '../../shards/shardFile';

const FLAGS: FlagSpec = {
  means: { type: 'string' },
  out: { type: 'string', short: 'o' },
  quiet: { type: 'boolean', short: 'q' },
};

const USAGE = `Usage: collapse-lens merge <shard files of one phase> --out <file> [--means <file>]

Combines the shard files of a sharded analysis (collapse-lens analyze --shard i/n; docs/shards.md):
  phase-1 files (analyze --shard i/n --phase 1)  ->  the class-means file, for --phase 2's --means
  phase-2 files (analyze --shard i/n --phase 2)  ->  the result JSON, as a single run would write it
Every shard of the phase must be given exactly once; files of another checkpoint, dataset or settings,
of another phase, or run against other means are refused.

Options:
  --out, -o <file>   where to write the means file or the result (required for the means file)
  --means <file>     phase 2: the means file the shards ran against (default: the path they recorded)
  --quiet, -q        no table on stdout`;

export const mergeCommand: CliCommand = {
  name: 'merge',
  summary: 'combine the shard files of a sharded analysis (means, then the result)',
  usage: USAGE,
  async run(argv) {
    const { positionals, flags } = parse(argv, FLAGS);
    const out = stringFlag(flags, 'out');
    if (positionals.length === 0) throw new UsageError('merge needs the shard files of one phase (see collapse-lens merge --help)');
    if (out) await checkOutputTarget(out);
    const merged = await mergeShardFiles(positionals, stringFlag(flags, 'means'));
    if (merged.kind === 'means') {
      if (!out) throw new UsageError('merging phase-1 files writes the class-means file: give it a path with --out');
      await writeShardFile(out, MEANS_SCHEMA, merged.body);
      process.stdout.write(`class means of ${merged.shards} shard(s) written to ${out}\n`);
      return 0;
    }
    await writeJsonOutput(merged.result, out);
    if (out && flags.quiet !== true) process.stdout.write(formatLayerTable(merged.result) + `\n\nresult of ${merged.result.shards?.passTwo} shard(s) written to ${out}\n`);
    return 0;
  },
};
