import type { CliCommand } from '../cli';
import { parse, type FlagSpec } from '../args';
import { UsageError } from '../../errors';
import { describeLayers } from '../../analyze/layers';
import type { LayerInfo } from '../../../core/model/types';
import { reducedShape } from '../../../core/model/reduction';

const FLAGS: FlagSpec = { json: { type: 'boolean' }, all: { type: 'boolean' } };

const USAGE = `Usage: collapse-lens layers <checkpoint> [--json]

Lists the probe-able intermediate tensors of a checkpoint in topological order, with op type and
per-sample shape (resolved by running a zero batch where the file does not declare it); "*" marks the
default probes (--layers auto) and the classifier is named. A tensor whose default reduction is not
flatten shows it ("-> cls 64": a transformer's T x D tokens read at the class token; see --reduce in
collapse-lens analyze --help). "?" marks a shape that has no per-sample value (never probed by default).

Options:
  --json   print the list as JSON`;

const shapeText = (s: (number | null)[]) => (s.length ? s.map((d) => (d === null ? '?' : String(d))).join('x') : 'scalar');

/** The shape, then what the default reduction makes of it when that is not the plain flatten, or why it is unknown. */
function shapeCell(l: LayerInfo): string {
  if (l.shapeUnknown) return `${shapeText(l.shape)}  (${l.shapeUnknown})`;
  if (!l.reduction || l.reduction === 'flatten') return shapeText(l.shape);
  return `${shapeText(l.shape)} -> ${l.reduction} ${reducedShape(l.shape as number[], l.reduction).join('x')}`;
}

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
    for (const l of info.layers) lines.push(`${l.auto ? '*' : ' '} ${String(l.index).padStart(3)}  ${l.name.padEnd(nameWidth)}  ${l.op.padEnd(18)}  ${shapeCell(l)}`);
    lines.push('');
    lines.push('* = a default probe (--layers auto): one per block (the output of each residual, transformer or inverted-residual block), other activations, pooling, flatten, the classifier input and the logits; --layers all probes every tensor listed');
    if (info.tokens) lines.push(`transformer: token tensors (T x D) are reduced to ${info.tokens.classToken ? 'the class token (cls; token 0 is a learned token)' : 'their mean over tokens (mean; no class token found)'} by default`);
    lines.push(info.classifier ? `classifier: ${info.classifier}` : `classifier: none (${info.classifierUnavailable ?? 'no final linear layer found'})`);
    process.stdout.write(lines.join('\n') + '\n');
    return 0;
  },
};
