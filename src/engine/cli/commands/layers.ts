import type { CliCommand } from '../cli';
import { parse, type FlagSpec } from '../args';
import { UsageError } from '../../errors';
import { describeLayers } from '../../analyze/layers';

const FLAGS: FlagSpec = { json: { type: 'boolean' }, all: { type: 'boolean' } };

const USAGE = `Usage: collapse-lens layers <checkpoint> [--json]

Lists the probe-able intermediate tensors of a checkpoint in topological order, with op type and
per-sample shape; "*" marks the default probes (--layers auto) and the classifier is named.

Options:
  --json   print the list as JSON`;

const shapeText = (s: (number | null)[]) => (s.length ? s.map((d) => (d === null ? '?' : String(d))).join('x') : 'scalar');

export const layersCommand: CliCommand = {
  name: 'layers',
  summary: 'list the layers of a checkpoint that can be probed',
  usage: USAGE,
  async run(argv) {
    const { positionals, flags } = parse(argv, FLAGS);
    if (positionals.length !== 1) throw new UsageError('layers takes one checkpoint (see collapse-lens layers --help)');
    const info = await describeLayers(positionals[0]);
    if (flags.json) {
      process.stdout.write(JSON.stringify(info, null, 2) + '\n');
      return 0;
    }
    const nameWidth = Math.min(60, Math.max(5, ...info.layers.map((l) => l.name.length)));
    const lines = [`${info.format} model ${positionals[0]}: ${info.layers.length} layers, ${info.layers.filter((l) => l.auto).length} probed by default`, ''];
    lines.push(`  ${'#'.padStart(3)}  ${'layer'.padEnd(nameWidth)}  ${'op'.padEnd(18)}  shape`);
    for (const l of info.layers) lines.push(`${l.auto ? '*' : ' '} ${String(l.index).padStart(3)}  ${l.name.padEnd(nameWidth)}  ${l.op.padEnd(18)}  ${shapeText(l.shape)}`);
    lines.push('');
    lines.push(info.classifier ? `classifier: ${info.classifier}` : `classifier: none (${info.classifierUnavailable ?? 'no final linear layer found'})`);
    process.stdout.write(lines.join('\n') + '\n');
    return 0;
  },
};
